// Runs generated kernels in one gpu.js mode and keeps their results in that mode's own form.
//
// - 'webasm' and 'cpu': results are Float32Arrays in JS memory (gpu.js copies arguments into each
//   kernel's memory and its output out; there is no device memory to keep them in).
// - 'headlessgl': results stay in float32 textures (pipeline: true, immutable: true) and feed the
//   next kernel directly; precision 'single' always.
// - 'webgpu': kernel calls are asynchronous; a result is a Promise of a GPU buffer handle.
//
// gpu.js degrades a kernel it cannot build to its cpu backend with only a console warning. Every run
// here checks the mode of the kernel that actually ran and throws if it is not the one asked for.

import { gpuJs, type GpuJsInstance, type GpuJsKernel, type GpuJsKernelSettings, type GpuJsResidentValue } from './gpujs-api';
import { KernelCache, type CacheLimits, type KernelCacheStats } from './kernel-cache';
import type { KernelSpec } from './kernel-source';
import { SyncWorkerPool } from './worker-pool';
import { BufferPool } from './buffer-pool';
import { WasmCall, spanUnit } from './wasm-call';
import type { GpuJsMode } from './modes';

/** A value in the mode's own form. */
export type Payload = Float32Array | GpuJsResidentValue | Promise<Float32Array | GpuJsResidentValue>;

export type KernelArg = Payload | number;

interface Compiled {
  readonly fn: GpuJsKernel;
  readonly spec: KernelSpec;
  readonly outputSize: number;
  sized: boolean;
  /** webasm: the direct call into the built instance (after the first run through gpu.js). */
  call: WasmCall | null;
  /** Split across the worker pool's threads (built over shared memory). */
  readonly threaded: boolean;
}

const BIG_LOOP = 2 ** 30;

/** Kernels with less work than this (about 1.5 ms on one core) are not split across threads... */
export const SPLIT_MIN_WORK = 2 ** 22;
/** ...unless they have at least this many output cells (elementwise, transforms, batch norm). */
export const SPLIT_MIN_CELLS = 2 ** 16;

/** Cell ranges per participating thread: enough for a late helper to still share the work. */
const CHUNKS_PER_THREAD = 4;

/** gpu.js builds a kernel over shared memory only from this many cells (WebAssemblyKernel._threadable). */
const SHARED_MIN_CELLS = 4096;

/** A host result: `data` is either a buffer the caller now owns or a view it must copy out at once. */
interface HostResult {
  readonly data: Float32Array;
  readonly owned: boolean;
}

export interface DeviceOptions {
  /** Bytes of freed host buffers kept for reuse (webasm, cpu). */
  readonly poolBytes?: number;
  /** With threads > 1: split kernels with this much floating-point work (splitWork)... */
  readonly splitMinWork?: number;
  /** ...or this many output cells. */
  readonly splitMinCells?: number;
}

export class Device {
  readonly gpu: GpuJsInstance;
  private readonly cache: KernelCache<Compiled>;
  /** webgpu: settles after every kernel enqueued so far, so frees never overtake a pending reader. */
  private tail: Promise<unknown> = Promise.resolve();

  private readonly pool: SyncWorkerPool | null;
  private readonly splitMinWork: number;
  private readonly splitMinCells: number;
  /** Freed host buffers. */
  readonly buffers: BufferPool;

  /** `threads` > 1 (webasm only) splits heavy kernels across that many threads, synchronously. */
  constructor(
    readonly mode: GpuJsMode,
    limits: CacheLimits,
    readonly threads = 1,
    options: DeviceOptions = {},
  ) {
    if (!Number.isInteger(threads) || threads < 1) throw new RangeError(`threads must be a positive integer, got ${threads}`);
    if (threads > 1 && mode !== 'webasm') throw new RangeError(`threads: ${threads} needs mode 'webasm' (got '${mode}')`);
    const { GPU } = gpuJs();
    this.gpu = new GPU({ mode });
    this.pool = threads > 1 ? new SyncWorkerPool(threads - 1) : null;
    this.cache = new KernelCache<Compiled>(limits, (c) => {
      const shared = c.threaded ? c.call?.shared : null;
      if (shared) this.pool?.release(shared.id);
      c.fn.destroy();
    });
    this.buffers = new BufferPool(this.hostResident ? (options.poolBytes ?? 256 * 2 ** 20) : 0);
    this.splitMinWork = options.splitMinWork ?? SPLIT_MIN_WORK;
    this.splitMinCells = options.splitMinCells ?? SPLIT_MIN_CELLS;
  }

  /** True where results live in JS memory and can be read synchronously. */
  get hostResident(): boolean {
    return this.mode === 'webasm' || this.mode === 'cpu';
  }

  get asyncOnly(): boolean {
    return this.mode === 'webgpu';
  }

  cacheStats(): KernelCacheStats {
    return this.cache.stats();
  }

  /** Whether a kernel runs split across the pool's threads: heavy enough, and large enough for gpu.js to share its memory. */
  private splits(spec: KernelSpec): boolean {
    if (this.pool === null) return false;
    const cells = spec.output.reduce((p, d) => p * d, 1);
    if (cells < SHARED_MIN_CELLS) return false;
    return (spec.splitWork ?? 0) >= this.splitMinWork || cells * (spec.components ?? 1) >= this.splitMinCells;
  }

  private settings(spec: KernelSpec, threaded: boolean): GpuJsKernelSettings {
    const base: GpuJsKernelSettings = {
      output: [...spec.output],
      // a kernel for several threads is built under gpu.js's async contract (one module over shared
      // memory); the engine builds it through gpu.js and runs it itself, never through that contract
      ...(threaded ? { asyncMode: true } : {}),
      loopMaxIterations: BIG_LOOP,
      precision: 'single',
      dynamicArguments: false,
      dynamicOutput: false,
    };
    if (this.mode === 'headlessgl') return { ...base, pipeline: true, immutable: true, tactic: 'precision' };
    if (this.mode === 'webgpu') return { ...base, pipeline: true, immutable: true };
    return base;
  }

  private compiled(key: string, makeSpec: () => KernelSpec): Compiled {
    return this.cache.getOrCompile(key, () => {
      const spec = makeSpec();
      const components = spec.components ?? 1;
      if (components !== 1 && !this.hostResident) {
        throw new Error(`${spec.op}: internal: Array(${components}) kernels are only used in webasm/cpu, not '${this.mode}'`);
      }
      const threaded = this.splits(spec);
      let fn: GpuJsKernel;
      try {
        fn = this.gpu.createKernel(spec.source, this.settings(spec, threaded));
      } catch (error) {
        throw new Error(`${spec.op}: gpu.js could not create the kernel in mode '${this.mode}': ${(error as Error).message}`);
      }
      const outputSize = spec.output.reduce((p, d) => p * d, 1) * components;
      return { value: { fn, spec, outputSize, sized: false, call: null, threaded }, bytes: outputSize * 4, op: spec.op };
    });
  }

  /** A host buffer of `size` floats (contents arbitrary), reused from freed ones where possible. */
  alloc(size: number): Float32Array {
    return this.buffers.take(size);
  }

  /**
   * Runs the kernel cached under `key` (compiling `makeSpec()` on a miss) and returns its result in
   * this mode's form (flat, row-major), owned by the caller. `key` must name everything the source
   * depends on: the op and its shapes (and the kernel style); the source is generated only on a miss.
   */
  run(key: string, makeSpec: () => KernelSpec, args: readonly KernelArg[]): Payload {
    if (!this.hostResident) return this.runResident(key, makeSpec, args);
    const r = this.runHost(key, makeSpec, args);
    if (r.owned) return r.data;
    const out = this.buffers.take(r.data.length);
    out.set(r.data);
    return out;
  }

  /**
   * Host modes: runs the kernel and hands its raw output to `consume`, which must not keep it (it is
   * a view of the kernel's memory, or a buffer recycled right after).
   */
  runWith<T>(key: string, makeSpec: () => KernelSpec, args: readonly KernelArg[], consume: (out: Float32Array) => T): T {
    if (!this.hostResident) throw new Error(`internal: runWith needs a host mode, not '${this.mode}'`);
    const r = this.runHost(key, makeSpec, args);
    const value = consume(r.data);
    if (r.owned) this.buffers.give(r.data);
    return value;
  }

  private runHost(key: string, makeSpec: () => KernelSpec, args: readonly KernelArg[]): HostResult {
    const compiled = this.compiled(key, makeSpec);
    if (compiled.threaded) return { data: this.runThreaded(key, compiled, args, this.pool!), owned: false };
    return this.runLocal(key, compiled, args);
  }

  /**
   * A kernel split across threads: the arguments written once into its shared memory, then ranges of
   * its cells run by this thread and the helpers (worker-pool.ts). Returns a view of the output.
   */
  private runThreaded(key: string, compiled: Compiled, args: readonly KernelArg[], pool: SyncWorkerPool): Float32Array {
    const fn = compiled.fn;
    let call = compiled.call;
    if (call === null || !call.validFor(fn)) {
      // first run: build through gpu.js (what its own first call does), never call it (that is async)
      const inner = fn.kernel as GpuJsKernel['kernel'] & { build(...a: unknown[]): void; checkArgumentTypes(a: unknown[]): void; switchingKernels?: unknown; fallbackRequested?: boolean };
      try {
        inner.build(...args);
        inner.checkArgumentTypes([...args]);
      } catch (error) {
        throw new Error(`${compiled.spec.op}: gpu.js could not build the kernel in mode '${this.mode}': ${(error as Error).message}`);
      }
      if (inner.fallbackRequested || (Array.isArray(inner.switchingKernels) && inner.switchingKernels.length > 0)) {
        throw new Error(`${compiled.spec.op}: gpu.js would not build this kernel for webasm (${fn.fallbackReason ?? 'argument types'})`);
      }
      this.checkRan(compiled);
      call = WasmCall.of(fn, args);
      if (call === null || call.shared === null) throw new Error(`${compiled.spec.op}: internal: gpu.js did not build the kernel over shared memory`);
      compiled.call = call;
      if (!compiled.sized) {
        compiled.sized = true;
        let bytes = compiled.outputSize * 4;
        for (const a of args) if (a instanceof Float32Array) bytes += a.length * 4;
        this.cache.setBytes(key, bytes);
      }
    }
    const shared = call.shared!;
    const unit = spanUnit(shared.sizeX, shared.simd);
    const chunk = Math.max(unit, Math.ceil(shared.cells / (CHUNKS_PER_THREAD * pool.size) / unit) * unit);
    const run = call;
    try {
      run.write(args);
      pool.run(shared, chunk, (start, end) => run.runCells(start, end));
    } catch (error) {
      throw new Error(`${compiled.spec.op}: kernel failed in mode '${this.mode}': ${(error as Error).message}`);
    }
    return run.output();
  }

  private runResident(key: string, makeSpec: () => KernelSpec, args: readonly KernelArg[]): Payload {
    const compiled = this.compiled(key, makeSpec);
    if (this.mode === 'webgpu') {
      const result = this.runAsync(compiled, args);
      this.tail = Promise.allSettled([this.tail, result]);
      return result;
    }
    const result = this.callGpuJs(compiled, args);
    this.checkRan(compiled);
    return result as GpuJsResidentValue;
  }

  private callGpuJs(compiled: Compiled, args: readonly KernelArg[]): unknown {
    try {
      return compiled.fn(...args);
    } catch (error) {
      throw new Error(`${compiled.spec.op}: kernel failed in mode '${this.mode}': ${(error as Error).message}`);
    }
  }

  private runLocal(key: string, compiled: Compiled, args: readonly KernelArg[]): HostResult {
    const fn = compiled.fn;
    if (compiled.call !== null && compiled.call.validFor(fn)) {
      try {
        return { data: compiled.call.run(args), owned: false };
      } catch (error) {
        throw new Error(`${compiled.spec.op}: kernel failed in mode '${this.mode}': ${(error as Error).message}`);
      }
    }
    if (this.mode === 'webasm') flatOutputs(fn);
    const result = this.callGpuJs(compiled, args);
    this.checkRan(compiled);
    if (!compiled.sized) {
      compiled.sized = true;
      let bytes = compiled.outputSize * 4;
      for (const a of args) if (a instanceof Float32Array) bytes += a.length * 4;
      this.cache.setBytes(key, bytes);
    }
    if (this.mode === 'webasm') compiled.call = WasmCall.of(fn, args);
    const flat = toFlat(result, compiled.outputSize, compiled.spec.op, false);
    // webasm hands back a fresh slice of its memory; the cpu kernel may reuse its output array
    return { data: flat, owned: this.mode === 'webasm' };
  }

  private async runAsync(compiled: Compiled, args: readonly KernelArg[]): Promise<Float32Array | GpuJsResidentValue> {
    const resolved = await Promise.all(args);
    const result = await (compiled.fn(...resolved) as Promise<unknown>);
    this.checkRan(compiled);
    return result as GpuJsResidentValue;
  }

  private checkRan(compiled: Compiled): void {
    const ran = compiled.fn.kernel.constructor.mode;
    if (ran !== this.mode) {
      const why = compiled.fn.fallbackReason ?? 'no reason given';
      throw new Error(`${compiled.spec.op}: gpu.js ran this kernel in mode '${ran}' instead of '${this.mode}' (${why}); refusing to degrade silently`);
    }
    if ((this.mode === 'headlessgl' || this.mode === 'webgpu') && compiled.fn.kernel.precision !== 'single') {
      throw new Error(`${compiled.spec.op}: gpu.js chose precision '${compiled.fn.kernel.precision}' in '${this.mode}'; only 'single' is allowed`);
    }
  }

  /** Values of a payload as a fresh Float32Array. */
  read(p: Payload, size: number): Float32Array {
    if (p instanceof Promise) throw new Error(`read: mode '${this.mode}' reads only asynchronously; use readAsync`);
    if (p instanceof Float32Array) return p.slice(0, size);
    return toFlat(p.toArray(), size, 'read', true);
  }

  async readAsync(p: Payload, size: number): Promise<Float32Array> {
    const v = await p;
    if (v instanceof Float32Array) return v.slice(0, size);
    return toFlat(await (v.toArray() as unknown), size, 'readAsync', true);
  }

  free(p: Payload): void {
    if (p instanceof Float32Array) {
      this.buffers.give(p);
      return;
    }
    if (p instanceof Promise) {
      this.tail.then(() => p).then(
        (v) => {
          if (!(v instanceof Float32Array)) v.delete();
        },
        () => undefined,
      );
      return;
    }
    p.delete();
  }

  destroy(): void {
    this.pool?.destroy();
    this.buffers.clear();
    this.cache.clear();
    void this.gpu.destroy();
  }
}

const FLAT = Symbol('skipinit.flatOutputs');

/**
 * gpu.js's webasm kernel copies its output out of wasm memory into one fresh Float32Array, then
 * "erects" it into nested row arrays (and, for Array(4) returns, one subarray per cell). The engine
 * wants the flat array, so the erection step is skipped on the kernel instance. When gpu.js swaps
 * the instance (argument-type switch), the next call re-installs this; toFlat covers the call between.
 */
export function flatOutputs(fn: GpuJsKernel): void {
  const inner = fn.kernel as GpuJsKernel['kernel'] & { [FLAT]?: true };
  if (inner[FLAT] || typeof inner._shapeOutput !== 'function') return;
  inner._shapeOutput = (data: Float32Array) => data;
  inner[FLAT] = true;
}

/** A kernel result (flat typed array or nested arrays of rows/cells) as one flat Float32Array. */
export function toFlat(result: unknown, size: number, op: string, copy: boolean): Float32Array {
  if (result instanceof Float32Array && result.length === size) return copy ? result.slice() : result;
  const out = new Float32Array(size);
  let i = 0;
  const walk = (v: unknown): void => {
    if (typeof v === 'number') {
      out[i++] = v;
    } else if (ArrayBuffer.isView(v)) {
      const t = v as Float32Array;
      out.set(t, i);
      i += t.length;
    } else if (Array.isArray(v)) {
      for (const e of v) walk(e);
    } else {
      throw new Error(`${op}: unexpected kernel result of type ${typeof v}`);
    }
  };
  walk(result);
  if (i !== size) throw new Error(`${op}: kernel returned ${i} values, expected ${size}`);
  return out;
}
