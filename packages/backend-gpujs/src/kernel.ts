// A kernel is declared once: a name, typed parameters, and its source generator, a pure function of the
// parameters. Its cache key is derived from the parameters by stable serialisation, so the key names
// everything the source depends on by construction; no key is written by hand. Host post-processing
// of a raw output (de-interleaving Array(4) cells, laying tiles out) is a Post declared beside the
// kernel, named by the plan step that wants it: a raw output may also feed another kernel as it is.

import type { KernelSpec } from './kernel-source';

export interface Kernel<P> {
  readonly name: string;
  /** The kernel for `p`: reads nothing but `p`. */
  readonly source: (p: P) => KernelSpec;
}

/** Host post-processing of a raw output (a view, valid until the kernel runs again) into buffers from `alloc`. */
export interface Post<Q> {
  readonly name: string;
  readonly run: (raw: Float32Array, q: Q, alloc: (size: number) => Float32Array, extra: readonly Float32Array[]) => Float32Array | Float32Array[];
}

export const kernel = <P>(name: string, source: (p: P) => KernelSpec): Kernel<P> => ({ name, source });
export const post = <Q>(name: string, run: Post<Q>['run']): Post<Q> => ({ name, run });

const IDENTIFIER = /^[A-Za-z_$][\w$]*$/;
/** Object keys as written into keys ('op:', '"a-b":'), memoised: they come from a few parameter types. */
const encodedKeys = new Map<string, string>();

/**
 * A string equal for two values exactly when they are deeply equal: object keys sorted (quoted unless
 * identifiers), strings quoted, arrays bracketed ([1, 23] and [12, 3] differ). Typed arrays and functions
 * are not parameters (a source never depends on data) and throw. It runs on every kernel call, so it is
 * written for speed (perf/micro.ts measures dispatch).
 */
export function stableKey(v: unknown): string {
  if (typeof v === 'number') return String(v);
  if (typeof v === 'string') return JSON.stringify(v);
  if (typeof v === 'boolean' || v === null || v === undefined) return String(v);
  if (typeof v !== 'object' || ArrayBuffer.isView(v)) throw new TypeError(`kernel parameters: a ${ArrayBuffer.isView(v) ? 'typed array' : typeof v} is not a parameter`);
  if (Array.isArray(v)) {
    let s = '[';
    for (let i = 0; i < v.length; i++) s += (i === 0 ? '' : ',') + (typeof v[i] === 'number' ? String(v[i]) : stableKey(v[i]));
    return `${s}]`;
  }
  const keys = Object.keys(v);
  for (let i = 1; i < keys.length; i++) {
    const k = keys[i]!;
    let j = i - 1;
    for (; j >= 0 && keys[j]! > k; j--) keys[j + 1] = keys[j]!;
    keys[j + 1] = k;
  }
  let s = '{';
  for (const k of keys) {
    let e = encodedKeys.get(k);
    if (e === undefined) encodedKeys.set(k, (e = `${IDENTIFIER.test(k) ? k : JSON.stringify(k)}:`));
    s += `${e}${stableKey((v as Record<string, unknown>)[k])},`;
  }
  return `${s}}`;
}

/** The cache key of `k` for `p`. */
export const cacheKey = <P>(k: Kernel<P>, p: P): string => `${k.name}|${stableKey(p)}`;
