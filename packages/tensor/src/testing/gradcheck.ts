// Gradient checking by central differences on the float64 reference backend: for a random upstream
// gradient g (not all ones, so that every output element's sensitivity is tested), compare the tape's
// d<g, f(x)>/dx with ( <g, f(x + eps e_j)> - <g, f(x - eps e_j)> ) / (2 eps) for every element j.

import type { Shape } from '../backend';
import { Engine } from '../engine';
import { tidy } from '../memory';
import { ReferenceBackend } from '../reference/reference-backend';
import { Rng } from '../rng';
import { noGrad } from '../tape';
import type { Tensor } from '../tensor';
import { compare } from './compare';
import type { Comparison } from './compare';
import type { Tolerance } from './case';

export interface GradcheckInput {
  readonly values: ArrayLike<number>;
  readonly shape: Shape;
  /** Check the gradient for this input (default true). */
  readonly grad?: boolean;
}

export interface GradcheckOptions {
  /** A float64 engine (default: a fresh ReferenceBackend engine). */
  readonly engine?: Engine;
  /** Finite-difference step (default 1e-6). */
  readonly eps?: number;
  /** Tolerance of analytic vs numeric (default rtol 1e-5, atol 1e-7). */
  readonly tol?: Tolerance;
  /** Seed of the random upstream gradient (default 0). */
  readonly seed?: number;
}

export interface GradcheckResult {
  readonly passed: boolean;
  /** Per input: analytic vs numeric, or null where not checked. */
  readonly inputs: readonly (Comparison | null)[];
  readonly analytic: readonly (Float64Array | null)[];
  readonly numeric: readonly (Float64Array | null)[];
}

/** Checks the tape's gradients of `f` at `inputs` against central differences. */
export function gradcheck(f: (xs: readonly Tensor[]) => Tensor, inputs: readonly GradcheckInput[], options: GradcheckOptions = {}): GradcheckResult {
  const engine = options.engine ?? new Engine(new ReferenceBackend());
  if (engine.backend.precision !== 'float64') {
    throw new Error(`gradcheck: needs a float64 backend (central differences in float32 are noise), got ${engine.backend.name}`);
  }
  const eps = options.eps ?? 1e-6;
  const tol = options.tol ?? { rtol: 1e-5, atol: 1e-7 };
  const make = (values: ArrayLike<number>, shape: Shape, grad: boolean) => {
    const t = engine.wrap(engine.backend.upload(values), shape);
    return grad ? t.requiresGrad_(true) : t;
  };
  const wants = inputs.map((x) => x.grad !== false);

  // analytic: backward with a random upstream gradient
  const seeded: { g?: Float64Array } = {};
  const analytic = tidy(() => {
    const xs = inputs.map((x, i) => make(x.values, x.shape, wants[i]));
    const y = f(xs);
    const g = new Rng(options.seed ?? 0).fillNormal(new Float64Array(y.size));
    seeded.g = g;
    if (y.requiresGrad) y.backward(make(g, y.shape, false));
    return xs.map((x, i) => (wants[i] && x.grad ? x.grad.dataSync64() : wants[i] ? new Float64Array(x.size) : null));
  });
  const upstream = seeded.g!;

  // numeric: central differences of <g, f(x)>
  const objective = (xs: readonly Float64Array[]): number =>
    noGrad(() =>
      tidy(() => {
        const y = f(xs.map((v, i) => make(v, inputs[i].shape, false))).dataSync64();
        let s = 0;
        for (let k = 0; k < y.length; k++) s += upstream[k] * y[k];
        return s;
      }),
    );
  const base = inputs.map((x) => Float64Array.from(x.values));
  const numeric = inputs.map((x, i) => {
    if (!wants[i]) return null;
    const out = new Float64Array(base[i].length);
    for (let j = 0; j < out.length; j++) {
      const v = base[i][j];
      base[i][j] = v + eps;
      const plus = objective(base);
      base[i][j] = v - eps;
      const minus = objective(base);
      base[i][j] = v;
      out[j] = (plus - minus) / (2 * eps);
    }
    return out;
  });
  const comparisons = numeric.map((n, i) => (n === null ? null : compare(analytic[i]!, n, tol)));
  return { passed: comparisons.every((c) => c === null || c.passed), inputs: comparisons, analytic, numeric };
}

