// The engine on WebGPU here (Dawn; on this machine Mesa's llvmpipe through OpenGL ES): forced, it runs and
// says which adapter and why; auto does not train on a software adapter; reads are asynchronous only; and
// the navigator.gpu gpu.js needs is there only inside the engine's calls.
import { describe, expect, it } from 'vitest';
import { createGpuJsBackendAsync, probeWebGpu } from '../index';
import { SOFTWARE_LABEL } from './adapter-choice';

const probe = await probeWebGpu();
const g = globalThis as { navigator?: { gpu?: unknown } };

describe.runIf(probe.ok)('the engine on webgpu', () => {
  it('forced: runs on the adapter found, says which and why, and leaves the global navigator as it was', async () => {
    const before = g.navigator;
    const be = await createGpuJsBackendAsync({ mode: 'webgpu' });
    try {
      expect(be.mode).toBe('webgpu');
      expect(be.selection.forced).toBe(true);
      const line = be.describe();
      expect(line).toMatch(/^gpu.js mode 'webgpu' \(forced\): WebGPU adapter '[^']+' .*via Dawn's/);
      if (line.includes('llvmpipe')) expect(line).toContain(SOFTWARE_LABEL);
      const a = be.upload([1, -2, 3]);
      const y = be.binary('mul', a, [3], a, [3], [3]);
      expect([...(await be.readAsync(y))]).toEqual([1, 4, 9]);
      expect(() => be.read(y)).toThrow("read: mode 'webgpu' reads only asynchronously; use readAsync");
      expect(g.navigator).toBe(before);
      expect(before?.gpu).toBeUndefined();
    } finally {
      be.destroy();
    }
  }, 120_000);

  it('auto never trains on a software adapter instead of webasm, and says why', async () => {
    if (probe.ok && !probe.notes[0]!.includes(SOFTWARE_LABEL)) return; // a hardware adapter: auto takes it
    const be = await createGpuJsBackendAsync();
    try {
      expect(be.mode).not.toBe('webgpu');
      const skipped = be.selection.skipped.find((s) => s.mode === 'webgpu')!;
      expect(skipped.reason).toContain(SOFTWARE_LABEL);
      expect(skipped.reason).toContain("auto does not train on it instead of webasm (force it with mode 'webgpu')");
    } finally {
      be.destroy();
    }
  }, 120_000);
});
