// The shape of a conformance case: inputs as data (shape and value distribution), the op to run, and the
// tolerances a float32 backend must meet against the float64 reference backend.

import type { Shape } from '../backend';
import type { Engine } from '../engine';
import { Rng } from '../rng';
import type { Tensor } from '../tensor';

/** How an input's values are drawn (always rounded to float32, so every backend sees the same inputs). */
export type Gen =
  /** standard normal */
  | 'normal'
  /** uniform in [0.5, 2): safe for log, sqrt, division, pow bases */
  | 'positive'
  /** uniform in [-1, 1) */
  | 'uniform'
  /** integers in {-2..2}: ties for comparisons */
  | 'int'
  /** 0 or 1 */
  | 'mask'
  /** class labels: integers in [0, classes) */
  | { readonly labels: number };

export interface InputSpec {
  readonly shape: Shape;
  readonly gen?: Gen;
  /** Differentiate with respect to this input (default: true when the case checks gradients). */
  readonly grad?: boolean;
}

/** allclose: |candidate - reference| <= atol + rtol * |reference|, elementwise. */
export interface Tolerance {
  readonly rtol: number;
  readonly atol: number;
}

export interface CaseContext {
  readonly engine: Engine;
  /** The inputs' values as drawn (host copies), e.g. for ops that take host labels. */
  readonly values: readonly Float32Array[];
  /** A fresh generator with a fixed seed: the same draws on every backend and every call. */
  rng(): Rng;
}

export interface OpCase {
  /** Unique, readable: 'add [7,13] + [13]'. */
  readonly name: string;
  /** The op under test (for grouping and filtering). */
  readonly op: string;
  readonly inputs: readonly InputSpec[];
  readonly run: (xs: readonly Tensor[], ctx: CaseContext) => Tensor;
  /** Check gradients too (default true): d<g, run(xs)>/dx for a random upstream g. */
  readonly grad?: boolean;
  /**
   * Include in the central-difference gradient check (default true). False only where the op is not
   * differentiable at the inputs on purpose (ties of max: the gradient is a convention there).
   */
  readonly numericGrad?: boolean;
  /** Forward tolerance. */
  readonly tol: Tolerance;
  /** Gradient tolerance (default: TOL.grad). */
  readonly gradTol?: Tolerance;
}

/** Tolerance presets for float32 against float64. */
export const TOL = {
  /** Copies, comparisons, selections: bit-exact. */
  exact: { rtol: 0, atol: 0 },
  /** One rounding per element (+ - * /, and transcendental functions to a few ulp). */
  elementwise: { rtol: 1e-5, atol: 1e-6 },
  /** A short chain of elementwise ops. */
  composite: { rtol: 1e-4, atol: 1e-5 },
  /** Sums of n terms of order 1: the absolute error grows with n. */
  sum: (n: number): Tolerance => ({ rtol: 1e-5, atol: Math.max(1e-6, 3e-7 * n) }),
  /** Default for gradients (a few ops and a sum-to-shape per input). */
  grad: { rtol: 1e-4, atol: 1e-5 },
} as const;

export function genValues(gen: Gen, n: number, rng: Rng): Float32Array {
  const v = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    if (gen === 'normal') v[i] = rng.normal();
    else if (gen === 'positive') v[i] = rng.uniform(0.5, 2);
    else if (gen === 'uniform') v[i] = rng.uniform(-1, 1);
    else if (gen === 'int') v[i] = rng.integers(-2, 3);
    else if (gen === 'mask') v[i] = rng.integers(0, 2);
    else v[i] = rng.integers(0, gen.labels);
  }
  return v;
}

/** The inputs of a case, drawn from a generator seeded by the case name (stable across runs and backends). */
export function caseInputs(c: OpCase): Float32Array[] {
  const rng = new Rng(0).fork(c.name);
  return c.inputs.map((s) => genValues(s.gen ?? 'normal', s.shape.reduce((a, b) => a * b, 1), rng));
}
