// Batched matrix multiplication with torch.matmul's broadcasting of batch dims, optional transposed
// operands (tfjs's transposeA/B, so backward never materialises a transpose), and `linear`.

import type { MatmulParams, Shape } from '../backend';
import { TensorError, formatShape } from '../errors';
import { tidy } from '../memory';
import { broadcastShapes, shapesEqual, sizeOf } from '../shape';
import { apply, engineOf } from '../tape';
import type { Op } from '../tape';
import type { Tensor } from '../tensor';
import { expand, reshape } from './movement';
import { sum } from './reduce';

export interface MatmulOptions {
  /** Use a's last two dims transposed (a is stored [..., k, m]). */
  readonly transA?: boolean;
  /** Use b's last two dims transposed (b is stored [..., n, k]). */
  readonly transB?: boolean;
}

/** The primitive: a [batchA, *, *] x b [batchB, *, *] -> [batch, m, n], batchA/batchB either batch or 1. */
const MATMUL: Op<MatmulParams> = {
  name: 'matmul',
  saves: [0, 1],
  forward: (be, [a, b], p) => ({ data: be.matmul(a.storage.id, b.storage.id, p), shape: [p.batch, p.m, p.n] }),
  backward: (dy, { saved: [a, b], attrs: p, needs }) => {
    // d op(A) = dY op(B)^T and d op(B) = op(A)^T dY, written with transposed operands instead of copies.
    let da: Tensor | null = null;
    let db: Tensor | null = null;
    if (needs[0]) da = p.transA ? bmm(b, dy, p.transB, true) : bmm(dy, b, false, !p.transB);
    if (needs[1]) db = p.transB ? bmm(dy, a, true, p.transA) : bmm(a, dy, !p.transA, false);
    return [da && p.batchA < p.batch ? sum(da, 0, true) : da, db && p.batchB < p.batch ? sum(db, 0, true) : db];
  },
};

/** Rank-3 matmul on the primitive (batch dims already 1 or equal). */
function bmm(a: Tensor, b: Tensor, transA: boolean, transB: boolean): Tensor {
  const [batchA, ar, ac] = a.shape;
  const [batchB, br, bc] = b.shape;
  const m = transA ? ac : ar;
  const k = transA ? ar : ac;
  const n = transB ? br : bc;
  const batch = Math.max(batchA, batchB);
  return apply(MATMUL, [a, b], { batch, batchA, batchB, m, k, n, transA, transB });
}

/**
 * Matrix product with torch.matmul's rules: 1-D operands are a row (a) or column (b) vector whose dim is
 * dropped from the result; rank >= 2 operands broadcast their batch dims (all but the last two).
 */
export function matmul(a: Tensor, b: Tensor, options: MatmulOptions = {}): Tensor {
  engineOf('matmul', [a, b]);
  const transA = options.transA ?? false;
  const transB = options.transB ?? false;
  const where = `${formatShape(a.shape)}${transA ? 'ᵀ' : ''} x ${formatShape(b.shape)}${transB ? 'ᵀ' : ''}`;
  if (a.rank === 0 || b.rank === 0) throw new TensorError('matmul', `${where}: both operands need rank >= 1`);
  if ((a.rank === 1 && transA) || (b.rank === 1 && transB)) {
    throw new TensorError('matmul', `${where}: a 1-D operand cannot be transposed`);
  }
  const as: Shape = a.rank === 1 ? [1, a.shape[0]] : a.shape;
  const bs: Shape = b.rank === 1 ? [b.shape[0], 1] : b.shape;
  const [ar, ac] = as.slice(-2);
  const [br, bc] = bs.slice(-2);
  const [m, k] = transA ? [ac, ar] : [ar, ac];
  const [k2, n] = transB ? [bc, br] : [br, bc];
  if (k !== k2) throw new TensorError('matmul', `${where}: inner dimensions differ (${k} vs ${k2})`);
  const aBatch = as.slice(0, -2);
  const bBatch = bs.slice(0, -2);
  let batch: number[];
  try {
    batch = broadcastShapes('matmul', aBatch, bBatch);
  } catch {
    throw new TensorError('matmul', `${where}: batch dimensions ${formatShape(aBatch)} and ${formatShape(bBatch)} do not broadcast`);
  }
  const total = sizeOf(batch);
  return tidy(() => {
    const to3 = (x: Tensor, xs: Shape, xBatch: Shape): Tensor => {
      const tail = xs.slice(-2);
      if (sizeOf(xBatch) === 1) return reshape(x, [1, ...tail]);
      const full = shapesEqual(xBatch, batch) ? x : expand(reshape(x, xs), [...batch, ...tail]);
      return reshape(full, [total, ...tail]);
    };
    const out = bmm(to3(a, as, aBatch), to3(b, bs, bBatch), transA, transB);
    const shape = [...batch, m, n].filter((_, i, s) => !((a.rank === 1 && i === s.length - 2) || (b.rank === 1 && i === s.length - 1)));
    return reshape(out, shape);
  });
}

/** torch.nn.functional.linear: x [..., in] @ weight[out, in]^T + bias[out]. */
export function linear(x: Tensor, weight: Tensor, bias?: Tensor | null): Tensor {
  engineOf('linear', bias ? [x, weight, bias] : [x, weight]);
  const where = `x ${formatShape(x.shape)}, weight ${formatShape(weight.shape)}${bias ? `, bias ${formatShape(bias.shape)}` : ''}`;
  if (weight.rank !== 2) throw new TensorError('linear', `${where}: weight must be [out_features, in_features]`);
  if (x.rank === 0) throw new TensorError('linear', `${where}: x needs rank >= 1`);
  const [out, inF] = weight.shape;
  if (x.shape[x.rank - 1] !== inF) {
    throw new TensorError('linear', `${where}: in_features differ (${x.shape[x.rank - 1]} vs ${inF})`);
  }
  if (bias && !(bias.rank === 1 && bias.shape[0] === out)) {
    throw new TensorError('linear', `${where}: bias must be [${out}]`);
  }
  return tidy(() => {
    const x2 = x.rank === 2 ? x : reshape(x, [-1, inF]);
    let y = matmul(x2, weight, { transB: true });
    if (bias) y = y.add(bias);
    return x.rank === 2 ? y : reshape(y, [...x.shape.slice(0, -1), out]);
  });
}
