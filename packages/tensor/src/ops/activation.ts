// Activations composed from the primitives: erf and gelu (exact and tanh-approximate, as in torch).

import { TensorError } from '../errors';
import { tidy } from '../memory';
import type { Tensor } from '../tensor';

/**
 * The error function, composed from primitives with Abramowitz & Stegun's formula 7.1.26
 * (absolute error below 1.5e-7, about float32's resolution): erf(x) = sign(x) (1 - p(t) exp(-x^2)),
 * t = 1 / (1 + 0.3275911 |x|). Its gradient is that of the approximation.
 */
export function erf(x: Tensor): Tensor {
  x.assertAlive('erf');
  return tidy(() => {
    const ax = x.abs();
    const t = ax.mul(0.3275911).add(1).reciprocal();
    // Horner: t (a1 + t (a2 + t (a3 + t (a4 + t a5))))
    let poly = t.mul(1.061405429).add(-1.453152027);
    poly = poly.mul(t).add(1.421413741);
    poly = poly.mul(t).add(-0.284496736);
    poly = poly.mul(t).add(0.254829592);
    poly = poly.mul(t);
    const tail = poly.mul(ax.square().neg().exp());
    return x.sign().mul(tail.neg().add(1));
  });
}

export interface GeluOptions {
  /** 'none' (default): x Φ(x) with the exact normal CDF; 'tanh': the tanh approximation (GPT-2's). */
  readonly approximate?: 'none' | 'tanh';
}

/** Gaussian error linear unit (torch.nn.functional.gelu). */
export function gelu(x: Tensor, options: GeluOptions = {}): Tensor {
  x.assertAlive('gelu');
  const approximate = options.approximate ?? 'none';
  if (approximate === 'tanh') {
    // 0.5 x (1 + tanh(sqrt(2/pi) (x + 0.044715 x^3)))
    return tidy(() => {
      const inner = x.square().mul(x).mul(0.044715).add(x).mul(Math.sqrt(2 / Math.PI));
      return x.mul(inner.tanh().add(1)).mul(0.5);
    });
  }
  if (approximate !== 'none') throw new TensorError('gelu', `approximate must be 'none' or 'tanh', got ${JSON.stringify(approximate)}`);
  return tidy(() => x.mul(erf(x.mul(Math.SQRT1_2)).add(1)).mul(0.5));
}
