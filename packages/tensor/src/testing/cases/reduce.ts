// Conformance cases: reductions over axes (with keepdim), variance, logsumexp, argmax, sumTo.

import type { Shape } from '../../backend';
import * as T from '../../index';
import type { Tensor } from '../../tensor';
import { TOL } from '../case';
import type { OpCase } from '../case';

const fmt = (s: Shape) => `[${s.join(',')}]`;

type Reducer = (x: Tensor, axes: number | number[] | undefined, keepdim: boolean) => Tensor;

const REDUCERS: [string, Reducer][] = [
  ['sum', (x, a, k) => T.sum(x, a, k)],
  ['mean', (x, a, k) => T.mean(x, a, k)],
  ['max', (x, a, k) => T.max(x, a, k)],
  ['min', (x, a, k) => T.min(x, a, k)],
  ['var', (x, a, k) => T.variance(x, a, { keepdim: k })],
  ['var-biased', (x, a, k) => T.variance(x, a, { keepdim: k, unbiased: false })],
  ['std', (x, a, k) => T.std(x, a, { keepdim: k })],
  ['logsumexp', (x, a, k) => T.logsumexp(x, a, k)],
];

const SETTINGS: [Shape, number | number[] | undefined, boolean][] = [
  [[7, 13], undefined, false],
  [[7, 13], 0, false],
  [[7, 13], 1, true],
  [[7, 13], -1, false],
  [[2, 3, 4], [0, 2], false],
  [[2, 3, 4], [0, 2], true],
  [[2, 3, 4], 1, true],
  [[9], 0, false],
];

const reduceCases: OpCase[] = REDUCERS.flatMap(([op, f]) =>
  SETTINGS.map(([shape, axes, keepdim]) => {
    const n = axes === undefined ? shape.reduce((a, b) => a * b, 1) : [axes].flat().reduce((a, ax) => a * shape.at(ax)!, 1);
    return {
      name: `${op} ${fmt(shape)} axes=${JSON.stringify(axes ?? 'all')} keepdim=${keepdim}`,
      op: op.replace('-biased', ''),
      inputs: [{ shape, gen: 'normal' as const }],
      run: ([x]: readonly Tensor[]) => f(x, axes, keepdim),
      tol: op === 'max' || op === 'min' ? TOL.exact : TOL.sum(n),
      gradTol: TOL.sum(n),
    };
  }),
);

const otherCases: OpCase[] = [
  { name: 'argmax [7,13] axis=1', op: 'argmax', inputs: [{ shape: [7, 13] }], run: ([x]) => T.argmax(x, 1), grad: false, tol: TOL.exact },
  { name: 'argmax [7,13] axis=0 keepdim', op: 'argmax', inputs: [{ shape: [7, 13] }], run: ([x]) => T.argmax(x, 0, true), grad: false, tol: TOL.exact },
  { name: 'argmax [2,3,4] flat', op: 'argmax', inputs: [{ shape: [2, 3, 4] }], run: ([x]) => T.argmax(x), grad: false, tol: TOL.exact },
  {
    name: 'argmax [7,13] ties (first wins)',
    op: 'argmax',
    inputs: [{ shape: [7, 13], gen: 'int' }],
    run: ([x]) => T.argmax(x, 1),
    grad: false,
    tol: TOL.exact,
  },
  { name: 'max [7,13] ties share the gradient', op: 'max', inputs: [{ shape: [7, 13], gen: 'int' }], run: ([x]) => T.max(x, 1), tol: TOL.exact, numericGrad: false },
  { name: 'sumTo [7,13] -> [13]', op: 'sumTo', inputs: [{ shape: [7, 13] }], run: ([x]) => T.sumTo(x, [13]), tol: TOL.sum(7) },
  { name: 'sumTo [2,7,13] -> [7,1]', op: 'sumTo', inputs: [{ shape: [2, 7, 13] }], run: ([x]) => T.sumTo(x, [7, 1]), tol: TOL.sum(26) },
  { name: 'sumTo [3,4] -> [1,1]', op: 'sumTo', inputs: [{ shape: [3, 4] }], run: ([x]) => T.sumTo(x, [1, 1]), tol: TOL.sum(12) },
];

export const reduceCasesAll: OpCase[] = [...reduceCases, ...otherCases];
