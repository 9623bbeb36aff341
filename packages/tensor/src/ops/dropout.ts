// Dropout with a mask drawn on the host from the seeded RNG and uploaded, so every backend applies the
// identical mask for the same seed. Inverted scaling: kept values are divided by 1 - p at training time,
// so evaluation is the identity.

import { TensorError, formatShape } from '../errors';
import type { Rng } from '../rng';
import { tidy } from '../memory';
import type { Tensor } from '../tensor';
import { mul } from './elementwise';
import { reshape } from './movement';

export interface DropoutOptions {
  /** Default true; false returns x unchanged (a new handle on the same storage). */
  readonly training?: boolean;
  /** The generator to draw the mask from (default: the engine's `rng`). */
  readonly rng?: Rng;
}

/**
 * Zeroes each element with probability p and scales the rest by 1 / (1 - p). The mask takes one
 * `rng.uniform()` per element in row-major order: element i is kept when that draw is >= p.
 */
export function dropout(x: Tensor, p: number, options: DropoutOptions = {}): Tensor {
  x.assertAlive('dropout');
  if (!(typeof p === 'number' && p >= 0 && p <= 1)) {
    throw new TensorError('dropout', `${formatShape(x.shape)}: p must be in [0, 1], got ${p}`);
  }
  if (options.training === false || p === 0) return reshape(x, x.shape);
  const rng = options.rng ?? x.engine.rng;
  const mask = new Float64Array(x.size); // the backend stores it at its own precision
  const scale = p === 1 ? 0 : 1 / (1 - p);
  for (let i = 0; i < mask.length; i++) mask[i] = rng.uniform() >= p ? scale : 0;
  return tidy(() => mul(x, x.engine.wrap(x.engine.backend.upload(mask), x.shape)));
}
