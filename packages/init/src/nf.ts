// The numbers of Normalizer-Free ResNets (Brock, De & Smith 2021, "Characterizing signal propagation to close
// the performance gap in unnormalized ResNets", ICLR 2021; arXiv 2101.08692, section 4), stated from their
// definitions; @skipinit/graph carries the same numbers into its expansion and inference (nf.test.ts checks
// that they agree).
//
// gamma (section 4.2). A Scaled-WS layer fed by g(x), x ~ N(0, 1), sees per output the sum of N terms
// W^_ij g(x_j) with sum_j W^_ij = 0 and sum_j W^_ij^2 = gamma^2: the mean of g cancels and the output
// variance is gamma^2 Var(g(x)). So gamma = 1 / sqrt(Var_{z ~ N(0,1)} g(z)) preserves the variance. For
// relu, Var(relu(z)) = 1/2 - 1/(2 pi), gamma = sqrt(2 / (1 - 1/pi)); for the others this computes the
// two moments by Simpson's rule on [-12, 12] (24000 panels; the relu kink sits on a panel edge).
//
// beta (section 4). beta_l^2, the predicted variance of block l's input: beta_0^2 = 1, beta_{l+1}^2 =
// beta_l^2 + alpha^2, and 1 + alpha^2 after a transition block (its skip path reads x_l / beta_l, whose
// variance is 1).
import type { ActivationName } from '@skipinit/graph';
import { ACTIVATION_NAMES } from '@skipinit/graph';
import { InitError } from './errors';

/** Var(relu(z)) = E[relu(z)^2] - E[relu(z)]^2 = 1/2 - (1/sqrt(2 pi))^2. */
export const RELU_GAMMA = Math.sqrt(2 / (1 - 1 / Math.PI));

/** erf(x): the Maclaurin series for |x| <= 3 (error < 1e-13), erfc's continued fraction beyond. */
export function erf(x: number): number {
  const a = Math.abs(x);
  if (a <= 3) {
    let term = a;
    let sum = a;
    for (let n = 1; Math.abs(term) > 1e-17 * Math.abs(sum); n++) {
      term *= (-a * a) / n;
      sum += term / (2 * n + 1);
    }
    return Math.sign(x) * ((2 / Math.sqrt(Math.PI)) * sum);
  }
  // erfc(a) = exp(-a^2)/sqrt(pi) * 1/(a + 1/2/(a + 1/(a + 3/2/(a + ...)))), evaluated from the tail
  let f = a;
  for (let k = 60; k >= 1; k--) f = a + k / 2 / f;
  const erfc = Math.exp(-a * a) / Math.sqrt(Math.PI) / f;
  return Math.sign(x) * (1 - erfc);
}

const ACTIVATIONS: Readonly<Record<ActivationName, (z: number) => number>> = {
  relu: (z) => Math.max(z, 0),
  gelu: (z) => 0.5 * z * (1 + erf(z / Math.SQRT2)),
  tanh: Math.tanh,
  sigmoid: (z) => 1 / (1 + Math.exp(-z)),
  identity: (z) => z,
};

/** gamma = 1 / std(g(z)), z ~ N(0, 1), of activation `fn` (section 4.2; see the file comment). */
export function nfGamma(fn: ActivationName): number {
  const g = ACTIVATIONS[fn];
  if (g === undefined) throw new InitError('nfGamma', `unknown activation ${JSON.stringify(fn)}; expected one of ${ACTIVATION_NAMES.join(', ')}`);
  const n = 24000;
  const lo = -12;
  const h = 24 / n;
  let m1 = 0;
  let m2 = 0;
  for (let i = 0; i <= n; i++) {
    const z = lo + i * h;
    const w = (i === 0 || i === n ? 1 : i % 2 === 1 ? 4 : 2) * Math.exp(-0.5 * z * z);
    const v = g(z);
    m1 += w * v;
    m2 += w * v * v;
  }
  const c = h / 3 / Math.sqrt(2 * Math.PI);
  m1 *= c;
  m2 *= c;
  return 1 / Math.sqrt(m2 - m1 * m1);
}

/**
 * beta_l^2 for a sequence of NF blocks (true: the block is a transition, its shortcut a projection), starting
 * from a unit-variance input: the recursion of section 4.
 */
export function nfExpectedVariances(transitions: readonly boolean[], alpha = 0.2): number[] {
  if (!Number.isFinite(alpha)) throw new InitError('nfExpectedVariances', `alpha must be a finite number, got ${alpha}`);
  const out: number[] = [];
  let v = 1;
  for (const t of transitions) {
    out.push(v);
    v = t ? 1 + alpha * alpha : v + alpha * alpha;
  }
  return out;
}
