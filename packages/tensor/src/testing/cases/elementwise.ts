// Conformance cases: unary and binary elementwise ops, scalar operands, comparisons, where.

import type { Shape } from '../../backend';
import * as T from '../../index';
import type { Tensor } from '../../tensor';
import { TOL } from '../case';
import type { Gen, InputSpec, OpCase } from '../case';

const fmt = (s: Shape) => `[${s.join(',')}]`;
const inp = (shape: Shape, gen: Gen = 'normal', grad?: boolean): InputSpec => ({ shape, gen, grad });

const UNARY: [string, (x: Tensor) => Tensor, Gen][] = [
  ['neg', T.neg, 'normal'],
  ['exp', T.exp, 'normal'],
  ['log', T.log, 'positive'],
  ['sqrt', T.sqrt, 'positive'],
  ['rsqrt', T.rsqrt, 'positive'],
  ['abs', T.abs, 'normal'],
  ['square', T.square, 'normal'],
  ['reciprocal', T.reciprocal, 'positive'],
  ['relu', T.relu, 'normal'],
  ['sigmoid', T.sigmoid, 'normal'],
  ['tanh', T.tanh, 'normal'],
  ['erf', T.erf, 'normal'],
  ['gelu', T.gelu, 'normal'],
  ['gelu-tanh', (x) => T.gelu(x, { approximate: 'tanh' }), 'normal'],
  ['clone', T.clone, 'normal'],
];

const unaryCases: OpCase[] = UNARY.flatMap(([op, f, gen]) =>
  [[7, 13], [5], [], [2, 3, 4]].map((shape) => ({
    name: `${op} ${fmt(shape)}`,
    op,
    inputs: [inp(shape, gen)],
    run: ([x]: readonly Tensor[]) => f(x),
    tol: op.startsWith('erf') || op.startsWith('gelu') ? TOL.composite : TOL.elementwise,
  })),
);

const signCases: OpCase[] = [
  { name: 'sign [7,13]', op: 'sign', inputs: [inp([7, 13], 'int')], run: ([x]) => T.sign(x), grad: false, tol: TOL.exact },
];

const BINARY: [string, (a: Tensor, b: Tensor) => Tensor, Gen, Gen][] = [
  ['add', T.add, 'normal', 'normal'],
  ['sub', T.sub, 'normal', 'normal'],
  ['mul', T.mul, 'normal', 'normal'],
  ['div', T.div, 'normal', 'positive'],
  ['pow', T.pow, 'positive', 'uniform'],
  ['maximum', T.maximum, 'normal', 'normal'],
  ['minimum', T.minimum, 'normal', 'normal'],
];

const PAIRS: [Shape, Shape][] = [
  [[7, 13], [7, 13]],
  [[7, 13], [13]],
  [[13], [7, 13]],
  [[7, 1], [1, 13]],
  [[2, 1, 4], [3, 1]],
  [[], [5, 3]],
];

const binaryCases: OpCase[] = BINARY.flatMap(([op, f, ga, gb]) =>
  PAIRS.map(([a, b]) => ({
    name: `${op} ${fmt(a)}, ${fmt(b)}`,
    op,
    inputs: [inp(a, ga), inp(b, gb)],
    run: ([x, y]: readonly Tensor[]) => f(x, y),
    tol: TOL.elementwise,
    gradTol: TOL.sum(13),
  })),
);

const SCALAR: [string, string, (x: Tensor) => Tensor, Gen][] = [
  ['add', 'x + 2.5', (x) => T.add(x, 2.5), 'normal'],
  ['add', '2.5 + x', (x) => T.add(2.5, x), 'normal'],
  ['sub', 'x - 1.5', (x) => T.sub(x, 1.5), 'normal'],
  ['sub', '3 - x', (x) => T.sub(3, x), 'normal'],
  ['mul', 'x * -0.5', (x) => T.mul(x, -0.5), 'normal'],
  ['div', 'x / 4', (x) => T.div(x, 4), 'normal'],
  ['div', '2 / x', (x) => T.div(2, x), 'positive'],
  ['pow', 'x ** 2', (x) => T.pow(x, 2), 'normal'],
  ['pow', 'x ** 3', (x) => T.pow(x, 3), 'normal'],
  ['pow', 'x ** 0.5', (x) => T.pow(x, 0.5), 'positive'],
  ['pow', 'x ** -1.5', (x) => T.pow(x, -1.5), 'positive'],
  ['pow', '2 ** x', (x) => T.pow(2, x), 'normal'],
  ['maximum', 'maximum(x, 0)', (x) => T.maximum(x, 0), 'normal'],
  ['minimum', 'minimum(x, 0.3)', (x) => T.minimum(x, 0.3), 'normal'],
  ['clamp', 'clamp(x, -0.5, 0.5)', (x) => T.clamp(x, -0.5, 0.5), 'normal'],
  ['clamp', 'clamp(x, null, 0.2)', (x) => T.clamp(x, null, 0.2), 'normal'],
];

const scalarCases: OpCase[] = SCALAR.map(([op, text, f, gen]) => ({
  name: `${op} ${text} [7,13]`,
  op,
  inputs: [inp([7, 13], gen)],
  run: ([x]) => f(x),
  tol: TOL.elementwise,
}));

const COMPARE: [string, (a: T.TensorLike, b: T.TensorLike) => Tensor][] = [
  ['eq', T.eq],
  ['ne', T.ne],
  ['lt', T.lt],
  ['le', T.le],
  ['gt', T.gt],
  ['ge', T.ge],
];

const compareCases: OpCase[] = COMPARE.flatMap(([op, f]) => [
  {
    name: `${op} [7,13], [13]`,
    op,
    inputs: [inp([7, 13], 'int'), inp([13], 'int')],
    run: ([a, b]: readonly Tensor[]) => f(a, b),
    grad: false,
    tol: TOL.exact,
  },
  { name: `${op} [7,13], 0`, op, inputs: [inp([7, 13], 'int')], run: ([a]: readonly Tensor[]) => f(a, 0), grad: false, tol: TOL.exact },
]);

const whereCases: OpCase[] = [
  {
    name: 'where [7,13] ? [7,13] : [13]',
    op: 'where',
    inputs: [inp([7, 13], 'mask', false), inp([7, 13]), inp([13])],
    run: ([c, a, b]) => T.where(c, a, b),
    tol: TOL.exact,
    gradTol: TOL.sum(7),
  },
  {
    name: 'where [7,1] ? [1,13] : 0',
    op: 'where',
    inputs: [inp([7, 1], 'mask', false), inp([1, 13])],
    run: ([c, a]) => T.where(c, a, 0),
    tol: TOL.exact,
    gradTol: TOL.sum(7),
  },
];

export const elementwiseCases: OpCase[] = [
  ...unaryCases,
  ...signCases,
  ...binaryCases,
  ...scalarCases,
  ...compareCases,
  ...whereCases,
];
