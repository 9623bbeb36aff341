// A plan: what an op runs, as data. Planners (pure functions of shapes and options: conv-plan.ts,
// batch-norm-plan.ts, ops.ts) return steps over named values; runPlan runs them on an executor, freeing
// each intermediate after its last use. Tests read plans without running a kernel. A kernel step is a
// declared kernel, its parameters and arguments (value names, scalars, or slices of a host value), an
// optional host post-processing and where its result goes; fill makes a constant; alloc, write and add
// (host only) lay out or sum a result from image chunks.

import type { Executor, KernelArg, Payload } from './executor';
import type { Kernel, Post } from './kernel';

/** A value name, a scalar argument, or elements [start, start + length) of a host value. */
export type Arg = string | number | { readonly of: string; readonly start: number; readonly length: number };

export interface KernelStep {
  readonly kernel: Kernel<unknown>;
  readonly params: unknown;
  readonly args: readonly Arg[];
  /** The result's name (a post may make several). */
  readonly out: string | readonly string[];
  readonly post?: { readonly fn: Post<unknown>; readonly params: unknown; readonly extra: readonly string[] };
  /** In place: the result replaces this value. */
  readonly into?: string;
}

export type Step =
  | KernelStep
  | { readonly fill: number; readonly size: number; readonly out: string }
  | { readonly alloc: number; readonly out: string }
  | { readonly write: string; readonly into: string; readonly at: number }
  | { readonly add: string; readonly into: string };

/** Stride-1 3x3 convolutions on host executors: 'winograd' wherever it applies, 'direct' never, 'auto' where it pays. */
export type ConvAlgorithm = 'auto' | 'direct' | 'winograd';

/** What planners choose from besides shapes: the engine's options and what its executor can do. */
export interface PlanOptions {
  /** Whether payloads are host arrays (image chunks are laid out on the host). */
  readonly host: boolean;
  /** Host kernels: Array(n) outputs and host post-processing (Winograd, strided col2im); false: one output per thread. */
  readonly blocked: boolean;
  /** Blocked kernels may also return Array(8)/Array(16) and use layouts shaped for webasm's vector loads (webasm only). */
  readonly wide: boolean;
  readonly algorithm: ConvAlgorithm;
  /** Elements an intermediate of one convolution chunk may hold before the batch is cut. */
  readonly chunkElements: number;
  /** Elements per tensor the backend holds. */
  readonly maxElements: number;
  /** Where float32 index math stops being exact (2^24; tests lower it to run the multi-axis layouts). */
  readonly indexLimit: number;
}

export interface Plan {
  readonly steps: readonly Step[];
  /** The values the plan returns (inputs updated in place included), in order. */
  readonly out: readonly string[];
}

/** A kernel step, its parameters typed by the kernel. */
export function run<P>(kernel: Kernel<P>, params: P, args: readonly Arg[], out: string, into?: string): KernelStep {
  return into === undefined ? { kernel: kernel as Kernel<unknown>, params, args, out } : { kernel: kernel as Kernel<unknown>, params, args, out, into };
}

/** A kernel step whose raw output goes through `fn` (with further inputs `extra`) on the host. */
export function runPost<P, Q>(kernel: Kernel<P>, params: P, args: readonly Arg[], fn: Post<Q>, q: Q, out: string | readonly string[], extra: readonly (string | null)[] = []): KernelStep {
  return { kernel: kernel as Kernel<unknown>, params, args, out, post: { fn: fn as Post<unknown>, params: q, extra: extra.filter((e): e is string => e !== null) } };
}

/** Calls `fn` with each name step `s` reads. */
function reads(s: Step, fn: (name: string) => void): void {
  if ('write' in s) fn(s.write);
  else if ('add' in s) fn(s.add);
  else if ('kernel' in s) {
    for (const a of s.args) if (typeof a !== 'number') fn(typeof a === 'string' ? a : a.of);
    if (s.post) for (const e of s.post.extra) fn(e);
  }
}

/** Runs `plan` on `inputs` (bound to `names`; null: absent) and returns its outputs; each intermediate is freed after its last use. */
export function runPlan(ex: Executor, plan: Plan, names: readonly string[], inputs: readonly (Payload | null)[]): Payload[] {
  const one = plan.steps.length === 1 && plan.out.length === 1 ? plan.steps[0]! : null;
  if (one !== null && 'kernel' in one && one.out === plan.out[0] && !one.post && one.into === undefined && one.args.every((a) => typeof a !== 'object')) {
    // most ops: one kernel on the inputs, run without the bookkeeping (dispatch is on every op's path)
    return [ex.run(ex.compile(one.kernel, one.params), one.args.map((a) => (typeof a === 'number' ? a : inputs[names.indexOf(a)]!))) as Payload];
  }
  const values = new Map<string, Payload>();
  for (let i = 0; i < names.length; i++) if (inputs[i] !== null) values.set(names[i]!, inputs[i]!);
  const get = (name: string): Payload => {
    const v = values.get(name);
    if (v === undefined) throw new Error(`internal: plan value '${name}' is not defined`);
    return v;
  };
  const { steps } = plan;
  // each intermediate (neither a given input nor an output) is freed after the last step that reads it;
  // a step may make a value under an absent input's name (the filter gradient's V without a workspace)
  const last = new Map<string, number>();
  const intermediate = (n: string) => !values.has(n) && !plan.out.includes(n);
  if (steps.length > 1) steps.forEach((s, i) => reads(s, (n) => intermediate(n) && last.set(n, i)));
  for (let i = 0; i < steps.length; i++) {
    const s = steps[i]!;
    if ('kernel' in s) {
      const args: KernelArg[] = s.args.map((a) => (typeof a === 'number' ? a : typeof a === 'string' ? get(a) : (get(a.of) as Float32Array).subarray(a.start, a.start + a.length)));
      const post = s.post && { fn: s.post.fn, params: s.post.params, extra: s.post.extra.map(get) };
      const result = ex.run(ex.compile(s.kernel, s.params), args, post || s.into ? { post, into: s.into === undefined ? undefined : get(s.into) } : undefined);
      if (typeof s.out === 'string') values.set(s.out, result as Payload);
      else s.out.forEach((n, k) => values.set(n, (result as Payload[])[k]!));
    } else if ('fill' in s) values.set(s.out, ex.fill(s.size, s.fill));
    else if ('alloc' in s) values.set(s.out, ex.alloc(s.alloc));
    else if ('write' in s) (get(s.into) as Float32Array).set(get(s.write) as Float32Array, s.at);
    else {
      const [sum, part] = [get(s.into) as Float32Array, get(s.add) as Float32Array];
      for (let j = 0; j < sum.length; j++) sum[j] = sum[j]! + part[j]!;
    }
    if (last.size > 0) {
      reads(s, (n) => {
        if (last.get(n) !== i || !values.has(n)) return;
        ex.free(get(n));
        values.delete(n);
      });
    }
  }
  return plan.out.map(get);
}
