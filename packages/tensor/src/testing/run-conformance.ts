// The conformance runner: every case on a candidate backend and on the float64 reference backend, with
// the same float32 inputs and the same random upstream gradient, compared under each case's tolerances.

import type { Backend } from '../backend';
import { Engine } from '../engine';
import { tidy } from '../memory';
import { ReferenceBackend } from '../reference/reference-backend';
import { Rng } from '../rng';
import { shapesEqual } from '../shape';
import type { Tensor } from '../tensor';
import { TOL, caseInputs, genValues } from './case';
import type { OpCase, Tolerance } from './case';
import { conformanceCases } from './cases';
import { compare } from './compare';
import type { Comparison } from './compare';

/** What one backend computed for a case: output and input gradients (float64 copies). */
export interface Evaluation {
  readonly shape: readonly number[];
  readonly out: Float64Array;
  /** Per input: its gradient, or null when none was asked for. */
  readonly grads: readonly (Float64Array | null)[];
}

export interface CaseResult {
  readonly name: string;
  readonly op: string;
  readonly passed: boolean;
  readonly tol: Tolerance;
  readonly gradTol: Tolerance;
  readonly forward: Comparison | null;
  /** Per input: the gradient comparison, or null where no gradient is checked. */
  readonly grads: readonly (Comparison | null)[];
  /** Why it failed beyond tolerances: an exception, a shape mismatch, a leak. */
  readonly error?: string;
}

export interface ConformanceOptions {
  /** The cases to run (default: all of `conformanceCases`). */
  readonly cases?: readonly OpCase[];
  /** Keep only the cases for which this returns true. */
  readonly filter?: (c: OpCase) => boolean;
}

const wantsGrad = (c: OpCase) => c.grad !== false;
const gradInputs = (c: OpCase) => c.inputs.map((s) => wantsGrad(c) && s.grad !== false);

/** Runs one case on `engine` (asynchronous reads, so async-only backends work too). */
export async function evaluateCase(engine: Engine, c: OpCase): Promise<Evaluation> {
  const values = caseInputs(c);
  const needs = gradInputs(c);
  const before = engine.memory().numTensors;
  const ctx = { engine, values, rng: () => new Rng(1234) };
  const { out, grads, leaves } = tidy(() => {
    const xs = c.inputs.map((s, i) => engineTensor(engine, values[i], s.shape, needs[i]));
    const y = c.run(xs, ctx);
    if (wantsGrad(c) && y.requiresGrad) {
      const g = genValues('normal', y.size, new Rng(99).fork(c.name));
      y.backward(engineTensor(engine, g, y.shape, false));
    }
    const leaves = xs.map((x) => x.keep());
    return { out: y, grads: xs.map((x) => x.grad), leaves };
  });
  let evaluation: Evaluation;
  try {
    const outValues = await out.data64();
    const gradValues = await Promise.all(grads.map((g, i) => (needs[i] && g ? g.data64() : Promise.resolve(null))));
    evaluation = { shape: [...out.shape], out: outValues, grads: gradValues };
  } finally {
    out.dispose();
    for (const x of leaves) x.dispose(); // disposes their .grad too
  }
  const leaked = engine.memory().numTensors - before;
  if (leaked !== 0) throw new Error(`${c.name}: ${leaked} tensor handle(s) leaked`);
  return evaluation;
}

function engineTensor(engine: Engine, values: ArrayLike<number>, shape: readonly number[], requiresGrad: boolean): Tensor {
  const t = engine.wrap(engine.backend.upload(values), shape);
  return requiresGrad ? t.requiresGrad_(true) : t;
}

/** Compares two evaluations of `c` under its tolerances. */
export function compareEvaluations(c: OpCase, candidate: Evaluation, reference: Evaluation): CaseResult {
  const tol = c.tol;
  const gradTol = c.gradTol ?? TOL.grad;
  const base = { name: c.name, op: c.op, tol, gradTol };
  if (!shapesEqual(candidate.shape, reference.shape)) {
    return {
      ...base,
      passed: false,
      forward: null,
      grads: [],
      error: `output shape [${candidate.shape}] differs from the reference's [${reference.shape}]`,
    };
  }
  const forward = compare(candidate.out, reference.out, tol);
  const grads = reference.grads.map((r, i) => {
    const g = candidate.grads[i];
    if (r === null) return null;
    return g === null ? { maxAbsError: Infinity, maxRelError: Infinity, worst: Infinity, worstIndex: -1, passed: false } : compare(g, r, gradTol);
  });
  const passed = forward.passed && grads.every((g) => g === null || g.passed);
  return { ...base, passed, forward, grads };
}

/**
 * Runs the conformance cases on `candidate` and on a fresh ReferenceBackend, returning one result per
 * case with its max errors (a thrown error becomes a failed result with `error`). The candidate backend
 * is used through its own Engine; it is not destroyed here.
 */
export async function runConformance(candidate: Backend, options: ConformanceOptions = {}): Promise<CaseResult[]> {
  const cases = (options.cases ?? conformanceCases).filter(options.filter ?? (() => true));
  const cand = new Engine(candidate);
  const ref = new Engine(new ReferenceBackend());
  const results: CaseResult[] = [];
  for (const c of cases) results.push(await runCase(c, cand, ref));
  return results;
}

/** One case on two engines. */
export async function runCase(c: OpCase, candidate: Engine, reference: Engine): Promise<CaseResult> {
  const gradTol = c.gradTol ?? TOL.grad;
  let r: Evaluation;
  try {
    r = await evaluateCase(reference, c);
  } catch (err) {
    return { name: c.name, op: c.op, passed: false, tol: c.tol, gradTol, forward: null, grads: [], error: `reference: ${String(err)}` };
  }
  try {
    return compareEvaluations(c, await evaluateCase(candidate, c), r);
  } catch (err) {
    return { name: c.name, op: c.op, passed: false, tol: c.tol, gradTol, forward: null, grads: [], error: String(err) };
  }
}

/** One line per case: pass/fail, the worst forward and gradient errors, and the tolerances. */
export function formatResult(r: CaseResult): string {
  const e = (x: number) => (x === 0 ? '0' : x.toExponential(1));
  const grads = r.grads
    .map((g, i) => (g ? `d${i} abs ${e(g.maxAbsError)} rel ${e(g.maxRelError)}` : null))
    .filter((s) => s !== null)
    .join(', ');
  const fwd = r.forward ? `out abs ${e(r.forward.maxAbsError)} rel ${e(r.forward.maxRelError)}` : '';
  const tol = `tol rtol ${r.tol.rtol} atol ${r.tol.atol}; grad rtol ${r.gradTol.rtol} atol ${r.gradTol.atol}`;
  return `${r.passed ? 'ok  ' : 'FAIL'} ${r.name}: ${[fwd, grads, r.error ?? ''].filter(Boolean).join('; ')} (${tol})`;
}
