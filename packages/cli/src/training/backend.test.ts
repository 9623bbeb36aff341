// --threads: parsing, how sweep workers share the cores, and what the run header and config.json say.
import { autoThreads } from '@skipinit/backend-gpujs';
import type { GpuJsBackend } from '@skipinit/backend-gpujs';
import { describe, expect, it } from 'vitest';
import { checkThreads, makeEngine, threadsPerWorker } from './backend';

describe('--threads', () => {
  it("parses 'auto' (the default) and whole numbers; refuses the rest with the flag named", () => {
    expect(checkThreads('train', undefined, 'auto')).toBe('auto');
    expect(checkThreads('train', 'auto', 'cpu')).toBe('auto');
    expect(checkThreads('train', '3', 'webasm')).toBe(3);
    expect(checkThreads('train', '1', 'cpu')).toBe(1);
    expect(() => checkThreads('train', '0', 'auto')).toThrow(/--threads takes 'auto' or a whole number from 1 to 64, got '0'/);
    expect(() => checkThreads('train', '2.5', 'auto')).toThrow(/got '2.5'/);
    expect(() => checkThreads('train', '2', 'reference')).toThrow(/--backend reference runs on one thread/);
  });

  it('shares the cores out among sweep workers (at least one each) unless a count is given', () => {
    expect(threadsPerWorker('auto', 1)).toBe(autoThreads());
    expect(threadsPerWorker('auto', 1000)).toBe(1);
    expect(threadsPerWorker('auto', 2)).toBe(Math.max(1, Math.floor(autoThreads() / 2)));
    expect(threadsPerWorker(3, 2)).toBe(3);
  });

  it('the run header and the recorded selection say how many threads run', async () => {
    const two = await makeEngine('webasm', 1, 2);
    const cpu = await makeEngine('cpu', 1, 'auto');
    try {
      expect(two.description).toMatch(/^gpu\.js mode 'webasm' \(forced\): [^;]*, 2 threads($|;)/);
      expect(two.meta.threads).toBe(2);
      expect(cpu.description).not.toMatch(/thread/);
      expect(cpu.meta.threads).toBe(1);
    } finally {
      (two.engine.backend as GpuJsBackend).destroy();
      (cpu.engine.backend as GpuJsBackend).destroy();
    }
  });
});
