// The host executor (webasm, cpu): payloads are Float32Arrays in JS memory. Results land in reused
// buffers (buffer-pool.ts: fresh ones cost page faults); on webasm, after gpu.js has built a kernel on
// its first call, the engine writes the arguments into its WebAssembly memory and runs it itself
// (WasmCall), and heavy kernels are built over shared memory and their cells split across the calling
// thread and a synchronous thread pool (worker-pool.ts, from the platform).

import { WasmCall, buildWithoutCalling, flatOutputs, returnsWideArrays, spanUnit, toFlat, type GpuJsInstance, type SharedKernel } from './gpujs-adapter';
import { BufferPool } from './buffer-pool';
import { GpuJsExecutor, type Compiled, type Executor, type KernelArg, type Payload, type RunOptions } from './executor';
import type { CacheLimits } from './kernel-cache';
import type { KernelSpec } from './kernel-source';

/** Kernels with less work than this (about 1.5 ms on one core) are not split across threads... */
export const SPLIT_MIN_WORK = 2 ** 22;
/** ...unless they have at least this many output cells (elementwise, transforms, batch norm). */
export const SPLIT_MIN_CELLS = 2 ** 16;
/** Cell ranges per participating thread: enough for a late helper to still share the work. */
const CHUNKS_PER_THREAD = 4;
/** gpu.js builds a kernel over shared memory only from this many cells (WebAssemblyKernel._threadable). */
const SHARED_MIN_CELLS = 4096;

/** Helper threads that run cell ranges of a kernel beside the calling thread (worker-pool.ts); `size` counts the calling thread. */
export interface ThreadPool {
  readonly size: number;
  run(kernel: SharedKernel, chunk: number, runOwn: (start: number, end: number) => void): void;
  release(id: number): void;
  destroy(): void;
}

/** `poolBytes`: freed buffers kept for reuse (default 256 MiB); with a thread pool, kernels split from splitMinWork flops or splitMinCells outputs. */
export type HostOptions = { readonly pool: ThreadPool | null; readonly poolBytes?: number; readonly splitMinWork?: number | undefined; readonly splitMinCells?: number | undefined };

/** `call`: webasm's direct call, after the first run through gpu.js. */
type HostCompiled = Compiled & { readonly key: string; readonly threaded: boolean; sized: boolean; call: WasmCall | null };

/** A raw result: a buffer the caller now owns, or a view it must copy out at once. */
type Raw = { readonly data: Float32Array; readonly owned: boolean };

export class HostExecutor extends GpuJsExecutor<HostCompiled> implements Executor {
  readonly host = true;
  readonly syncRead = true;
  readonly threads: number;
  /** gpu.js's cpu mode returns Array(2-4); webasm's patched generator (patches/) up to Array(16), stock gpu.js Array(4). */
  readonly maxComponents: number;
  readonly buffers: BufferPool;
  private readonly pool: ThreadPool | null;

  constructor(mode: 'webasm' | 'cpu', gpu: GpuJsInstance, limits: CacheLimits, private readonly options: HostOptions) {
    super(mode, gpu, limits);
    if (options.pool !== null && mode !== 'webasm') throw new RangeError(`threads: a thread pool needs mode 'webasm' (got '${mode}')`);
    this.pool = options.pool;
    this.threads = options.pool?.size ?? 1;
    this.maxComponents = mode === 'webasm' && returnsWideArrays(gpu) ? 16 : 4;
    this.buffers = new BufferPool(options.poolBytes ?? 256 * 2 ** 20);
  }

  /** Split across the pool's threads: heavy enough, and large enough for gpu.js to share its memory. */
  private splits(spec: KernelSpec): boolean {
    if (this.pool === null) return false;
    const cells = spec.output.reduce((p, d) => p * d, 1);
    if (cells < SHARED_MIN_CELLS) return false;
    return (spec.splitWork ?? 0) >= (this.options.splitMinWork ?? SPLIT_MIN_WORK) || cells * (spec.components ?? 1) >= (this.options.splitMinCells ?? SPLIT_MIN_CELLS);
  }

  protected create(spec: KernelSpec, key: string): HostCompiled {
    const threaded = this.splits(spec);
    // a kernel for several threads is built under gpu.js's async contract (one module over shared
    // memory); the engine builds it through gpu.js and runs it itself, never through that contract
    const fn = this.createKernel(spec, threaded ? { asyncMode: true } : {});
    const outputSize = spec.output.reduce((p, d) => p * d, 1) * (spec.components ?? 1);
    return { key, fn, spec, outputSize, threaded, sized: false, call: null };
  }

  protected override release(c: HostCompiled): void {
    const shared = c.threaded ? c.call?.shared : null;
    if (shared) this.pool?.release(shared.id);
    c.fn.destroy();
  }

  alloc = (size: number): Float32Array => this.buffers.take(size);

  run(c: Compiled, args: readonly KernelArg[], options?: RunOptions): Payload | Payload[] {
    const raw = this.runRaw(c as HostCompiled, args);
    const { post, into } = options ?? {};
    if (post === undefined && into === undefined) return raw.owned ? raw.data : this.upload(raw.data);
    const out = post !== undefined ? post.fn.run(raw.data, post.params, this.alloc, post.extra as Float32Array[]) : (into as Float32Array);
    if (post === undefined) (into as Float32Array).set(raw.data);
    if (raw.owned) this.buffers.give(raw.data);
    return out;
  }

  private runRaw(c: HostCompiled, args: readonly KernelArg[]): Raw {
    if (c.threaded) return { data: this.runThreaded(c, args, this.pool!), owned: false };
    const call = c.call;
    if (call !== null && call.validFor(c.fn)) {
      try {
        return { data: call.run(args), owned: false };
      } catch (error) {
        throw new Error(`${c.spec.op}: kernel failed in mode '${this.mode}': ${(error as Error).message}`);
      }
    }
    if (this.mode === 'webasm') flatOutputs(c.fn);
    const result = this.call(c, args);
    this.checkRan(c, false);
    this.size(c, args);
    if (this.mode === 'webasm') c.call = WasmCall.of(c.fn, args);
    // webasm hands back a fresh slice of its memory; the cpu kernel may reuse its output array
    return { data: toFlat(result, c.outputSize, c.spec.op, false), owned: this.mode === 'webasm' };
  }

  /** A kernel split across threads: arguments written once into its shared memory, then ranges of cells run by every thread. */
  private runThreaded(c: HostCompiled, args: readonly KernelArg[], pool: ThreadPool): Float32Array {
    let call = c.call;
    if (call === null || !call.validFor(c.fn)) {
      try {
        buildWithoutCalling(c.fn, args);
      } catch (error) {
        throw new Error(`${c.spec.op}: gpu.js could not build the kernel in mode '${this.mode}': ${(error as Error).message}`);
      }
      this.checkRan(c, false);
      call = WasmCall.of(c.fn, args);
      if (call === null || call.shared === null) throw new Error(`${c.spec.op}: internal: gpu.js did not build the kernel over shared memory`);
      c.call = call;
      this.size(c, args);
    }
    const [shared, run] = [call.shared!, call];
    const unit = spanUnit(shared.sizeX, shared.simd);
    const chunk = Math.max(unit, Math.ceil(shared.cells / (CHUNKS_PER_THREAD * pool.size) / unit) * unit);
    try {
      run.write(args);
      pool.run(shared, chunk, (start, end) => run.runCells(start, end));
    } catch (error) {
      throw new Error(`${c.spec.op}: kernel failed in mode '${this.mode}': ${(error as Error).message}`);
    }
    return run.output();
  }

  /** The cache's byte estimate once the argument sizes are known (first run). */
  private size(c: HostCompiled, args: readonly KernelArg[]): void {
    if (c.sized) return;
    c.sized = true;
    let bytes = c.outputSize * 4;
    for (const a of args) if (a instanceof Float32Array) bytes += a.length * 4;
    this.cache.setBytes(c.key, bytes);
  }

  read = (p: Payload, size: number): Float32Array => (p as Float32Array).slice(0, size);
  free = (p: Payload): void => this.buffers.give(p as Float32Array);
  fill = (size: number, value: number): Payload => this.buffers.take(size).fill(value);
  copy = (p: Payload, size: number): Payload => this.upload(p as Float32Array, size);

  upload(values: ArrayLike<number>, size = values.length): Payload {
    const out = this.buffers.take(size);
    out.set(values);
    return out;
  }

  override destroy(): void {
    this.pool?.destroy();
    this.buffers.clear();
    super.destroy();
  }
}
