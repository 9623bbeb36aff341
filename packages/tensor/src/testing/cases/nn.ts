// Conformance cases: matmul and linear, conv2d, pooling, softmax and cross-entropy, dropout, norms,
// and the in-place updates.

import type { Shape } from '../../backend';
import * as T from '../../index';
import type { Tensor } from '../../tensor';
import { TOL } from '../case';
import type { InputSpec, OpCase } from '../case';

const fmt = (s: Shape) => `[${s.join(',')}]`;
const inp = (...shapes: Shape[]): InputSpec[] => shapes.map((shape) => ({ shape }));

const MATMUL: [Shape, Shape, T.MatmulOptions][] = [
  [[7, 13], [13, 5], {}],
  [[13, 7], [13, 5], { transA: true }],
  [[7, 13], [5, 13], { transB: true }],
  [[13, 7], [5, 13], { transA: true, transB: true }],
  [[3, 7, 13], [3, 13, 5], {}],
  [[3, 13, 7], [3, 5, 13], { transA: true, transB: true }],
  [[7, 13], [2, 13, 5], {}],
  [[2, 7, 13], [13, 5], {}],
  [[2, 1, 4, 3], [3, 3, 2], {}],
  [[13], [13, 5], {}],
  [[7, 13], [13], {}],
  [[13], [13], {}],
  [[1, 1], [1, 1], {}],
];

const matmulCases: OpCase[] = MATMUL.map(([a, b, o]) => ({
  name: `matmul ${fmt(a)}${o.transA ? 'ᵀ' : ''} x ${fmt(b)}${o.transB ? 'ᵀ' : ''}`,
  op: 'matmul',
  inputs: inp(a, b),
  run: ([x, y]: readonly Tensor[]) => T.matmul(x, y, o),
  tol: TOL.sum(13),
  gradTol: TOL.sum(16),
}));

const linearCases: OpCase[] = [
  { name: 'linear [7,13] w[5,13] b[5]', op: 'linear', inputs: inp([7, 13], [5, 13], [5]), run: ([x, w, b]) => T.linear(x, w, b), tol: TOL.sum(13) },
  { name: 'linear [2,3,13] w[5,13]', op: 'linear', inputs: inp([2, 3, 13], [5, 13]), run: ([x, w]) => T.linear(x, w), tol: TOL.sum(13) },
];

const CONV: [Shape, Shape, T.Conv2dOptions, boolean][] = [
  [[2, 3, 7, 9], [4, 3, 3, 3], { stride: 1, padding: 1 }, true],
  [[2, 3, 7, 9], [4, 3, 3, 3], { stride: 2, padding: 0 }, false],
  [[2, 3, 7, 9], [4, 3, 3, 3], { stride: [2, 1], padding: [1, 2] }, true],
  [[2, 5, 4, 4], [3, 5, 1, 1], {}, false],
  [[1, 2, 6, 5], [3, 2, 2, 2], { padding: 'same' }, true],
  [[1, 2, 9, 7], [2, 2, 5, 3], { stride: 2, padding: [2, 1] }, false],
  [[2, 3, 8, 8], [4, 3, 3, 3], { stride: 2, padding: 'same' }, false],
];

const convCases: OpCase[] = CONV.map(([x, w, o, bias]) => ({
  name: `conv2d x${fmt(x)} w${fmt(w)} ${JSON.stringify(o)}${bias ? ' +bias' : ''}`,
  op: 'conv2d',
  inputs: bias ? inp(x, w, [w[0]]) : inp(x, w),
  run: ([xx, ww, b]: readonly Tensor[]) => T.conv2d(xx, ww, { ...o, bias: b }),
  tol: TOL.sum(w[1] * w[2] * w[3]),
  gradTol: TOL.sum(x[0] * x[2] * x[3]),
}));

const poolCases: OpCase[] = [
  { name: 'avgPool2d [2,3,7,9] k2', op: 'avgPool2d', inputs: inp([2, 3, 7, 9]), run: ([x]) => T.avgPool2d(x, 2), tol: TOL.sum(4) },
  {
    name: 'avgPool2d [2,3,7,9] k3 s2 p1 countIncludePad',
    op: 'avgPool2d',
    inputs: inp([2, 3, 7, 9]),
    run: ([x]) => T.avgPool2d(x, 3, { stride: 2, padding: 1 }),
    tol: TOL.sum(9),
  },
  {
    name: 'avgPool2d [2,3,7,9] k3 s2 p1 excludePad',
    op: 'avgPool2d',
    inputs: inp([2, 3, 7, 9]),
    run: ([x]) => T.avgPool2d(x, 3, { stride: 2, padding: 1, countIncludePad: false }),
    tol: TOL.sum(9),
  },
  {
    name: 'avgPool2d [1,2,6,7] k[3,2] s[1,2]',
    op: 'avgPool2d',
    inputs: inp([1, 2, 6, 7]),
    run: ([x]) => T.avgPool2d(x, [3, 2], { stride: [1, 2] }),
    tol: TOL.sum(6),
  },
  { name: 'maxPool2d [2,3,7,9] k2', op: 'maxPool2d', inputs: inp([2, 3, 7, 9]), run: ([x]) => T.maxPool2d(x, 2), tol: TOL.exact },
  {
    name: 'maxPool2d [2,3,7,9] k3 s1 p1',
    op: 'maxPool2d',
    inputs: inp([2, 3, 7, 9]),
    run: ([x]) => T.maxPool2d(x, 3, { stride: 1, padding: 1 }),
    tol: TOL.exact,
    gradTol: TOL.sum(9),
  },
  {
    name: 'maxPool2d [1,2,6,7] k[2,3] s[2,1]',
    op: 'maxPool2d',
    inputs: inp([1, 2, 6, 7]),
    run: ([x]) => T.maxPool2d(x, [2, 3], { stride: [2, 1] }),
    tol: TOL.exact,
    gradTol: TOL.sum(6),
  },
  { name: 'globalAvgPool2d [2,3,7,9]', op: 'globalAvgPool2d', inputs: inp([2, 3, 7, 9]), run: ([x]) => T.globalAvgPool2d(x), tol: TOL.sum(63) },
  {
    name: 'globalAvgPool2d [2,3,4,4] keepdim',
    op: 'globalAvgPool2d',
    inputs: inp([2, 3, 4, 4]),
    run: ([x]) => T.globalAvgPool2d(x, { keepdim: true }),
    tol: TOL.sum(16),
  },
];

const labels = (n: number, classes: number): InputSpec => ({ shape: [n], gen: { labels: classes }, grad: false });

const lossCases: OpCase[] = [
  { name: 'logSoftmax [7,13]', op: 'logSoftmax', inputs: inp([7, 13]), run: ([x]) => T.logSoftmax(x), tol: TOL.composite, gradTol: TOL.sum(13) },
  { name: 'logSoftmax [7,13] axis=0', op: 'logSoftmax', inputs: inp([7, 13]), run: ([x]) => T.logSoftmax(x, 0), tol: TOL.composite },
  { name: 'logSoftmax [3] large logits', op: 'logSoftmax', inputs: inp([3]), run: ([x]) => T.logSoftmax(T.mul(x, 100)), tol: TOL.composite },
  { name: 'softmax [7,13]', op: 'softmax', inputs: inp([7, 13]), run: ([x]) => T.softmax(x), tol: TOL.composite },
  { name: 'softmax [2,3,4] axis=1', op: 'softmax', inputs: inp([2, 3, 4]), run: ([x]) => T.softmax(x, 1), tol: TOL.composite },
  {
    name: 'crossEntropy [7,13] host labels mean',
    op: 'crossEntropy',
    inputs: [...inp([7, 13]), labels(7, 13)],
    run: ([x], { values }) => T.crossEntropy(x, Array.from(values[1])),
    tol: TOL.composite,
  },
  {
    name: 'crossEntropy [7,13] Int32Array labels sum',
    op: 'crossEntropy',
    inputs: [...inp([7, 13]), labels(7, 13)],
    run: ([x], { values }) => T.crossEntropy(x, Int32Array.from(values[1]), { reduction: 'sum' }),
    tol: TOL.composite,
  },
  {
    name: 'crossEntropy [7,13] none',
    op: 'crossEntropy',
    inputs: [...inp([7, 13]), labels(7, 13)],
    run: ([x], { values }) => T.crossEntropy(x, Array.from(values[1]), { reduction: 'none' }),
    tol: TOL.composite,
  },
  {
    name: 'crossEntropy [5,10] tensor labels',
    op: 'crossEntropy',
    inputs: [...inp([5, 10]), labels(5, 10)],
    run: ([x, l]) => T.crossEntropy(x, l),
    tol: TOL.composite,
  },
];

const miscCases: OpCase[] = [
  {
    name: 'dropout [7,13] p=0.3 seeded',
    op: 'dropout',
    inputs: inp([7, 13]),
    run: ([x], ctx) => T.dropout(x, 0.3, { rng: ctx.rng() }),
    tol: TOL.elementwise,
  },
  {
    name: 'dropout [2,3,4] p=0.5 seeded',
    op: 'dropout',
    inputs: inp([2, 3, 4]),
    run: ([x], ctx) => T.dropout(x, 0.5, { rng: ctx.rng() }),
    tol: TOL.elementwise,
  },
  { name: 'dropout [7,13] eval', op: 'dropout', inputs: inp([7, 13]), run: ([x]) => T.dropout(x, 0.5, { training: false }), tol: TOL.exact },
  {
    name: 'layerNorm [7,13] over [13] +weight +bias',
    op: 'layerNorm',
    inputs: inp([7, 13], [13], [13]),
    run: ([x, w, b]) => T.layerNorm(x, [13], { weight: w, bias: b }),
    tol: TOL.composite,
    gradTol: TOL.sum(13),
  },
  { name: 'layerNorm [2,3,4] over [3,4]', op: 'layerNorm', inputs: inp([2, 3, 4]), run: ([x]) => T.layerNorm(x, [3, 4]), tol: TOL.composite },
  {
    name: 'batchNorm [4,3,5,5] batch statistics +weight +bias',
    op: 'batchNorm',
    inputs: inp([4, 3, 5, 5], [1, 3, 1, 1], [1, 3, 1, 1]),
    run: ([x, w, b]) => {
      const { mean, variance } = T.moments(x, [0, 2, 3], true);
      return T.batchNorm(x, mean, variance, { weight: w, bias: b });
    },
    tol: TOL.composite,
    gradTol: TOL.sum(100),
  },
  {
    name: 'batchNorm [4,3,5,5] running statistics, no gradient (one fused pass)',
    op: 'batchNorm',
    inputs: [{ shape: [4, 3, 5, 5] }, { shape: [1, 3, 1, 1] }, { shape: [1, 3, 1, 1], gen: 'positive' }, { shape: [1, 3, 1, 1] }, { shape: [1, 3, 1, 1] }],
    run: ([x, m, v, w, b]) => T.noGrad(() => T.batchNorm(x, m, v, { weight: w, bias: b, eps: 1e-3 })),
    grad: false,
    tol: TOL.composite,
  },
  {
    name: 'batchNorm [6,5] running statistics [5], no gradient',
    op: 'batchNorm',
    inputs: [{ shape: [6, 5] }, { shape: [5] }, { shape: [5], gen: 'positive' }],
    run: ([x, m, v]) => T.noGrad(() => T.batchNorm(x, m, v)),
    grad: false,
    tol: TOL.composite,
  },
  {
    name: 'batchNormTraining [4,3,5,5] +weight +bias [1,3,1,1]',
    op: 'batchNormTraining',
    inputs: inp([4, 3, 5, 5], [1, 3, 1, 1], [1, 3, 1, 1]),
    run: ([x, w, b]) => T.batchNormTraining(x, { weight: w, bias: b }).output,
    tol: TOL.composite,
    gradTol: TOL.sum(100),
  },
  {
    name: 'batchNormTraining [3,4,2,7] +weight [4] eps 0.1',
    op: 'batchNormTraining',
    inputs: inp([3, 4, 2, 7], [4]),
    run: ([x, w]) => T.batchNormTraining(x, { weight: w, eps: 0.1 }).output,
    tol: TOL.composite,
    gradTol: TOL.sum(42),
  },
  {
    name: 'batchNormTraining [9,5] (features) +bias [5]',
    op: 'batchNormTraining',
    inputs: inp([9, 5], [5]),
    run: ([x, b]) => T.batchNormTraining(x, { bias: b }).output,
    tol: TOL.composite,
    gradTol: TOL.sum(9),
  },
  {
    name: 'batchNormTraining [2,3,3] no affine, x + 5',
    op: 'batchNormTraining',
    inputs: inp([2, 3, 3]),
    run: ([x]) => T.batchNormTraining(T.add(x, 5)).output,
    tol: TOL.composite,
    gradTol: TOL.sum(6),
  },
  {
    name: 'batchNormTraining [4,3,5,5] mean and variance',
    op: 'batchNormTraining',
    inputs: inp([4, 3, 5, 5]),
    run: ([x]) => {
      const r = T.batchNormTraining(x);
      return T.concat([r.mean, r.variance], 0);
    },
    grad: false,
    tol: TOL.sum(100),
  },
  { name: 'moments [7,13] mean axis 0', op: 'moments', inputs: inp([7, 13]), run: ([x]) => T.moments(x, 0).mean, tol: TOL.sum(7) },
  { name: 'moments [7,13] variance axis 0', op: 'moments', inputs: inp([7, 13]), run: ([x]) => T.moments(x, 0).variance, tol: TOL.sum(7) },
  {
    name: 'copy_ [7,13]',
    op: 'copy_',
    inputs: inp([7, 13], [7, 13]),
    run: ([a, b]) => T.copy_(T.clone(a), b),
    grad: false,
    tol: TOL.exact,
  },
  {
    name: 'sgdUpdate_ [7,13] momentum nesterov weightDecay, 2 steps',
    op: 'sgdUpdate_',
    inputs: inp([7, 13], [7, 13]),
    run: ([p0, g]) => {
      const p = T.clone(p0);
      const v = T.zerosLike(p);
      const hp = { lr: 0.1, momentum: 0.9, weightDecay: 5e-4, nesterov: true };
      T.sgdUpdate_(p, g, v, hp);
      T.sgdUpdate_(p, g, v, { ...hp, lr: 0.05 });
      return T.stack([p, v]);
    },
    grad: false,
    tol: TOL.composite,
  },
  {
    name: 'sgdUpdate_ [13] plain',
    op: 'sgdUpdate_',
    inputs: inp([13], [13]),
    run: ([p0, g]) => {
      const p = T.clone(p0);
      T.sgdUpdate_(p, g, T.zerosLike(p), { lr: 0.1, momentum: 0, weightDecay: 0, nesterov: false });
      return p;
    },
    grad: false,
    tol: TOL.elementwise,
  },
];

// Scaled Weight Standardisation: conv- and dense-shaped weights with a per-output gain, relu's gamma, a
// large eps (so eps is tested too), and the standardised weight feeding a conv (the NF-ResNet layer).
const RELU_GAMMA = Math.sqrt(2 / (1 - 1 / Math.PI));
const wsCases: OpCase[] = [
  {
    name: 'scaledWeightStandardization w[4,3,3,3] gain[4] gamma relu',
    op: 'scaledWeightStandardization',
    inputs: [{ shape: [4, 3, 3, 3] }, { shape: [4], gen: 'positive' }],
    run: ([w, g]) => T.scaledWeightStandardization(w, g, { gamma: RELU_GAMMA }),
    tol: TOL.composite,
    gradTol: TOL.sum(27),
  },
  {
    name: 'scaledWeightStandardization w[5,7] (dense) gain[5] eps 0.5',
    op: 'scaledWeightStandardization',
    inputs: [{ shape: [5, 7] }, { shape: [5] }],
    run: ([w, g]) => T.scaledWeightStandardization(w, g, { eps: 0.5 }),
    tol: TOL.composite,
    gradTol: TOL.sum(7),
  },
  {
    name: 'conv2d [2,3,5,5] with scaledWeightStandardization w[4,3,3,3] gain[4]',
    op: 'scaledWeightStandardization',
    inputs: [{ shape: [2, 3, 5, 5] }, { shape: [4, 3, 3, 3] }, { shape: [4], gen: 'positive' }],
    run: ([x, w, g]) => T.conv2d(x, T.scaledWeightStandardization(w, g, { gamma: RELU_GAMMA }), { padding: 1 }),
    tol: TOL.sum(27),
    gradTol: TOL.sum(100),
  },
];

export const nnCases: OpCase[] = [...matmulCases, ...linearCases, ...convCases, ...poolCases, ...lossCases, ...miscCases, ...wsCases];
