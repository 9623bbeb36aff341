// Comparing a candidate's values with the reference's under an allclose tolerance.

import type { Tolerance } from './case';

export interface Comparison {
  /** Largest |candidate - reference|. */
  readonly maxAbsError: number;
  /** Largest |candidate - reference| / |reference| over elements with a non-zero reference. */
  readonly maxRelError: number;
  /** Largest |candidate - reference| / (atol + rtol |reference|): the case passes when this is <= 1. */
  readonly worst: number;
  /** Index of the worst element (-1 when all match exactly). */
  readonly worstIndex: number;
  readonly passed: boolean;
}

/** Elementwise allclose; NaN matches NaN and infinities must match exactly. */
export function compare(candidate: ArrayLike<number>, reference: ArrayLike<number>, tol: Tolerance): Comparison {
  if (candidate.length !== reference.length) {
    return { maxAbsError: Infinity, maxRelError: Infinity, worst: Infinity, worstIndex: -1, passed: false };
  }
  let maxAbs = 0;
  let maxRel = 0;
  let worst = 0;
  let worstIndex = -1;
  for (let i = 0; i < reference.length; i++) {
    const c = candidate[i];
    const r = reference[i];
    let ratio: number;
    let abs: number;
    if (Number.isNaN(r) || !Number.isFinite(r)) {
      const same = Number.isNaN(r) ? Number.isNaN(c) : c === r;
      abs = same ? 0 : Infinity;
      ratio = same ? 0 : Infinity;
    } else {
      abs = Number.isNaN(c) ? Infinity : Math.abs(c - r);
      const bound = tol.atol + tol.rtol * Math.abs(r);
      ratio = abs === 0 ? 0 : bound === 0 ? Infinity : abs / bound;
      if (r !== 0) maxRel = Math.max(maxRel, abs / Math.abs(r));
    }
    maxAbs = Math.max(maxAbs, abs);
    if (ratio > worst) {
      worst = ratio;
      worstIndex = i;
    }
  }
  return { maxAbsError: maxAbs, maxRelError: maxRel, worst, worstIndex, passed: worst <= 1 };
}
