// Normalisation: moments (the batch-norm and layer-norm statistics), the normalise-and-scale step
// shared by batch norm and layer norm and layerNorm (compositions), and training-mode batch norm as
// fused backend primitives (batchNormTraining: statistics, normalise + affine, and one backward).

import type { BatchNormParams } from '../backend';
import { TensorError, formatShape } from '../errors';
import { tidy } from '../memory';
import { shapesEqual } from '../shape';
import { isGradEnabled } from '../context';
import { apply } from '../tape';
import type { Op } from '../tape';
import type { Axes, Tensor } from '../tensor';
import { mean as meanOf, variance } from './reduce';

/** Mean and biased (population) variance over `axes`, as batch norm uses them (tf.moments). */
export function moments(x: Tensor, axes?: Axes | null, keepdim = false): { mean: Tensor; variance: Tensor } {
  x.assertAlive('moments');
  return tidy(() => ({ mean: meanOf(x, axes, keepdim), variance: variance(x, axes, { unbiased: false, keepdim }) }));
}

export interface NormOptions {
  /** Scale (gamma), broadcast against x. */
  readonly weight?: Tensor | null;
  /** Shift (beta), broadcast against x. */
  readonly bias?: Tensor | null;
  /** Added to the variance (default 1e-5, torch's). */
  readonly eps?: number;
}

/**
 * (x - mean) / sqrt(variance + eps) * weight + bias, everything broadcast against x (tf.batchNorm).
 * With batch statistics from `moments(x, [0, 2, 3], true)` this is training-mode batch norm for NCHW.
 */
export function batchNorm(x: Tensor, mean: Tensor, variance: Tensor, options: NormOptions = {}): Tensor {
  x.assertAlive('batchNorm');
  const eps = options.eps ?? 1e-5;
  const fused = fusedInference(x, mean, variance, options, eps);
  if (fused !== null) return fused;
  return tidy(() => {
    let y = x.sub(mean).mul(variance.add(eps).rsqrt());
    if (options.weight) y = y.mul(options.weight);
    if (options.bias) y = y.add(options.bias);
    return y;
  });
}

/**
 * batchNorm as the one-pass batchNormForward primitive where nothing needs a gradient (inference with
 * running statistics) and every per-channel operand holds one value per channel of axis 1 (shaped [C]
 * for a [N, C] x, or [1, C, 1, ...]); null where the composite must run.
 */
function fusedInference(x: Tensor, mean: Tensor, variance: Tensor, options: NormOptions, eps: number): Tensor | null {
  if (x.rank < 2 || !(eps >= 0) || x.size === 0) return null;
  const c = x.shape[1]!;
  const operands = [mean, variance, options.weight ?? null, options.bias ?? null];
  const perChannel = (t: Tensor) =>
    t.engine === x.engine && !t.isDisposed && t.size === c && (t.rank === x.rank ? t.shape.every((d, k) => d === (k === 1 ? c : 1)) : x.rank === 2 && t.rank === 1);
  if (operands.some((t) => t !== null && !perChannel(t))) return null;
  if (isGradEnabled() && [x, ...operands].some((t) => t !== null && t.requiresGrad)) return null;
  const p: BatchNormParams = { outer: x.shape[0]!, channels: c, inner: x.size / (x.shape[0]! * c), eps };
  const id = (t: Tensor | null) => (t === null ? null : t.storage.id);
  return x.engine.wrap(x.engine.backend.batchNormForward(x.storage.id, mean.storage.id, variance.storage.id, id(operands[2]!), id(operands[3]!), p), x.shape);
}

/** Layer normalisation over the trailing dims `normalizedShape` (torch.nn.functional.layer_norm). */
export function layerNorm(x: Tensor, normalizedShape: readonly number[], options: NormOptions = {}): Tensor {
  x.assertAlive('layerNorm');
  const k = normalizedShape.length;
  if (k === 0 || k > x.rank || !shapesEqual(x.shape.slice(x.rank - k), normalizedShape)) {
    throw new TensorError('layerNorm', `x ${formatShape(x.shape)}: normalizedShape ${formatShape(normalizedShape)} must be x's trailing dims`);
  }
  for (const [name, p] of [['weight', options.weight], ['bias', options.bias]] as const) {
    if (p && !shapesEqual(p.shape, normalizedShape)) {
      throw new TensorError('layerNorm', `${name} ${formatShape(p.shape)} must be ${formatShape(normalizedShape)}`);
    }
  }
  const axes = normalizedShape.map((_, i) => x.rank - k + i);
  return tidy(() => {
    const m = moments(x, axes, true);
    return batchNorm(x, m.mean, m.variance, options);
  });
}

export interface BatchNormTrainingResult {
  /** The normalised, scaled and shifted x (differentiable in x, weight and bias). */
  readonly output: Tensor;
  /** The batch's per-channel mean, [C] (no gradient: the output's gradient already includes it). */
  readonly mean: Tensor;
  /** The batch's per-channel biased (population) variance, [C] (no gradient). */
  readonly variance: Tensor;
}

interface BatchNormAttrs {
  readonly p: BatchNormParams;
}

/** The normalise-and-affine op with the training-mode backward; inputs [x, mean, variance, weight?, bias?]. */
function batchNormOp(hasWeight: boolean, hasBias: boolean): Op<BatchNormAttrs> {
  const wAt = hasWeight ? 3 : -1;
  const bAt = hasBias ? (hasWeight ? 4 : 3) : -1;
  return {
    name: 'batchNormTraining',
    saves: hasWeight ? [0, 1, 2, 3] : [0, 1, 2],
    forward: (b, xs, { p }) => ({
      data: b.batchNormForward(xs[0]!.storage.id, xs[1]!.storage.id, xs[2]!.storage.id, hasWeight ? xs[wAt]!.storage.id : null, hasBias ? xs[bAt]!.storage.id : null, p),
      shape: xs[0]!.shape,
    }),
    backward: (dy, { saved, attrs: { p }, shapes, needs }) => {
      const e = dy.engine;
      const [x, mean, variance, weight] = saved;
      const r = e.backend.batchNormBackward(dy.storage.id, x!.storage.id, mean!.storage.id, variance!.storage.id, weight ? weight.storage.id : null, p);
      const take = (id: typeof r.dx, at: number) => {
        if (at >= 0 && needs[at]) return e.wrap(id, shapes[at]!);
        e.backend.dispose(id);
        return null;
      };
      const grads: (Tensor | null)[] = [take(r.dx, 0), null, null];
      const dw = take(r.dweight, wAt);
      const db = take(r.dbias, bAt);
      if (hasWeight) grads.push(dw);
      if (hasBias) grads.push(db);
      return grads;
    },
  };
}

const BATCH_NORM_OPS = [false, true].map((w) => [false, true].map((b) => batchNormOp(w, b)));

/**
 * Training-mode batch normalisation over axis 1 of x [N, C, ...] (torch's F.batch_norm with
 * training=True, without the running statistics): the batch's per-channel mean and biased variance,
 * then (x - mean) / sqrt(variance + eps) * weight + bias, as fused backend primitives (two passes over
 * x forward, three backward) instead of the ~20 elementwise and reduction kernels of
 * `batchNorm(x, ...moments(x, [0, 2, 3], true))`, with the same values and gradients. weight and bias
 * hold C values, shaped [C] or [1, C, 1, ...]. Running statistics are the caller's (from `mean` and
 * `variance`, e.g. with copy_).
 */
export function batchNormTraining(x: Tensor, options: NormOptions = {}): BatchNormTrainingResult {
  x.assertAlive('batchNormTraining');
  const where = `x ${formatShape(x.shape)}`;
  if (x.rank < 2) throw new TensorError('batchNormTraining', `${where}: needs [N, C, ...] (rank >= 2)`);
  const c = x.shape[1]!;
  const outer = x.shape[0]!;
  const inner = x.size / Math.max(1, outer * c);
  if (outer * inner <= 1) {
    throw new TensorError('batchNormTraining', `${where}: expected more than 1 value per channel when training`);
  }
  const params = [options.weight ?? null, options.bias ?? null] as const;
  for (const [name, t] of [['weight', params[0]], ['bias', params[1]]] as const) {
    if (t === null) continue;
    t.assertAlive('batchNormTraining');
    const perChannel = t.size === c && (t.rank === 1 || (t.rank === x.rank && t.shape.every((d, k) => d === (k === 1 ? c : 1))));
    if (!perChannel) throw new TensorError('batchNormTraining', `${where}, ${name} ${formatShape(t.shape)}: ${name} must be [${c}] or [1,${c}${',1'.repeat(x.rank - 2)}]`);
    if (t.engine !== x.engine) throw new TensorError('batchNormTraining', 'inputs belong to different engines');
  }
  const eps = options.eps ?? 1e-5;
  if (!(eps >= 0)) throw new TensorError('batchNormTraining', `eps must be >= 0, got ${eps}`);
  const p: BatchNormParams = { outer, channels: c, inner, eps };
  const e = x.engine;
  const stats = e.backend.batchNormStats(x.storage.id, p);
  const mean = e.wrap(stats.mean, [c]);
  const varianceT = e.wrap(stats.variance, [c]);
  const inputs = [x, mean, varianceT, ...params.filter((t): t is Tensor => t !== null)];
  const output = apply(BATCH_NORM_OPS[params[0] ? 1 : 0]![params[1] ? 1 : 0]!, inputs, { p });
  return { output, mean, variance: varianceT };
}
