// Creating tensors: from values, constants, ranges, and random draws from the seeded RNG.
// Every function takes an optional `{ engine }` (default: the engine `setBackend` made current) and
// `{ requiresGrad }` (a leaf that collects gradients).

import type { Shape } from './backend';
import { getEngine } from './context';
import type { Engine } from './engine';
import { TensorError, formatShape } from './errors';
import type { Rng } from './rng';
import { checkShape, sizeOf } from './shape';
import type { NestedArray, Tensor } from './tensor';

export interface CreateOptions {
  /** The engine to create on (default: the current one). */
  readonly engine?: Engine;
  /** Make a leaf that collects gradients in `.grad`. */
  readonly requiresGrad?: boolean;
}

export interface RandomOptions extends CreateOptions {
  /** The generator to draw from (default: the engine's `rng`). */
  readonly rng?: Rng;
}

function create(op: string, shape: Shape, options: CreateOptions, make: (e: Engine) => Parameters<Engine['wrap']>[0]): Tensor {
  checkShape(op, shape);
  const engine = options.engine ?? getEngine();
  const t = engine.wrap(make(engine), [...shape]); // a copy: the caller keeps its array
  if (options.requiresGrad) t.requiresGrad_(true);
  return t;
}

/** Flattens nested arrays, inferring their shape (and rejecting ragged ones). */
function flattenNested(values: NestedArray | ArrayLike<number>): { flat: ArrayLike<number>; shape: number[] } {
  if (typeof values === 'number') return { flat: [values], shape: [] };
  if (ArrayBuffer.isView(values)) return { flat: values as ArrayLike<number>, shape: [values.length] };
  if (!Array.isArray(values)) throw new TensorError('tensor', `values must be a number, an array or a typed array, got ${typeof values}`);
  const shape: number[] = [];
  for (let v: unknown = values; Array.isArray(v); v = v[0]) shape.push(v.length);
  const flat: number[] = [];
  const walk = (v: unknown, dim: number, path: string): void => {
    if (dim === shape.length) {
      if (typeof v !== 'number') throw new TensorError('tensor', `values${path} is ${JSON.stringify(v)}, not a number`);
      flat.push(v);
      return;
    }
    if (!Array.isArray(v) || v.length !== shape[dim]) {
      throw new TensorError(
        'tensor',
        `ragged nested array at values${path}: expected ${shape[dim]} entries, got ${Array.isArray(v) ? v.length : JSON.stringify(v)}`,
      );
    }
    v.forEach((x, i) => walk(x, dim + 1, `${path}[${i}]`));
  };
  walk(values, 0, '');
  return { flat, shape };
}

/**
 * A tensor from values: a number (a scalar), nested arrays (shape inferred), or a flat array / typed
 * array with an optional shape (default: 1-D). Values are copied.
 */
export function tensor(values: NestedArray | ArrayLike<number>, shape?: Shape, options: CreateOptions = {}): Tensor {
  const { flat, shape: inferred } = flattenNested(values);
  const target = shape ?? inferred;
  checkShape('tensor', target);
  if (sizeOf(target) !== flat.length) {
    throw new TensorError('tensor', `${flat.length} values do not fill shape ${formatShape(target)} (${sizeOf(target)} elements)`);
  }
  return create('tensor', target, options, (e) => e.backend.upload(flat));
}

/** A rank-0 tensor. */
export function scalar(value: number, options: CreateOptions = {}): Tensor {
  return full([], value, options);
}

export function full(shape: Shape, value: number, options: CreateOptions = {}): Tensor {
  if (typeof value !== 'number') throw new TensorError('full', `value must be a number, got ${typeof value}`);
  return create('full', shape, options, (e) => e.backend.fill(sizeOf(shape), value));
}

export function zeros(shape: Shape, options: CreateOptions = {}): Tensor {
  return full(shape, 0, options);
}

export function ones(shape: Shape, options: CreateOptions = {}): Tensor {
  return full(shape, 1, options);
}

export function zerosLike(x: Tensor, options: CreateOptions = {}): Tensor {
  return full(x.shape, 0, { engine: x.engine, ...options });
}

export function onesLike(x: Tensor, options: CreateOptions = {}): Tensor {
  return full(x.shape, 1, { engine: x.engine, ...options });
}

export function fullLike(x: Tensor, value: number, options: CreateOptions = {}): Tensor {
  return full(x.shape, value, { engine: x.engine, ...options });
}

/** torch.arange: [start, end) in steps of `step`; arange(n) is 0..n-1. */
export function arange(start: number, end?: number, step = 1, options: CreateOptions = {}): Tensor {
  const [lo, hi] = end === undefined ? [0, start] : [start, end];
  if (![lo, hi, step].every(Number.isFinite) || step === 0) {
    throw new TensorError('arange', `need finite start, end and a non-zero step, got (${lo}, ${hi}, ${step})`);
  }
  const n = Math.ceil((hi - lo) / step);
  if (n <= 0) throw new TensorError('arange', `(${lo}, ${hi}, ${step}) is empty (empty tensors are not supported)`);
  const v = new Float32Array(n);
  for (let i = 0; i < n; i++) v[i] = lo + i * step;
  return create('arange', [n], options, (e) => e.backend.upload(v));
}

/** The n x m identity (m defaults to n). */
export function eye(n: number, m = n, options: CreateOptions = {}): Tensor {
  checkShape('eye', [n, m]);
  const v = new Float32Array(n * m);
  for (let i = 0; i < Math.min(n, m); i++) v[i * m + i] = 1;
  return create('eye', [n, m], options, (e) => e.backend.upload(v));
}

/** Normal draws (mean 0, std 1 by default) from the seeded RNG, rounded to float32. */
export function randn(shape: Shape, options: RandomOptions & { mean?: number; std?: number } = {}): Tensor {
  checkShape('randn', shape);
  const engine = options.engine ?? getEngine();
  const v = (options.rng ?? engine.rng).fillNormal(new Float32Array(sizeOf(shape)), options.mean ?? 0, options.std ?? 1);
  return create('randn', shape, { ...options, engine }, (e) => e.backend.upload(v));
}

/** Uniform draws in [low, high) (default [0, 1)) from the seeded RNG, rounded to float32. */
export function rand(shape: Shape, options: RandomOptions & { low?: number; high?: number } = {}): Tensor {
  checkShape('rand', shape);
  const engine = options.engine ?? getEngine();
  const rng = options.rng ?? engine.rng;
  const low = options.low ?? 0;
  const high = options.high ?? 1;
  if (!(Number.isFinite(low) && Number.isFinite(high) && low < high)) {
    throw new TensorError('rand', `need finite low < high, got [${low}, ${high})`);
  }
  const v = new Float32Array(sizeOf(shape));
  for (let i = 0; i < v.length; i++) {
    do v[i] = rng.uniform(low, high);
    while (v[i] >= high); // a draw just below high can round up to it in float32
  }
  return create('rand', shape, { ...options, engine }, (e) => e.backend.upload(v));
}
