// Checkpoint state: a plain { name -> { shape, data } } map of every parameter and buffer, and the weight
// export other frameworks read (names, shapes, layouts, values).

import { LayersError, formatShape } from './errors';
import type { ParameterRole, WeightLayout } from './parameter';

/** One tensor of a checkpoint: its shape and its values (row-major). */
export interface StateEntry {
  readonly shape: readonly number[];
  readonly data: Float32Array;
}

/** Every parameter and buffer of a model by name (parameters first, in `parameters()` order, then buffers). */
export type ModelState = Record<string, StateEntry>;

/**
 * One exported tensor. Layouts: 'OIHW' conv kernel [out, in, kh, kw] (TensorFlow's conv2d wants HWIO:
 * transpose [2, 3, 1, 0]); 'OI' dense kernel [units, in] (TensorFlow's dense kernel is [in, units]:
 * transpose); 'C' a per-channel vector; 'scalar' shape []. Activations are NCHW (TensorFlow: NHWC).
 */
export interface ExportedWeight {
  readonly name: string;
  readonly kind: 'parameter' | 'buffer';
  /** For parameters: weight, bias, norm or scalar (see ParameterRole); null for buffers. */
  readonly role: ParameterRole | null;
  readonly layout: WeightLayout;
  readonly shape: readonly number[];
  readonly data: Float32Array;
}

const MAX_LISTED = 8;

function list(names: readonly string[]): string {
  const shown = names.slice(0, MAX_LISTED).join(', ');
  return names.length > MAX_LISTED ? `${shown} (and ${names.length - MAX_LISTED} more)` : shown;
}

const sameShape = (a: readonly number[], b: readonly number[]): boolean => a.length === b.length && a.every((v, i) => v === b[i]);

/**
 * Checks `state` against the expected { name -> shape } and returns the problems, one line each:
 * missing and (when strict) unexpected names, wrong shapes, data of the wrong type or length.
 */
export function stateProblems(state: unknown, expected: ReadonlyMap<string, readonly number[]>, strict: boolean): string[] {
  if (state === null || typeof state !== 'object' || Array.isArray(state)) {
    return [`expected a { name: { shape, data } } object, got ${Array.isArray(state) ? 'an array' : String(state)}`];
  }
  const s = state as Record<string, unknown>;
  const problems: string[] = [];
  const missing = [...expected.keys()].filter((n) => !Object.prototype.hasOwnProperty.call(s, n));
  if (missing.length > 0) problems.push(`missing ${missing.length} of the model's tensors: ${list(missing)}`);
  if (strict) {
    const unexpected = Object.keys(s).filter((n) => !expected.has(n));
    if (unexpected.length > 0) problems.push(`${unexpected.length} names the model does not have: ${list(unexpected)}`);
  }
  for (const [name, shape] of expected) {
    if (!Object.prototype.hasOwnProperty.call(s, name)) continue;
    const e = s[name] as Partial<StateEntry> | null;
    if (e === null || typeof e !== 'object' || !Array.isArray(e.shape)) {
      problems.push(`${name}: expected { shape, data }, got ${JSON.stringify(e)?.slice(0, 60)}`);
      continue;
    }
    if (!sameShape(e.shape, shape)) {
      problems.push(`${name}: the state has shape ${formatShape(e.shape)}, the model ${formatShape(shape)}`);
      continue;
    }
    const size = shape.reduce((a, b) => a * b, 1);
    const data = e.data as unknown;
    if (!(data instanceof Float32Array || data instanceof Float64Array || Array.isArray(data))) {
      problems.push(`${name}: data must be a Float32Array, got ${data === null ? 'null' : typeof data}`);
    } else if (data.length !== size) {
      problems.push(`${name}: ${data.length} values for shape ${formatShape(shape)} (${size} elements)`);
    }
  }
  return problems;
}

/** Throws a LayersError listing every problem (or returns when there is none). */
export function checkState(op: string, model: string, problems: readonly string[]): void {
  if (problems.length === 0) return;
  throw new LayersError(op, `the state does not fit model '${model}': ${problems.join('; ')}`);
}
