// Helpers for this package's tests (not exported).

import { Engine } from './engine';
import { ReferenceBackend } from './reference/reference-backend';
import type { Tensor } from './tensor';

export const refEngine = (): Engine => new Engine(new ReferenceBackend());

/** Values as a plain array of float64 numbers. */
export const vals = (t: Tensor | null): number[] => {
  if (t === null) throw new Error('no tensor');
  return Array.from(t.dataSync64());
};

/** Elementwise toBeCloseTo for arrays. */
export function close(actual: readonly number[], expected: readonly number[], digits = 10): boolean {
  return actual.length === expected.length && actual.every((a, i) => Math.abs(a - expected[i]) < 10 ** -digits);
}
