import { createGpuJsBackend } from '@skipinit/backend-gpujs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runWorkload, type RunOptions } from './runner';
import { GpuJsSystem } from './systems/gpujs';
import { TfjsSystem } from './systems/tfjs';
import { tfSetup, type TfSetup } from './systems/tfjs-setup';
import { isSkipped, type SystemAdapter, type TrainCase, type Workload } from './types';
import type { MlpArch, ResNetArch } from './workloads/arch';
import { signalWorkload, trainWorkload } from './workloads/models';
import { convWorkload, matmulWorkload } from './workloads/tensor';

// The harness on real systems at tiny sizes: our engine (gpu.js webasm) and TensorFlow.js (wasm, cpu)
// start from the same weights and must compute the same thing; a deliberately different start must not.

const tinyResNet = (variant: ResNetArch['variant']): ResNetArch => ({
  kind: 'resnet',
  variant,
  input: [3, 8, 8],
  stem: 4,
  stages: [
    { width: 4, blocks: 1, stride: 1 },
    { width: 8, blocks: 2, stride: 2 },
  ],
  classes: 5,
});
const tinyMlp: MlpArch = { kind: 'mlp', input: [1, 4, 4], width: 8, depth: 3, classes: 5 };

let setup: TfSetup;
let systems: SystemAdapter[];
let tick = 0;
const options: RunOptions = { reps: 5, warmup: 1, seed: 3, now: () => ++tick };

beforeAll(async () => {
  setup = await tfSetup();
  systems = [new GpuJsSystem(createGpuJsBackend({ mode: 'webasm' })), new TfjsSystem('wasm', setup), new TfjsSystem('cpu', setup, { includeSlow: true })];
});
afterAll(() => systems.forEach((s) => s.dispose()));

async function agree(w: Workload, below: number): Promise<void> {
  const res = await runWorkload(w, systems, options);
  for (const m of res) {
    expect(m.note, `${m.label} ran ${w.id}`).toBeUndefined();
    expect(m.runsMs).toHaveLength(5);
    expect(m.agrees, `${m.label} agrees on ${w.id}`).toBe(true);
    expect(m.maxDiff!).toBeLessThan(below);
  }
}

describe('TensorFlow.js set-up', () => {
  it('runs wasm with SIMD on one thread in Node, with the bench Conv2DBackpropFilter agreeing with the cpu backend', async () => {
    expect(setup.available.get('wasm')).toBe(true);
    expect(setup.wasm.simd).toBe(true);
    expect(setup.wasm.multithreadSupport).toBe(false);
    expect(setup.wasm.threads).toBe(1);
    expect(setup.wasm.filterKernelRegistered).toBe(true);
    expect(setup.wasm.filterKernelError!).toBeLessThan(1e-5);
  });
});

describe('both systems compute the same thing', () => {
  it('R1/R2 at small sizes: matmul, conv forward and forward + dx + dw', async () => {
    await agree(matmulWorkload(12), 1e-5);
    await agree(convWorkload({ batch: 2, inChannels: 3, outChannels: 5, height: 6, width: 7, kernel: 3, padding: 1, stride: 1 }, true), 1e-5);
  });

  for (const variant of ['bn', 'skipinit'] as const) {
    it(`R3 (${variant}) at a tiny size: the losses of the first 3 SGD steps`, async () => {
      await agree(trainWorkload({ id: `tiny-r3-${variant}`, group: 'R3', title: 'tiny R3', arch: tinyResNet(variant), batch: 4, lr: 0.1 }), 1e-5);
    });
  }

  it('R4 at a tiny size: the losses of the first 3 SGD steps', async () => {
    await agree(trainWorkload({ id: 'tiny-r4', group: 'R4', title: 'tiny R4', arch: tinyMlp, batch: 4, lr: 0.1 }), 1e-5);
  });

  it('R5 at a tiny size: every block\'s statistics; at initialisation (alpha = 0) every block sees the same skip path', async () => {
    const w = signalWorkload({ id: 'tiny-r5', group: 'R5', title: 'tiny R5', arch: tinyMlp, batch: 16 });
    await agree(w, 1e-5);
    const p = await systems[0]!.signalForward!({ arch: tinyMlp, batch: 16, x: Float32Array.from({ length: 256 }, (_, i) => Math.sin(i)), seed: 1, weights: [] });
    if (p === null || isSkipped(p)) throw new Error('ours did not prepare R5');
    p.run();
    const s = await p.sample();
    p.dispose();
    expect(s).toHaveLength(3 * tinyMlp.depth);
    for (let b = 1; b < tinyMlp.depth; b++) expect([s[3 * b], s[3 * b + 1]]).toEqual([s[0], s[1]]);
    for (let b = 0; b < tinyMlp.depth; b++) expect(s[3 * b + 2]).toBeGreaterThan(0);
  });

  it('a peer started from other weights disagrees: the check can fail', async () => {
    const w = trainWorkload({ id: 'tiny-r4-jittered', group: 'R4', title: 'tiny R4', arch: tinyMlp, batch: 4, lr: 0.1 });
    const jittered: Workload = {
      ...w,
      prepare(system, seed) {
        if (system.side === 'ours') return w.prepare(system, seed);
        const spy: SystemAdapter = {
          ...system,
          id: system.id,
          side: system.side,
          label: system.label,
          details: system.details,
          dispose: () => undefined,
          trainSteps: (c: TrainCase) =>
            system.trainSteps!({ ...c, weights: c.weights.map((x) => (x.name === 'dense2.bias' ? { ...x, data: x.data.map((v, i) => v + (i === 0 ? 0.5 : 0)) } : x)) }),
        };
        return w.prepare(spy, seed);
      },
    };
    const res = await runWorkload(jittered, systems.slice(0, 2), options);
    expect(res[0]!.agrees).toBe(true);
    expect(res[1]!.agrees).toBe(false);
    expect(res[1]!.maxDiff!).toBeGreaterThan(1e-3);
  });
});
