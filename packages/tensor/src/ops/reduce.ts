// Reductions over axes (with keepdim), and sumTo, the adjoint of broadcasting.
//
// Axes follow torch: a number, a list, or undefined/null for all axes; negative axes count from the end.
// An empty list reduces nothing (numpy's convention). Results keep the reduced axes as size 1 when
// `keepdim` is true.

import type { Shape } from '../backend';
import { TensorError, formatShape } from '../errors';
import { tidy } from '../memory';
import { broadcastsTo, keepdimShape, normalizeAxes, normalizeAxis, reducedShape, shapesEqual, sumToAxes } from '../shape';
import { apply } from '../tape';
import type { Op } from '../tape';
import type { Axes, Tensor } from '../tensor';
import { reshape } from './movement';

interface ReduceAttrs {
  readonly axes: readonly number[];
  readonly keepdim: boolean;
}

const outShapeOf = (shape: Shape, { axes, keepdim }: ReduceAttrs) =>
  keepdim ? keepdimShape(shape, axes) : reducedShape(shape, axes);

const SUM: Op<ReduceAttrs> = {
  name: 'sum',
  forward: (b, [x], a) => ({ data: b.reduce('sum', x.storage.id, x.shape, a.axes), shape: outShapeOf(x.shape, a) }),
  backward: (dy, { attrs, shapes: [xs] }) => [dy.reshape(keepdimShape(xs, attrs.axes)).expand(xs)],
};

/** max and min: the gradient is shared equally among the tied extrema (torch's amax/amin). */
function extremumOp(kind: 'max' | 'min'): Op<ReduceAttrs> {
  return {
    name: kind,
    saves: [0, 'out'],
    forward: (b, [x], a) => ({ data: b.reduce(kind, x.storage.id, x.shape, a.axes), shape: outShapeOf(x.shape, a) }),
    backward: (dy, { saved: [x, y], attrs }) => {
      const keep = keepdimShape(x.shape, attrs.axes);
      const mask = x.eq(y.reshape(keep));
      const count = mask.sum(attrs.axes, true);
      return [mask.mul(dy.reshape(keep).div(count))];
    },
  };
}
const MAX = extremumOp('max');
const MIN = extremumOp('min');

function reduceWith(op: Op<ReduceAttrs>, x: Tensor, axes: Axes | null | undefined, keepdim: boolean): Tensor {
  x.assertAlive(op.name);
  const list = normalizeAxes(op.name, axes, x.shape);
  if (list.length === 0) return reshape(x, x.shape);
  return apply(op, [x], { axes: list, keepdim });
}

/** Sum over `axes` (all when omitted). */
export function sum(x: Tensor, axes?: Axes | null, keepdim = false): Tensor {
  return reduceWith(SUM, x, axes, keepdim);
}

/** Largest value over `axes`; ties share the gradient equally. */
export function max(x: Tensor, axes?: Axes | null, keepdim = false): Tensor {
  return reduceWith(MAX, x, axes, keepdim);
}

/** Smallest value over `axes`; ties share the gradient equally. */
export function min(x: Tensor, axes?: Axes | null, keepdim = false): Tensor {
  return reduceWith(MIN, x, axes, keepdim);
}

function countOf(op: string, x: Tensor, axes: Axes | null | undefined): number {
  return normalizeAxes(op, axes, x.shape).reduce((n, a) => n * x.shape[a], 1);
}

/** Mean over `axes` (all when omitted). */
export function mean(x: Tensor, axes?: Axes | null, keepdim = false): Tensor {
  x.assertAlive('mean');
  const n = countOf('mean', x, axes);
  return tidy(() => sum(x, axes, keepdim).mul(1 / n));
}

export interface VarOptions {
  /**
   * Bessel's correction: divide by N - 1 (true, the default, as in torch.var) or by N (false: the
   * population variance, what batch norm normalises with).
   */
  readonly unbiased?: boolean;
  /** torch's newer spelling: divide by N - correction (overrides `unbiased`). */
  readonly correction?: number;
  readonly keepdim?: boolean;
}

/**
 * Variance over `axes` (all when omitted). PyTorch's default semantics: unbiased (divides by N - 1);
 * pass { unbiased: false } for the biased estimate. N - correction <= 0 gives inf/NaN, as in torch.
 */
export function variance(x: Tensor, axes?: Axes | null, options: VarOptions = {}): Tensor {
  x.assertAlive('var');
  const n = countOf('var', x, axes);
  const c = options.correction ?? (options.unbiased === false ? 0 : 1);
  return tidy(() => {
    const d = x.sub(mean(x, axes, true));
    return sum(d.square(), axes, options.keepdim ?? false).mul(1 / Math.max(0, n - c));
  });
}

/** Standard deviation: sqrt(var) with the same options. */
export function std(x: Tensor, axes?: Axes | null, options: VarOptions = {}): Tensor {
  return tidy(() => variance(x, axes, options).sqrt());
}

/** log(sum(exp(x))) over `axes`, computed stably (the max is subtracted first). */
export function logsumexp(x: Tensor, axes?: Axes | null, keepdim = false): Tensor {
  x.assertAlive('logsumexp');
  const list = normalizeAxes('logsumexp', axes, x.shape);
  return tidy(() => {
    const m = max(x, list, true).detach();
    const r = x.sub(m).exp().sum(list, true).log().add(m);
    return keepdim ? r : reshape(r, reducedShape(x.shape, list));
  });
}

const ARGMAX: Op<{ axis: number }> = {
  name: 'argmax',
  forward: (b, [x], { axis }) => ({ data: b.argmax(x.storage.id, x.shape, axis), shape: reducedShape(x.shape, [axis]) }),
};

/** Index of the largest value along `axis` (of the flattened tensor when omitted), as float32; first on ties. */
export function argmax(x: Tensor, axis?: number, keepdim = false): Tensor {
  x.assertAlive('argmax');
  if (axis === undefined) {
    return tidy(() => apply(ARGMAX, [reshape(x, [x.size])], { axis: 0 }));
  }
  const a = normalizeAxis('argmax', axis, x.rank, x.shape);
  if (!keepdim) return apply(ARGMAX, [x], { axis: a });
  return tidy(() => reshape(apply(ARGMAX, [x], { axis: a }), keepdimShape(x.shape, [a])));
}

/**
 * Sums `x` down to `shape`, the shape it was broadcast from: the adjoint of `expand` (and so the backward
 * of every broadcasting op).
 */
export function sumTo(x: Tensor, shape: Shape): Tensor {
  x.assertAlive('sumTo');
  if (shapesEqual(x.shape, shape)) return reshape(x, shape);
  if (!broadcastsTo(shape, x.shape)) {
    throw new TensorError('sumTo', `${formatShape(x.shape)} cannot be summed to ${formatShape(shape)} (it does not broadcast to it)`);
  }
  const axes = sumToAxes(x.shape, shape);
  if (axes.length === 0) return reshape(x, shape);
  if (shapesEqual(reducedShape(x.shape, axes), shape)) return apply(SUM, [x], { axes, keepdim: false });
  return tidy(() => reshape(apply(SUM, [x], { axes, keepdim: false }), shape));
}
