// Scaled Weight Standardisation (Brock, De & Smith 2021, "Characterizing signal propagation to close the
// performance gap in unnormalized ResNets", ICLR 2021; arXiv 2101.08692, section 4.1):
//
//     W^_ij = gain_i * gamma * (W_ij - mu_i) / (sigma_i sqrt(N))
//
// for a weight W whose first axis is the output channel i (conv [O, I, kh, kw], dense [units, in]) and
// whose other axes, N = fan-in values per output, hold j; mu_i and sigma_i^2 are the mean and biased
// variance over j. gamma is the activation's constant (fixed), gain a learnable per-output scale (init 1).
// Where the paper leaves a choice open: eps. Here it is added to N sigma_i^2 under the root,
// (N sigma_i^2 + eps)^(-1/2), eps = 1e-4 by default: DeepMind's reference code (nfnets/base.py) clamps
// N sigma_i^2 from below at that same 1e-4 instead (max); the sum is smooth, so the gradient check holds
// everywhere, and at initialisation (N sigma^2 = 2 for He weights) it changes the weights by 2.5e-5 of
// their size. timm's ScaledStdConv2d adds its eps to sigma_i^2 instead. A constant row (sigma = 0) stays
// finite: it becomes 0.
//
// The standardisation over each row's fan-in is training-mode batch norm of W viewed as [1, O, N] (one
// "example", O channels, N positions) with per-channel weight gain * gamma / sqrt(N). So the op is one row
// of the op table built from the existing fused batch-norm primitives: forward = batchNormStats +
// batchNormForward, backward written out here = batchNormBackward (whose dx already includes the
// dependence of mu and sigma on W) and dgain = dweight * gamma / sqrt(N). Both are one pass over a tensor
// the size of W, instead of the ~15 elementwise and reduction kernels (and their tape nodes) of the
// composition (w - mean) * rsqrt(var + eps) * gain * c, whose gradient the tape would derive.

import type { BatchNormParams, DataId } from '../backend';
import { TensorError, formatShape } from '../errors';
import { apply } from '../tape';
import type { Op } from '../tape';
import type { Tensor } from '../tensor';

export interface WeightStandardizationOptions {
  /** The activation's constant gamma (fixed; default 1). For relu, sqrt(2 / (1 - 1/pi)). */
  readonly gamma?: number;
  /** Added to N times each row's variance under the root (default 1e-4). */
  readonly eps?: number;
}

interface WsAttrs {
  readonly p: BatchNormParams;
  /** gamma / sqrt(N). */
  readonly scale: number;
}

const wsOp: Op<WsAttrs> = {
  name: 'scaledWeightStandardization',
  saves: [0, 1],
  forward: (b, [w, gain], { p, scale }) => {
    const stats = b.batchNormStats(w!.storage.id, p);
    const g = b.affine(gain!.storage.id, p.channels, scale, 0);
    const out = b.batchNormForward(w!.storage.id, stats.mean, stats.variance, g, null, p);
    for (const id of [stats.mean, stats.variance, g]) b.dispose(id);
    return { data: out, shape: w!.shape };
  },
  backward: (dy, { saved: [w, gain], attrs: { p, scale }, shapes, needs }) => {
    const e = dy.engine;
    const b = e.backend;
    const stats = b.batchNormStats(w!.storage.id, p);
    const g = b.affine(gain!.storage.id, p.channels, scale, 0);
    const r = b.batchNormBackward(dy.storage.id, w!.storage.id, stats.mean, stats.variance, g, p);
    const dgain: DataId | null = needs[1] ? b.affine(r.dweight, p.channels, scale, 0) : null;
    for (const id of [stats.mean, stats.variance, g, r.dweight, r.dbias]) b.dispose(id);
    if (!needs[0]) b.dispose(r.dx);
    return [needs[0] ? e.wrap(r.dx, shapes[0]!) : null, dgain === null ? null : e.wrap(dgain, shapes[1]!)];
  },
};

/**
 * Scaled Weight Standardisation of `w` (rank >= 2, output channels first) with a per-output `gain` [O]:
 * gain_i * gamma * (w_ij - mean_i) / sqrt(N var_i + eps), N = the fan-in (w.size / O). Differentiable
 * in w and gain. Each output's weights then have mean 0 and, for gain 1, sum of squares gamma^2 (up to eps).
 */
export function scaledWeightStandardization(w: Tensor, gain: Tensor, options: WeightStandardizationOptions = {}): Tensor {
  const op = 'scaledWeightStandardization';
  w.assertAlive(op);
  gain.assertAlive(op);
  const where = `w ${formatShape(w.shape)}, gain ${formatShape(gain.shape)}`;
  if (w.rank < 2) throw new TensorError(op, `${where}: w needs an output axis and a fan-in (rank >= 2)`);
  const channels = w.shape[0]!;
  const inner = w.size / Math.max(1, channels);
  if (gain.rank !== 1 || gain.shape[0] !== channels) throw new TensorError(op, `${where}: gain must be [${channels}], one per output`);
  if (inner < 2) throw new TensorError(op, `${where}: a fan-in of ${inner} cannot be standardised (it needs at least 2 weights per output)`);
  const gamma = options.gamma ?? 1;
  const eps = options.eps ?? 1e-4;
  if (!(Number.isFinite(gamma) && gamma > 0)) throw new TensorError(op, `gamma must be a positive number, got ${gamma}`);
  if (!(Number.isFinite(eps) && eps >= 0)) throw new TensorError(op, `eps must be >= 0, got ${eps}`);
  // batch norm adds its eps to the variance: (N var + eps) / N = var + eps / N.
  const p: BatchNormParams = { outer: 1, channels, inner, eps: eps / inner };
  return apply(wsOp, [w, gain], { p, scale: gamma / Math.sqrt(inner) });
}
