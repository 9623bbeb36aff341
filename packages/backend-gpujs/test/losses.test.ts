import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Engine } from '@skipinit/tensor';
import { describe, expect, it } from 'vitest';
import { createGpuJsBackend } from '../src';
import { preactResnet, residualMlp, type Step } from '../perf/models';

// The first steps of perf/losses.ts's cases, bit for bit against perf/losses.json (recorded before the
// engine became a table of declared kernels): a change to the engine must not move one bit of training.
// The full check (3 steps of every case on 1 and 2 threads, and the MNIST example through the CLI) is
// `PERF_ENTRY=losses.ts node packages/backend-gpujs/perf/run.mjs`.
const fixture = JSON.parse(readFileSync(join(import.meta.dirname, '..', 'perf', 'losses.json'), 'utf8')) as Record<string, string[]>;

const hex = (v: number): string => new Uint32Array(new Float32Array([v]).buffer)[0]!.toString(16).padStart(8, '0');

function losses(make: (e: Engine) => Step, threads: number, steps: number): string[] {
  const backend = createGpuJsBackend({ mode: 'webasm', threads });
  const step = make(new Engine(backend));
  try {
    return Array.from({ length: steps }, () => hex(step.run()));
  } finally {
    step.dispose();
    backend.destroy();
  }
}

describe('training losses on webasm are bit-identical to perf/losses.json', () => {
  it('R4 D=100, 3 steps, 1 thread', () => {
    expect(losses((e) => residualMlp(e, 100), 1, 3)).toEqual(fixture['r4-100 threads=1']);
  });

  it('R3 skipinit (Winograd, strided convs), 2 steps, 2 threads', () => {
    expect(losses((e) => preactResnet(e, 'skipinit'), 2, 2)).toEqual(fixture['r3skip threads=2']!.slice(0, 2));
  });

  it('R3 batch norm (fused batch norm), 2 steps, 1 thread', () => {
    expect(losses((e) => preactResnet(e, 'bn'), 1, 2)).toEqual(fixture['r3bn threads=1']!.slice(0, 2));
  });
});
