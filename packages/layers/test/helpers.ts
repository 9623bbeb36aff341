// Shared test helpers: a fresh float64 reference engine per test, seeded inputs, and host-side maths.
import type { Engine, Tensor } from '@skipinit/tensor';
import { Engine as EngineClass, ReferenceBackend, Rng, tensor } from '@skipinit/tensor';

export function refEngine(seed = 0): Engine {
  return new EngineClass(new ReferenceBackend(), { seed });
}

/** A [N, ...shape] tensor of N(0, 1) draws from Rng(seed) (float32-rounded). */
export function input(engine: Engine, shape: readonly number[], seed = 1): Tensor {
  const n = shape.reduce((a, b) => a * b, 1);
  return tensor(new Rng(seed).fillNormal(new Float32Array(n)), shape, { engine });
}

/** Labels in [0, classes) from Rng(seed). */
export function labels(n: number, classes: number, seed = 2): number[] {
  const r = new Rng(seed);
  return Array.from({ length: n }, () => r.integers(0, classes));
}

/** max |a - b| / max |b| (the scale of b); 0 when both are 0. */
export function relError(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let diff = 0;
  let scale = 0;
  for (let i = 0; i < b.length; i++) {
    diff = Math.max(diff, Math.abs(a[i] - b[i]));
    scale = Math.max(scale, Math.abs(b[i]));
  }
  return scale === 0 ? diff : diff / scale;
}

/** Bit-for-bit equality of two value arrays (+0 and -0 count as equal, NaN never). */
export function sameValues(a: ArrayLike<number>, b: ArrayLike<number>): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (!(a[i] === b[i])) return false;
  return true;
}
