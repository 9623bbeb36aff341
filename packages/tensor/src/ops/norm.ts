// Normalisation as compositions: moments (the batch-norm and layer-norm statistics), the normalise-and-
// scale step shared by batch norm and layer norm, and layerNorm.

import { TensorError, formatShape } from '../errors';
import { tidy } from '../memory';
import { shapesEqual } from '../shape';
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
  return tidy(() => {
    let y = x.sub(mean).mul(variance.add(eps).rsqrt());
    if (options.weight) y = y.mul(options.weight);
    if (options.bias) y = y.add(options.bias);
    return y;
  });
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
