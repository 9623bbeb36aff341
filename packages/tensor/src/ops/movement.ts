// Movement ops: reshape (shares storage: no kernel), permute, expand, slice, pad, concat, and the
// compositions torch users expect (flatten, squeeze, unsqueeze, transpose, t, narrow, stack).

import type { Shape } from '../backend';
import { TensorError, check, formatShape } from '../errors';
import { tidy } from '../memory';
import { broadcastsTo, inferReshape, normalizeAxis, shapesEqual } from '../shape';
import { apply, engineOf } from '../tape';
import type { Op } from '../tape';
import type { Axes, Tensor } from '../tensor';
import { sumTo } from './reduce';

const RESHAPE: Op<{ shape: Shape }> = {
  name: 'reshape',
  forward: (_, [x], { shape }) => ({ data: x.storage, shape }),
  backward: (dy, { shapes: [xs] }) => [dy.reshape(xs)],
};

/** Same values, new shape (one dim may be -1). Shares storage with `x`: no copy, no kernel. */
export function reshape(x: Tensor, shape: readonly number[]): Tensor {
  x.assertAlive('reshape');
  return apply(RESHAPE, [x], { shape: inferReshape('reshape', x.shape, shape) });
}

/** Merges dims startDim..endDim into one (torch.flatten); a scalar becomes [1]. */
export function flatten(x: Tensor, startDim = 0, endDim = -1): Tensor {
  x.assertAlive('flatten');
  if (x.rank === 0) return reshape(x, [1]);
  const s = normalizeAxis('flatten', startDim, x.rank, x.shape);
  const e = normalizeAxis('flatten', endDim, x.rank, x.shape);
  check(s <= e, 'flatten', () => `${formatShape(x.shape)}: startDim ${startDim} comes after endDim ${endDim}`);
  const merged = x.shape.slice(s, e + 1).reduce((a, b) => a * b, 1);
  return reshape(x, [...x.shape.slice(0, s), merged, ...x.shape.slice(e + 1)]);
}

/** Drops size-1 dims: all of them, or those in `axes` (a listed dim that is not 1 stays, as in torch). */
export function squeeze(x: Tensor, axes?: Axes): Tensor {
  x.assertAlive('squeeze');
  const list = axes === undefined ? null : (typeof axes === 'number' ? [axes] : axes).map((a) => normalizeAxis('squeeze', a, x.rank, x.shape));
  return reshape(x, x.shape.filter((d, i) => d !== 1 || (list !== null && !list.includes(i))));
}

/** Inserts a size-1 dim at `axis` (in -rank-1..rank). */
export function unsqueeze(x: Tensor, axis: number): Tensor {
  x.assertAlive('unsqueeze');
  const a = normalizeAxis('unsqueeze', axis, x.rank + 1, x.shape);
  return reshape(x, [...x.shape.slice(0, a), 1, ...x.shape.slice(a)]);
}

const PERMUTE: Op<{ perm: readonly number[] }> = {
  name: 'permute',
  forward: (b, [x], { perm }) => ({ data: b.permute(x.storage.id, x.shape, perm), shape: perm.map((p) => x.shape[p]) }),
  backward: (dy, { attrs: { perm } }) => {
    const inverse = new Array<number>(perm.length);
    perm.forEach((p, i) => (inverse[p] = i));
    return [dy.permute(inverse)];
  },
};

/** Reorders dims: output dim i is input dim perm[i] (torch.permute). */
export function permute(x: Tensor, perm: readonly number[]): Tensor {
  x.assertAlive('permute');
  check(perm.length === x.rank, 'permute', () => `${formatShape(x.shape)}: perm [${perm.join(',')}] has ${perm.length} entries for rank ${x.rank}`);
  const p = perm.map((a) => normalizeAxis('permute', a, x.rank, x.shape));
  check(new Set(p).size === p.length, 'permute', () => `${formatShape(x.shape)}: [${perm.join(',')}] is not a permutation`);
  if (p.every((a, i) => a === i)) return reshape(x, x.shape);
  return apply(PERMUTE, [x], { perm: p });
}

/** Swaps two dims. */
export function transpose(x: Tensor, dim0: number, dim1: number): Tensor {
  x.assertAlive('transpose');
  const perm = x.shape.map((_, i) => i);
  const a = normalizeAxis('transpose', dim0, x.rank, x.shape);
  const b = normalizeAxis('transpose', dim1, x.rank, x.shape);
  perm[a] = b;
  perm[b] = a;
  return permute(x, perm);
}

/** Matrix transpose (rank <= 2), torch's t(). */
export function t(x: Tensor): Tensor {
  x.assertAlive('t');
  check(x.rank <= 2, 't', () => `${formatShape(x.shape)}: expects a tensor of rank <= 2 (use transpose or permute)`);
  return x.rank < 2 ? reshape(x, x.shape) : transpose(x, 0, 1);
}

const EXPAND: Op<{ shape: Shape }> = {
  name: 'expand',
  forward: (b, [x], { shape }) => ({ data: b.broadcastTo(x.storage.id, x.shape, shape), shape }),
  backward: (dy, { shapes: [xs] }) => [sumTo(dy, xs)],
};

/** Broadcasts to `shape` (numpy rules; -1 keeps a dim). Materialises the copy; its backward is sumTo. */
export function expand(x: Tensor, shape: readonly number[]): Tensor {
  x.assertAlive('expand');
  const off = shape.length - x.rank;
  const target = shape.map((d, i) => (d === -1 && i >= off ? x.shape[i - off] : d));
  check(off >= 0 && target.every((d) => Number.isInteger(d) && d > 0) && broadcastsTo(x.shape, target), 'expand', () =>
    `${formatShape(x.shape)} cannot be expanded to ${formatShape(shape)}`,
  );
  if (shapesEqual(x.shape, target)) return reshape(x, target);
  return apply(EXPAND, [x], { shape: target });
}

const SLICE: Op<{ begin: readonly number[]; size: readonly number[] }> = {
  name: 'slice',
  forward: (b, [x], { begin, size }) => ({ data: b.slice(x.storage.id, x.shape, begin, size), shape: size }),
  backward: (dy, { attrs: { begin, size }, shapes: [xs] }) => [dy.pad(xs.map((d, i) => [begin[i], d - begin[i] - size[i]] as const))],
};

/**
 * x[begin[0] : begin[0]+size[0], ...] (tfjs's slice). Missing trailing dims are taken whole; a negative
 * begin counts from the end; a size of -1 (or a missing size) runs to the end of the dim.
 */
export function slice(x: Tensor, begin: readonly number[], size?: readonly number[]): Tensor {
  x.assertAlive('slice');
  const where = () => `${formatShape(x.shape)}, begin [${begin.join(',')}], size [${(size ?? []).join(',')}]`;
  check(begin.length <= x.rank && (size === undefined || size.length <= x.rank), 'slice', () => `${where()}: more entries than rank ${x.rank}`);
  const b = x.shape.map((d, i) => {
    const v = begin[i] ?? 0;
    check(Number.isInteger(v) && v >= -d && v < d, 'slice', () => `${where()}: begin ${v} is out of range for dim ${i} of size ${d}`);
    return v < 0 ? v + d : v;
  });
  const s = x.shape.map((d, i) => {
    const v = size?.[i] ?? -1;
    const n = v === -1 ? d - b[i] : v;
    check(Number.isInteger(n) && n > 0 && b[i] + n <= d, 'slice', () => `${where()}: size ${v} at begin ${b[i]} does not fit dim ${i} of size ${d}`);
    return n;
  });
  if (shapesEqual(s, x.shape)) return reshape(x, x.shape);
  return apply(SLICE, [x], { begin: b, size: s });
}

/** `length` entries of dim `dim` from `start` (torch.narrow). */
export function narrow(x: Tensor, dim: number, start: number, length: number): Tensor {
  x.assertAlive('narrow');
  const d = normalizeAxis('narrow', dim, x.rank, x.shape);
  const begin = x.shape.map((_, i) => (i === d ? start : 0));
  const size = x.shape.map((n, i) => (i === d ? length : n));
  return slice(x, begin, size);
}

/** pads[d] = [before, after] for every dim. */
export type Pads = readonly (readonly [number, number])[];

const PAD: Op<{ pads: Pads; value: number }> = {
  name: 'pad',
  forward: (b, [x], { pads, value }) => ({
    data: b.pad(x.storage.id, x.shape, pads, value),
    shape: x.shape.map((d, i) => d + pads[i][0] + pads[i][1]),
  }),
  backward: (dy, { attrs: { pads }, shapes: [xs] }) => [dy.slice(pads.map((p) => p[0]), xs)],
};

/** Pads every dim with `value` (default 0): pads[d] = [before, after], non-negative integers. */
export function pad(x: Tensor, pads: Pads, value = 0): Tensor {
  x.assertAlive('pad');
  const text = () => `${formatShape(x.shape)}, pads ${JSON.stringify(pads)}`;
  check(Array.isArray(pads) && pads.length === x.rank, 'pad', () => `${text()}: need one [before, after] pair per dim (${x.rank})`);
  for (const p of pads) {
    check(
      Array.isArray(p) && p.length === 2 && p.every((v) => Number.isInteger(v) && v >= 0),
      'pad',
      () => `${text()}: each pair must be two non-negative integers`,
    );
  }
  if (pads.every((p) => p[0] === 0 && p[1] === 0)) return reshape(x, x.shape);
  return apply(PAD, [x], { pads: pads.map((p) => [p[0], p[1]] as const), value });
}

const CONCAT: Op<{ axis: number }> = {
  name: 'concat',
  forward: (b, xs, { axis }) => {
    const shape = [...xs[0].shape];
    shape[axis] = xs.reduce((n, x) => n + x.shape[axis], 0);
    return { data: b.concat(xs.map((x) => x.storage.id), xs.map((x) => x.shape), axis), shape };
  },
  backward: (dy, { attrs: { axis }, shapes, needs }) => {
    let offset = 0;
    return shapes.map((s, i) => {
      const start = offset;
      offset += s[axis];
      return needs[i] ? dy.narrow(axis, start, s[axis]) : null;
    });
  },
};

/** Joins tensors along `axis` (torch.cat); every other dim must match. */
export function concat(xs: readonly Tensor[], axis = 0): Tensor {
  check(xs.length > 0, 'concat', () => 'needs a non-empty array of tensors');
  engineOf('concat', xs);
  const first = xs[0].shape;
  const a = normalizeAxis('concat', axis, first.length, first);
  for (const x of xs) {
    if (x.rank !== first.length || x.shape.some((d, i) => i !== a && d !== first[i])) {
      throw new TensorError(
        'concat',
        `${xs.map((t) => formatShape(t.shape)).join(', ')}: shapes differ outside axis ${axis}`,
      );
    }
  }
  if (xs.length === 1) return reshape(xs[0], first);
  return apply(CONCAT, xs, { axis: a });
}

/** torch's name for concat. */
export const cat = concat;

/** Joins same-shaped tensors along a new axis. */
export function stack(xs: readonly Tensor[], axis = 0): Tensor {
  check(xs.length > 0, 'stack', () => 'needs a non-empty array of tensors');
  engineOf('stack', xs);
  const s = xs[0].shape;
  for (const x of xs) {
    check(shapesEqual(x.shape, s), 'stack', () => `${xs.map((t) => formatShape(t.shape)).join(', ')}: shapes differ`);
  }
  const a = normalizeAxis('stack', axis, s.length + 1, s);
  return tidy(() => concat(xs.map((x) => unsqueeze(x, a)), a));
}
