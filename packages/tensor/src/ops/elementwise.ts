// Elementwise ops: the unary and binary rows of the op table, `where`, and the scalar affine map.
//
// Binary ops broadcast inside the backend kernel (no materialised copy); their backward computes each
// input's gradient at the broadcast shape and hands it to `sumTo`, the adjoint of broadcasting (as
// `expand`'s backward does). A number operand becomes the affine primitive where it can (x + c, x * c)
// and a temporary scalar tensor otherwise.

import type { BinaryOp, UnaryOp } from '../backend';
import type { Engine } from '../engine';
import { TensorError } from '../errors';
import { tidy } from '../memory';
import { broadcastShapes } from '../shape';
import { apply, engineOf } from '../tape';
import type { Op } from '../tape';
import type { Tensor, TensorLike } from '../tensor';
import { sumTo } from './reduce';

// ---- unary ---------------------------------------------------------------------------------------

interface UnaryRule {
  /** The tensor backward needs: the input x, the output y, or nothing. */
  readonly save: 'x' | 'y' | null;
  readonly grad: (dy: Tensor, saved: Tensor) => Tensor;
}

/** d/dx of each differentiable unary op, beside what it saves. `sign` has none (zero almost everywhere). */
const UNARY: Record<Exclude<UnaryOp, 'sign'>, UnaryRule> = {
  neg: { save: null, grad: (dy) => dy.neg() },
  exp: { save: 'y', grad: (dy, y) => dy.mul(y) },
  log: { save: 'x', grad: (dy, x) => dy.div(x) },
  sqrt: { save: 'y', grad: (dy, y) => dy.div(y).mul(0.5) },
  rsqrt: { save: 'y', grad: (dy, y) => dy.mul(y.square().mul(y)).mul(-0.5) },
  abs: { save: 'x', grad: (dy, x) => dy.mul(x.sign()) },
  square: { save: 'x', grad: (dy, x) => dy.mul(x).mul(2) },
  reciprocal: { save: 'y', grad: (dy, y) => dy.mul(y.square()).neg() },
  // relu'(0) = 0, as in torch; one fused pass (the backend's reluBackward)
  relu: { save: 'y', grad: (dy, y) => dy.engine.wrap(dy.engine.backend.reluBackward(dy.storage.id, y.storage.id, y.size), y.shape) },
  sigmoid: { save: 'y', grad: (dy, y) => dy.mul(y.sub(y.square())) },
  tanh: { save: 'y', grad: (dy, y) => dy.mul(y.square().neg().add(1)) },
};

function unaryOp(kind: UnaryOp): Op {
  const rule = kind === 'sign' ? null : UNARY[kind];
  return {
    name: kind,
    saves: rule?.save === 'x' ? [0] : rule?.save === 'y' ? ['out'] : [],
    forward: (b, [x]) => ({ data: b.unary(kind, x.storage.id, x.size), shape: x.shape }),
    backward: rule === null ? undefined : (dy, { saved }) => [rule.grad(dy, saved[0])],
  };
}

const UNARY_OPS = Object.fromEntries(
  (['neg', 'exp', 'log', 'sqrt', 'rsqrt', 'abs', 'sign', 'square', 'reciprocal', 'relu', 'sigmoid', 'tanh'] as const).map(
    (k) => [k, unaryOp(k)],
  ),
) as Record<UnaryOp, Op>;

const unary = (kind: UnaryOp) => (x: Tensor): Tensor => apply(UNARY_OPS[kind], [x], undefined);

export const neg = unary('neg');
export const exp = unary('exp');
export const log = unary('log');
export const sqrt = unary('sqrt');
/** 1 / sqrt(x). */
export const rsqrt = unary('rsqrt');
export const abs = unary('abs');
/** -1, 0 or 1; no gradient. */
export const sign = unary('sign');
export const square = unary('square');
export const reciprocal = unary('reciprocal');
export const relu = unary('relu');
export const sigmoid = unary('sigmoid');
export const tanh = unary('tanh');

// ---- affine: x * scale + shift, scalars passed at run time ---------------------------------------

const AFFINE: Op<{ scale: number; shift: number }> = {
  name: 'affine',
  forward: (b, [x], { scale, shift }) => ({ data: b.affine(x.storage.id, x.size, scale, shift), shape: x.shape }),
  backward: (dy, { attrs }) => [attrs.scale === 1 ? dy : dy.mul(attrs.scale)],
};

/** x * scale + shift (the primitive behind x + c, x * c, mean's 1/n, ...). */
export function affine(x: Tensor, scale: number, shift: number): Tensor {
  return apply(AFFINE, [x], { scale, shift });
}

const CLONE: Op = {
  name: 'clone',
  forward: (b, [x]) => ({ data: b.affine(x.storage.id, x.size, 1, 0), shape: x.shape }),
  backward: (dy) => [dy],
};

/** A copy with its own storage (differentiable). */
export function clone(x: Tensor): Tensor {
  return apply(CLONE, [x], undefined);
}

// ---- binary --------------------------------------------------------------------------------------

type DiffBinary = 'add' | 'sub' | 'mul' | 'div' | 'pow' | 'maximum' | 'minimum';

interface BinaryRule {
  readonly saves: readonly (0 | 1 | 'out')[];
  /** Gradients at the broadcast shape; `sumTo` brings them back to each input's shape. */
  readonly grad: (dy: Tensor, saved: readonly Tensor[], needs: readonly boolean[]) => readonly (Tensor | null)[];
}

/** torch's ±1/2 split at ties for maximum/minimum: mask = 1 where a wins, 1/2 where a == b. */
const maxMask = (a: Tensor, b: Tensor, sign: 1 | -1) => a.sub(b).sign().mul(0.5 * sign).add(0.5);

const BINARY: Record<DiffBinary, BinaryRule> = {
  add: { saves: [], grad: (dy) => [dy, dy] },
  sub: { saves: [], grad: (dy, _, needs) => [dy, needs[1] ? dy.neg() : null] },
  mul: { saves: [0, 1], grad: (dy, [a, b], needs) => [needs[0] ? dy.mul(b) : null, needs[1] ? dy.mul(a) : null] },
  div: {
    saves: [0, 1],
    grad: (dy, [a, b], needs) => [needs[0] ? dy.div(b) : null, needs[1] ? dy.mul(a).div(b.square()).neg() : null],
  },
  pow: {
    // d/da a^b = b a^(b-1); d/db a^b = a^b log(a), taken as 0 where a == 0 (torch's convention)
    saves: [0, 1, 'out'],
    grad: (dy, [a, b, y], needs) => [
      needs[0] ? dy.mul(b).mul(a.pow(b.sub(1))) : null,
      needs[1] ? where(a.eq(0), 0, dy.mul(y).mul(a.log())) : null,
    ],
  },
  maximum: {
    saves: [0, 1],
    grad: (dy, [a, b]) => {
      const da = dy.mul(maxMask(a, b, 1));
      return [da, dy.sub(da)];
    },
  },
  minimum: {
    saves: [0, 1],
    grad: (dy, [a, b]) => {
      const da = dy.mul(maxMask(a, b, -1));
      return [da, dy.sub(da)];
    },
  },
};

interface BinaryAttrs {
  readonly outShape: readonly number[];
}

function binaryOp(kind: BinaryOp): Op<BinaryAttrs> {
  const rule = kind in BINARY ? BINARY[kind as DiffBinary] : null;
  return {
    name: kind,
    saves: rule?.saves ?? [],
    forward: (b, [x, y], { outShape }) => ({
      data: b.binary(kind, x.storage.id, x.shape, y.storage.id, y.shape, outShape),
      shape: outShape,
    }),
    backward:
      rule === null
        ? undefined
        : (dy, { saved, shapes, needs }) => {
            const g = rule.grad(dy, saved, needs);
            return [0, 1].map((i) => (needs[i] && g[i] ? sumTo(g[i]!, shapes[i]) : null));
          },
  };
}

const BINARY_OPS = Object.fromEntries(
  (['add', 'sub', 'mul', 'div', 'pow', 'maximum', 'minimum', 'eq', 'ne', 'lt', 'le', 'gt', 'ge'] as const).map((k) => [
    k,
    binaryOp(k),
  ]),
) as Record<BinaryOp, Op<BinaryAttrs>>;

/** A temporary one-element tensor for `value`, disposed after `fn` (a tape node that saved it keeps its storage). */
function withScalar<T>(engine: Engine, value: number, fn: (s: Tensor) => T): T {
  const s = engine.wrap(engine.backend.fill(1, value), []);
  try {
    return fn(s);
  } finally {
    s.dispose();
  }
}

function tensorOf(op: string, a: TensorLike, b: TensorLike): Tensor {
  if (typeof a !== 'number') return a;
  if (typeof b !== 'number') return b;
  throw new TensorError(op, `needs at least one tensor operand, got two numbers (${a}, ${b})`);
}

/** A binary op with numpy broadcasting; numbers become temporary scalars. */
export function binary(kind: BinaryOp, a: TensorLike, b: TensorLike): Tensor {
  const t = tensorOf(kind, a, b);
  if (typeof a === 'number') return withScalar(t.engine, a, (s) => binary(kind, s, b));
  if (typeof b === 'number') return withScalar(t.engine, b, (s) => binary(kind, a, s));
  engineOf(kind, [a, b]);
  const outShape = broadcastShapes(kind, a.shape, b.shape);
  return apply(BINARY_OPS[kind], [a, b], { outShape });
}

export function add(a: TensorLike, b: TensorLike): Tensor {
  if (typeof b === 'number') return affine(tensorOf('add', a, b), 1, b);
  if (typeof a === 'number') return affine(b, 1, a);
  return binary('add', a, b);
}

export function sub(a: TensorLike, b: TensorLike): Tensor {
  if (typeof b === 'number') return affine(tensorOf('sub', a, b), 1, -b);
  if (typeof a === 'number') return affine(b, -1, a);
  return binary('sub', a, b);
}

export function mul(a: TensorLike, b: TensorLike): Tensor {
  if (typeof b === 'number') return affine(tensorOf('mul', a, b), b, 0);
  if (typeof a === 'number') return affine(b, a, 0);
  return binary('mul', a, b);
}

export function div(a: TensorLike, b: TensorLike): Tensor {
  if (typeof b === 'number') return affine(tensorOf('div', a, b), 1 / b, 0);
  if (typeof a === 'number') return a === 1 ? reciprocal(b) : affine(reciprocal(b), a, 0);
  return binary('div', a, b);
}

/** a ** b, elementwise. Negative bases need an integer exponent (as in torch, NaN otherwise). */
export const pow = (a: TensorLike, b: TensorLike): Tensor => binary('pow', a, b);
export const maximum = (a: TensorLike, b: TensorLike): Tensor => binary('maximum', a, b);
export const minimum = (a: TensorLike, b: TensorLike): Tensor => binary('minimum', a, b);

/** Comparisons give 1 where true and 0 where false (float32); no gradient flows through them. */
export const eq = (a: TensorLike, b: TensorLike): Tensor => binary('eq', a, b);
export const ne = (a: TensorLike, b: TensorLike): Tensor => binary('ne', a, b);
export const lt = (a: TensorLike, b: TensorLike): Tensor => binary('lt', a, b);
export const le = (a: TensorLike, b: TensorLike): Tensor => binary('le', a, b);
export const gt = (a: TensorLike, b: TensorLike): Tensor => binary('gt', a, b);
export const ge = (a: TensorLike, b: TensorLike): Tensor => binary('ge', a, b);

/** Limits values to [min, max] (either may be null); composed from maximum and minimum. */
export function clamp(x: Tensor, min?: number | null, max?: number | null): Tensor {
  if (min != null && max != null && min > max) throw new TensorError('clamp', `min ${min} is greater than max ${max}`);
  if (min == null && max == null) return clone(x);
  return tidy(() => {
    const lo = min != null ? maximum(x, min) : x;
    return max != null ? minimum(lo, max) : lo;
  });
}

// ---- where ---------------------------------------------------------------------------------------

const WHERE: Op<BinaryAttrs> = {
  name: 'where',
  saves: [0],
  forward: (b, [c, x, y], { outShape }) => ({
    data: b.where(c.storage.id, c.shape, x.storage.id, x.shape, y.storage.id, y.shape, outShape),
    shape: outShape,
  }),
  backward: (dy, { saved: [c], shapes, needs }) => [
    null,
    needs[1] ? sumTo(where(c, dy, 0), shapes[1]) : null,
    needs[2] ? sumTo(where(c, 0, dy), shapes[2]) : null,
  ],
};

/** cond != 0 ? a : b, elementwise with broadcasting of all three; no gradient to cond. */
export function where(cond: Tensor, a: TensorLike, b: TensorLike): Tensor {
  if (typeof a === 'number') return withScalar(cond.engine, a, (s) => where(cond, s, b));
  if (typeof b === 'number') return withScalar(cond.engine, b, (s) => where(cond, a, s));
  engineOf('where', [cond, a, b]);
  const outShape = broadcastShapes('where', broadcastShapes('where', cond.shape, a.shape), b.shape);
  return apply(WHERE, [cond, a, b], { outShape });
}
