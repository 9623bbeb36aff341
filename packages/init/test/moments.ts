// Sample moments about zero and their sampling standard deviations, for the statistical tests.
//
// For n i.i.d. draws of a zero-mean X with central moments mu_k, the sample moment
// m_k = (1/n) sum x^k has mean mu_k and variance (mu_{2k} - mu_k^2) / n. A test accepts when
// |m_k - mu_k| <= Z * sd(m_k) with Z = 5 (false alarm rate 6e-7 per check, at a fixed seed anyway).

export const Z = 5;

export interface Moments {
  readonly mean: number;
  readonly m2: number;
  readonly m4: number;
}

export function moments(values: ArrayLike<number>): Moments {
  let s1 = 0;
  let s2 = 0;
  let s4 = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    const v2 = v * v;
    s1 += v;
    s2 += v2;
    s4 += v2 * v2;
  }
  const n = values.length;
  return { mean: s1 / n, m2: s2 / n, m4: s4 / n };
}

/** Central moments mu_1..mu_8 (odd ones 0) of N(0, var) and U(-b, b) with b^2 / 3 = var. */
export function theory(kind: 'normal' | 'uniform', variance: number): { mu2: number; mu4: number; mu8: number } {
  const s2 = variance;
  if (kind === 'normal') return { mu2: s2, mu4: 3 * s2 ** 2, mu8: 105 * s2 ** 4 };
  const b2 = 3 * s2; // uniform: mu_k = b^k / (k + 1)
  return { mu2: s2, mu4: b2 ** 2 / 5, mu8: b2 ** 4 / 9 };
}

/** How many sampling standard deviations each sample moment lies from its expectation. */
export function zScores(values: ArrayLike<number>, kind: 'normal' | 'uniform', variance: number): { mean: number; m2: number; m4: number } {
  const n = values.length;
  const m = moments(values);
  const t = theory(kind, variance);
  return {
    mean: m.mean / Math.sqrt(t.mu2 / n),
    m2: (m.m2 - t.mu2) / Math.sqrt((t.mu4 - t.mu2 ** 2) / n),
    m4: (m.m4 - t.mu4) / Math.sqrt((t.mu8 - t.mu4 ** 2) / n),
  };
}
