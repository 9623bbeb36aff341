import type { Graph } from '@skipinit/graph';
import { dense, graph, input as inputNode, preact, relu, resblock } from '@skipinit/graph';
import type { Engine } from '@skipinit/tensor';
import { Rng, copy_, crossEntropy, noGrad, tensor } from '@skipinit/tensor';
import { describe, expect, it } from 'vitest';
import type { Model } from '../src';
import { build } from '../src';
import { smallResNet } from './fixtures';
import { input, labels, refEngine } from './helpers';

// Gradient check of whole models on the float64 reference backend: autograd's d(loss)/d(parameter)
// against central differences (loss(p + h) - loss(p - h)) / 2h, h = 1e-6, for every parameter tensor
// (all of a scalar's, and 6 random entries of every other). The loss is softmax cross-entropy of the
// logits in TRAINING mode (batch norm on batch statistics; dropout with the same mask every evaluation,
// by restoring the model's dropout stream).
//
// Parameters are first moved off their initial values (alpha = 0 and Fixup's zeros would make many
// gradients exactly 0, a check that proves little): every value gets N(0, 0.3^2) added.

const H = 1e-6;

function setValues(engine: Engine, model: Model, name: string, values: Float64Array): void {
  const p = model.parameters().find((q) => q.name === name)!;
  noGrad(() => copy_(p.value, tensor(values, p.shape, { engine })));
}

function gradcheck(graph: Graph, opts: { batch?: number; seed?: number } = {}): { checked: number; worst: number; params: number } {
  const engine = refEngine();
  const model = build(graph, { engine, seed: opts.seed ?? 3 });
  const jitter = new Rng(99);
  for (const p of model.parameters()) {
    const v = p.value.dataSync64().map((x) => x + jitter.normal(0, 0.3));
    setValues(engine, model, p.name, v);
  }
  const n = opts.batch ?? 4;
  const x = input(engine, [n, ...model.inputShape], 5);
  const y = labels(n, model.outputShape[0], 6);
  const rngState = model.rng.state();
  const loss = (): number => {
    model.rng = Rng.fromState(rngState);
    return noGrad(() => crossEntropy(model.forward(x, { training: true }), y).dataSync64()[0]);
  };
  model.rng = Rng.fromState(rngState);
  const l = crossEntropy(model.forward(x, { training: true }), y);
  l.backward();
  const pick = new Rng(7);
  let checked = 0;
  let worst = 0;
  for (const p of model.parameters()) {
    const g = p.grad!.dataSync64();
    const base = p.value.dataSync64();
    const count = Math.min(p.size, 6);
    const indices = p.size <= 6 ? [...Array(p.size).keys()] : Array.from({ length: count }, () => pick.integers(0, p.size));
    for (const j of indices) {
      const v = base.slice();
      v[j] = base[j] + H;
      setValues(engine, model, p.name, v);
      const up = loss();
      v[j] = base[j] - H;
      setValues(engine, model, p.name, v);
      const down = loss();
      setValues(engine, model, p.name, base);
      const fd = (up - down) / (2 * H);
      const err = Math.abs(fd - g[j]) / (1e-4 + Math.abs(g[j]));
      expect(Math.abs(fd - g[j]), `${p.name}[${j}]: autograd ${g[j]}, central difference ${fd}`).toBeLessThan(1e-7 + 1e-5 * Math.abs(g[j]));
      worst = Math.max(worst, err);
      checked++;
    }
  }
  const params = model.parameters().length;
  model.dispose();
  return { checked, worst, params };
}

describe('whole-model gradient check (float64 reference backend, central differences)', () => {
  it('3-block pre-activation conv ResNet with batch norm (training mode), projection in block 3', () => {
    const r = gradcheck(smallResNet({ norm: 'bn', init: 'he', widths: [4, 6], blocks: [2, 1], input: [3, 6, 6] }));
    expect(r.params).toBeGreaterThan(20);
    expect(r.checked).toBeGreaterThan(2 * r.params);
  });

  it('3-block SkipInit ResNet, no norm, with biases and head dropout ("Regularised SkipInit")', () => {
    const r = gradcheck(smallResNet({ norm: 'none', init: 'skipinit', widths: [4, 6], blocks: [2, 1], input: [3, 6, 6], bias: true, dropout: 0.3 }));
    expect(r.checked).toBeGreaterThan(2 * r.params);
  });

  it('3-block Fixup ResNet (scalar biases, multipliers, zero-initialised layers moved off zero)', () => {
    const r = gradcheck(smallResNet({ norm: 'none', init: 'fixup', widths: [4, 6], blocks: [2, 1], input: [3, 6, 6] }));
    expect(r.params).toBe(1 + 3 * (5 + 2 + 1) + 1 + 2); // stem; per block 5 scalar biases, 2 convs, the multiplier; projection; head
    expect(r.checked).toBeGreaterThan(2 * r.params);
  });

  it('3-block NF-ResNet: Scaled WS weights and gains, x / beta, a transition with a WS projection', () => {
    const r = gradcheck(smallResNet({ norm: 'none', init: 'nf', widths: [4, 6], blocks: [2, 1], input: [3, 6, 6], bias: true }));
    expect(r.params).toBe(1 + 3 * 2 * 3 + 3 + 2); // stem; per block 2 convs (weight, bias, gain); the projection; head
    expect(r.checked).toBeGreaterThan(2 * r.params);
  });

  it('layer norm in the branch, fixed alpha = 1/sqrt(d)', () => {
    gradcheck(smallResNet({ norm: 'ln', init: 'scaled', widths: [3, 4], blocks: [1, 1], input: [2, 5, 5] }));
  });

  it('MLP blocks with batch norm and dropout inside the branch (Wide-ResNet style), learnable alpha', () => {
    const g = graph('mlp', [
      inputNode([6]),
      dense(5),
      resblock({ count: 2, branch: preact({ kind: 'mlp', width: 5, norm: 'bn', dropout: 0.25 }), init: 'skipinit' }),
      resblock({ branch: preact({ kind: 'mlp', width: 4, norm: 'bn', act: 'tanh' }), init: 'he', learnable: true }),
      relu(),
      dense(3),
    ]);
    const r = gradcheck(g, { batch: 5 });
    expect(r.params).toBe(2 + 3 * 7 + 1 + 2);
  });
});
