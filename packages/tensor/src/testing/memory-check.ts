// The memory test: many forward+backward+update iterations of a small network must leave the number of
// live tensors and bytes flat (nothing leaks from the tape, the scopes or the optimiser state).

import type { Backend } from '../backend';
import { Engine } from '../engine';
import { tidy } from '../memory';
import { Rng } from '../rng';
import { relu } from '../ops/elementwise';
import { sgdUpdate_ } from '../ops/inplace';
import { crossEntropy } from '../ops/loss';
import { linear } from '../ops/matmul';
import { noGrad } from '../tape';
import type { Tensor } from '../tensor';

export interface MemorySample {
  readonly iteration: number;
  readonly numTensors: number;
  readonly numBytes: number;
  readonly backendDataIds: number;
  readonly backendBytes: number;
}

export interface MemoryCheckResult {
  /** After every iteration. */
  readonly samples: readonly MemorySample[];
  /** True when every sample after the first equals the first. */
  readonly flat: boolean;
  /** The training loss at the first and the last iteration (it should fall: the loop really trains). */
  readonly firstLoss: number;
  readonly lastLoss: number;
}

export interface MemoryCheckOptions {
  readonly iterations?: number;
  readonly batch?: number;
  readonly features?: number;
  readonly hidden?: number;
  readonly classes?: number;
  readonly seed?: number;
}

/**
 * Trains a 2-layer MLP (linear, relu, linear, cross-entropy; momentum SGD) for `iterations` steps on a
 * few fixed random batches, one tidy per step, and records memory after each step.
 */
export async function runMemoryCheck(backend: Backend, options: MemoryCheckOptions = {}): Promise<MemoryCheckResult> {
  const { iterations = 1000, batch = 16, features = 20, hidden = 32, classes = 5, seed = 0 } = options;
  const engine = new Engine(backend, { seed });
  const rng = new Rng(seed);
  const up = (shape: number[], std: number): Tensor =>
    engine.wrap(backend.upload(rng.fillNormal(new Float32Array(shape.reduce((a, b) => a * b, 1)), 0, std)), shape);
  const params = [up([hidden, features], Math.sqrt(2 / features)), up([hidden], 0), up([classes, hidden], Math.sqrt(1 / hidden)), up([classes], 0)];
  for (const p of params) p.requiresGrad_(true);
  const velocity = params.map((p) => engine.wrap(backend.fill(p.size, 0), p.shape));
  const data = Array.from({ length: 4 }, () => ({
    x: up([batch, features], 1),
    y: Int32Array.from({ length: batch }, () => rng.integers(0, classes)),
  }));

  const samples: MemorySample[] = [];
  let firstLoss = NaN;
  let lastLoss = NaN;
  try {
    for (let it = 0; it < iterations; it++) {
      const { x, y } = data[it % data.length];
      const loss = tidy(() => {
        const [w1, b1, w2, b2] = params;
        const l = crossEntropy(linear(relu(linear(x, w1, b1)), w2, b2), y);
        l.backward();
        noGrad(() => params.forEach((p, i) => sgdUpdate_(p, p.grad!, velocity[i], { lr: 0.05, momentum: 0.9, weightDecay: 0, nesterov: false })));
        for (const p of params) p.zeroGrad();
        return l;
      });
      if (it === 0) firstLoss = (await loss.data())[0];
      if (it === iterations - 1) lastLoss = (await loss.data())[0];
      loss.dispose();
      const m = engine.memory();
      samples.push({
        iteration: it,
        numTensors: m.numTensors,
        numBytes: m.numBytes,
        backendDataIds: m.backend.numDataIds,
        backendBytes: m.backend.numBytes,
      });
    }
  } finally {
    for (const t of [...params, ...velocity, ...data.map((d) => d.x)]) t.dispose();
  }
  const s0 = samples[0];
  const flat = samples.every(
    (s) => s.numTensors === s0.numTensors && s.numBytes === s0.numBytes && s.backendDataIds === s0.backendDataIds && s.backendBytes === s0.backendBytes,
  );
  return { samples, flat, firstLoss, lastLoss };
}
