// The memory estimate against what the engine really holds: the live bytes after a training-mode forward
// pass on the float64 reference backend (parameters, buffers, the input batch and everything the tape keeps
// for the backward pass), for an MLP, a residual MLP and a conv net with batch norm and dropout.
import { activation, batchnorm, bias, conv, dense, dropout, flatten, graph, head, input, layernorm, pool, preact, repeat, resblock, resolveTrainSpec, scale, stage } from '@skipinit/graph';
import type { Graph } from '@skipinit/graph';
import { build } from '@skipinit/layers';
import { Engine, ReferenceBackend, randn, tidy } from '@skipinit/tensor';
import { describe, expect, it } from 'vitest';
import { describeMemory, estimateTrainingMemory, formatBytes, optimizerSlots } from './memory-estimate';

const spec = (batch: number, optimizer: Parameters<typeof resolveTrainSpec>[0]['optimizer'] = { name: 'sgd', momentum: 0.9 }) =>
  resolveTrainSpec({ data: { name: 'blobs', batch }, optimizer });

/** Live bytes after one forward pass in training mode, minus the parameters and buffers. */
function measuredSaved(g: Graph, batch: number): { saved: number; params: number } {
  const engine = new Engine(new ReferenceBackend(), { seed: 0 });
  const model = build(g, { seed: 0, engine });
  try {
    const before = engine.memory().backend.numBytes;
    let saved = 0;
    tidy(() => {
      const x = randn([batch, ...model.inputShape], { engine, requiresGrad: false });
      const y = model.forward(x, { training: true });
      saved = engine.memory().backend.numBytes - before;
      y.dispose();
    });
    return { saved, params: before };
  } finally {
    model.dispose();
  }
}

const MODELS: [string, Graph][] = [
  ['mlp', graph('mlp', [input([1, 12, 12]), flatten(), dense(64), activation('relu'), dense(32), activation('relu'), dense(10)])],
  ['residual mlp', graph('res', [input([32]), flatten(), dense(32), resblock({ branch: preact({ kind: 'mlp', width: 32, norm: 'none' }), init: 'skipinit', count: 6 }), activation('relu'), head(10)])],
  [
    'layer norm, gelu, pooling, scalars, a stage and a repeat',
    graph('mix', [
      input([2, 8, 8]),
      conv(4),
      pool('max'),
      batchnorm(),
      activation('tanh'),
      stage({ width: 6, blocks: 2, stride: 2, block: { branch: { norm: 'bn' }, init: 'fixup' } }),
      pool('avg'),
      flatten(),
      repeat(3, [dense(12), layernorm(), activation('gelu'), bias(0.1), scale(0.5, true), dropout(0.1)]),
      head(4),
    ]),
  ],
  ['conv + bn + dropout', graph('conv', [input([3, 16, 16]), conv(8), resblock({ branch: preact({ width: 8, norm: 'bn', dropout: 0.2 }), init: 'skipinit', count: 2 }), activation('relu'), head(10)])],
];

describe('estimateTrainingMemory', () => {
  for (const [name, g] of MODELS) {
    it(`${name}: parameters exact, saved activations within 2% of the engine's live bytes`, () => {
      const batch = 8;
      const m = estimateTrainingMemory(g, spec(batch), { bytesPerElement: 8 });
      const real = measuredSaved(g, batch);
      expect(m.parameters + m.buffers).toBe(real.params);
      const savedEstimate = m.activations;
      expect(savedEstimate / real.saved, `${name}: estimate ${savedEstimate}, engine ${real.saved}`).toBeGreaterThan(0.98);
      expect(savedEstimate / real.saved, `${name}: estimate ${savedEstimate}, engine ${real.saved}`).toBeLessThan(1.02);
    });
  }

  it('counts gradients, optimiser state by optimiser, and the data set; finds the largest tensor', () => {
    const big = graph('big', [input([1, 28, 28]), flatten(), dense(60000), activation('relu'), dense(60000), activation('relu'), dense(10)]);
    const m = estimateTrainingMemory(big, resolveTrainSpec({ data: { name: 'mnist', batch: 64 }, optimizer: { name: 'sgd', momentum: 0.9 } }));
    expect(m.parameters).toBe(3_647_760_010 * 4);
    expect(m.gradients).toBe(m.parameters);
    expect(m.optimizer).toBe(m.parameters);
    expect(m.data).toBe(70_000 * 784 * 4);
    expect(m.largest).toEqual({ elements: 60000 * 60000, what: 'the weight of dense 60000' });
    expect(m.total).toBeGreaterThan(43e9);
    expect(describeMemory(m)).toMatch(/^about 41\.\d GiB: parameters 13\.6 GiB, gradients 13\.6 GiB, optimizer state 13\.6 GiB, activations [\d.]+ MiB \(batch 64\), data 209\.4 MiB$/);
    expect(optimizerSlots(spec(1, { name: 'sgd' }).optimizer)).toBe(0);
    expect(optimizerSlots(spec(1, { name: 'sgd', momentum: 0.5 }).optimizer)).toBe(1);
    expect(formatBytes(1536)).toBe('1.5 KiB');
    expect(formatBytes(512)).toBe('512 B');
  });

  it('answers at once for a million-block network (O(1) in the depth)', () => {
    const deep = graph('deep', [input([128]), flatten(), resblock({ branch: preact({ kind: 'mlp', width: 64, norm: 'none' }), init: 'skipinit', count: 1_000_000 }), head(10)]);
    const t0 = performance.now();
    const m = estimateTrainingMemory(deep, spec(64));
    expect(performance.now() - t0).toBeLessThan(500);
    expect(m.parameters).toBeGreaterThan(1e6 * 2 * 64 * 64 * 4);
  });
});
