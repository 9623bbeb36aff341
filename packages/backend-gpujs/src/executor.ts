// The one interface between the engine and where kernels run: compile, run, read, free. The host executor
// (webasm, cpu) holds Float32Arrays; the resident executor (headlessgl, webgpu) keeps data on the device
// between kernels, WebGPU's as Promises with asynchronous reads. Every difference between modes lives
// behind this interface: kernels, planners and Backend methods never ask which mode runs; a planner may
// ask what the executor can do (`host`: Array(n) kernels, host post-processing, image chunks).

import { ranAs, type GpuJsInstance, type GpuJsKernel, type GpuJsKernelSettings, type GpuJsResidentValue } from './gpujs-adapter';
import { cacheKey, type Kernel, type Post } from './kernel';
import { KernelCache, type CacheLimits, type KernelCacheStats } from './kernel-cache';
import type { KernelSpec } from './kernel-source';
import type { GpuJsMode } from './modes';

/** A value in the executor's own form. */
export type Payload = Float32Array | GpuJsResidentValue | Promise<Float32Array | GpuJsResidentValue>;
export type KernelArg = Payload | number;

/** A kernel compiled by an executor (opaque above it); `outputSize`: the floats it writes (cells x components). */
export type Compiled = { readonly fn: GpuJsKernel; readonly spec: KernelSpec; readonly outputSize: number };

export interface RunOptions {
  /** Host post-processing of the raw output (host executors only), and its further inputs. */
  readonly post?: { readonly fn: Post<unknown>; readonly params: unknown; readonly extra: readonly Payload[] } | undefined;
  /** In place: the result replaces this payload (written into it on the host; freed and superseded on a device). */
  readonly into?: Payload | undefined;
}

export interface Executor {
  readonly mode: GpuJsMode;
  /** Threads kernels may split across (the calling thread included). */
  readonly threads: number;
  /** Whether payloads are host arrays (webasm, cpu). */
  readonly host: boolean;
  /** The most values a kernel may return per thread (Array(n)): 16 on webasm's patched generator; 4 when absent. */
  readonly maxComponents?: number;
  /** Whether `read` answers synchronously (WebGPU: no, its reads are Promises). */
  readonly syncRead: boolean;
  compile<P>(kernel: Kernel<P>, params: P): Compiled;
  /** Runs a compiled kernel; the result (or a post's results) is the caller's. */
  run(c: Compiled, args: readonly KernelArg[], options?: RunOptions): Payload | Payload[];
  /** The values as a fresh array: synchronously where syncRead, else a Promise. */
  read(p: Payload, size: number): Float32Array | Promise<Float32Array>;
  free(p: Payload): void;
  upload(values: ArrayLike<number>): Payload;
  fill(size: number, value: number): Payload;
  copy(p: Payload, size: number): Payload;
  /** Host executors: a buffer of `size` floats with arbitrary contents (image chunks are laid out in it). */
  alloc(size: number): Float32Array;
  cacheStats(): KernelCacheStats;
  destroy(): void;
}

/** What both executors share: gpu.js kernels compiled once per (kernel, parameters) in a bounded cache. */
export abstract class GpuJsExecutor<C extends Compiled> {
  protected readonly cache: KernelCache<C>;

  constructor(readonly mode: GpuJsMode, protected readonly gpu: GpuJsInstance, limits: CacheLimits) {
    this.cache = new KernelCache<C>(limits, (c) => this.release(c));
  }

  compile<P>(kernel: Kernel<P>, params: P): C {
    const key = cacheKey(kernel, params);
    return this.cache.get(key) ?? this.cache.getOrCompile(key, () => {
      const spec = kernel.source(params);
      const c = this.create(spec, key);
      return { value: c, bytes: c.outputSize * 4, op: spec.op };
    });
  }

  /** Builds the gpu.js kernel for `spec` (cached under `key`) with this executor's settings. */
  protected abstract create(spec: KernelSpec, key: string): C;

  protected release(c: C): void {
    c.fn.destroy();
  }

  protected createKernel(spec: KernelSpec, extra: Partial<GpuJsKernelSettings>): GpuJsKernel {
    // literal loop bounds up to 2^30 are what gpu.js treats as bounded; precision 'single' always
    const settings: GpuJsKernelSettings = { output: [...spec.output], loopMaxIterations: 2 ** 30, precision: 'single', dynamicArguments: false, dynamicOutput: false, ...extra };
    try {
      return this.gpu.createKernel(spec.source, settings);
    } catch (error) {
      throw new Error(`${spec.op}: gpu.js could not create the kernel in mode '${this.mode}': ${(error as Error).message}`);
    }
  }

  /** gpu.js degrades a kernel it cannot build to cpu with only a warning: throw unless it ran in this mode (GPU modes: in single precision). */
  protected checkRan(c: Compiled, single: boolean): void {
    const ran = ranAs(c.fn);
    if (ran.mode !== this.mode) {
      throw new Error(`${c.spec.op}: gpu.js ran this kernel in mode '${ran.mode}' instead of '${this.mode}' (${c.fn.fallbackReason ?? 'no reason given'}); refusing to degrade silently`);
    }
    if (single && ran.precision !== 'single') throw new Error(`${c.spec.op}: gpu.js chose precision '${ran.precision}' in '${this.mode}'; only 'single' is allowed`);
  }

  protected call(c: Compiled, args: readonly unknown[]): unknown {
    try {
      return c.fn(...args);
    } catch (error) {
      throw new Error(`${c.spec.op}: kernel failed in mode '${this.mode}': ${(error as Error).message}`);
    }
  }

  cacheStats = (): KernelCacheStats => this.cache.stats();

  destroy(): void {
    this.cache.clear();
    void this.gpu.destroy();
  }
}
