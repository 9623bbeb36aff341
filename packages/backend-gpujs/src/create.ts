// Creating the engine: mode selection (auto or forced), a smoke test, and the backend.

import { availableParallelism } from 'node:os';
import { GpuJsBackend, type ConvAlgorithm, type KernelStyle } from './gpujs-backend';
import {
  MODES_BEST_FIRST,
  ModeUnavailableError,
  probeMode,
  probeWebGpu,
  type GpuJsMode,
  type ModeSelection,
  type ProbeResult,
  type SkippedMode,
} from './modes';

export interface GpuJsBackendOptions {
  /** 'auto' (default) picks the best mode that works here; naming a mode forces it or throws. */
  readonly mode?: 'auto' | GpuJsMode;
  /**
   * Matmul/conv kernel shapes in webasm and cpu: 'blocked' (default; four outputs per thread for the
   * WebAssembly vectoriser) or 'scalar' (one output per thread, the shape GPU modes always use).
   */
  readonly kernels?: KernelStyle;
  /** Kernel cache bounds: compiled kernels held, and the bytes of their buffers (default 512, 768 MiB). */
  readonly maxKernels?: number;
  readonly maxKernelBytes?: number;
  /**
   * 'webasm' only: split heavy kernels (matmul, conv) across this many threads, synchronously
   * (worker threads with their own gpu.js instances; the caller blocks until all parts are done).
   * Default 1: the calling thread alone. With mode 'auto', applies when webasm is the mode chosen
   * (other modes run 1). 'auto': one per core (os.availableParallelism(), at most
   * MAX_AUTO_THREADS) when the mode is webasm, else 1. Results are bit-identical for any count.
   */
  readonly threads?: number | 'auto';
  /**
   * Stride-1 3x3 convolutions in webasm/cpu: 'auto' (default: Winograd F(2x2, 3x3) where it is
   * measured to pay), 'winograd' (wherever it applies) or 'direct' (the implicit-GEMM kernels only).
   */
  readonly convAlgorithm?: ConvAlgorithm;
  /**
   * Bytes of Winograd input transforms kept from forward convolutions for their filter gradients
   * (default 256 MiB; 0 recomputes them). About 4x the bytes of each 3x3 convolution's input, held
   * from the forward pass to the backward pass of a training step.
   */
  readonly transformCacheBytes?: number;
  /**
   * For tests of the large-tensor paths on small tensors: where kernels stop trusting float32
   * index math (default and most 2^24), and the elements one intermediate of a convolution pass
   * may hold before the batch is cut into chunks (default 2^24, at most 2^28).
   */
  readonly indexLimit?: number;
  readonly convChunkElements?: number;
  /**
   * With threads > 1, which kernels are split: those with at least `splitMinWork` floating-point
   * operations (default 2^22, about 1.5 ms on one core) or `splitMinCells` output values (default
   * 2^16). For measurements; the defaults are the measured ones.
   */
  readonly splitMinWork?: number;
  readonly splitMinCells?: number;
}

const MODE_NAMES = new Set<string>(['auto', ...MODES_BEST_FIRST]);

/** The most threads `threads: 'auto'` takes (beyond this, the split kernels stop gaining at these sizes). */
export const MAX_AUTO_THREADS = 8;

/** What `threads: 'auto'` means on this machine for webasm: one thread per core, at most MAX_AUTO_THREADS. */
export function autoThreads(): number {
  return Math.max(1, Math.min(MAX_AUTO_THREADS, availableParallelism()));
}

function checkOptions(options: GpuJsBackendOptions): void {
  if (options.mode !== undefined && !MODE_NAMES.has(options.mode)) {
    throw new RangeError(`createGpuJsBackend: unknown mode '${String(options.mode)}'; expected one of ${[...MODE_NAMES].join(', ')}`);
  }
  if (options.threads !== undefined && options.threads !== 'auto' && (!Number.isInteger(options.threads) || options.threads < 1 || options.threads > 64)) {
    throw new RangeError(`createGpuJsBackend: threads must be 'auto' or an integer from 1 to 64, got ${String(options.threads)}`);
  }
  const forced = options.mode !== undefined && options.mode !== 'auto';
  if (typeof options.threads === 'number' && options.threads > 1 && forced && options.mode !== 'webasm') {
    throw new RangeError(`createGpuJsBackend: threads > 1 needs mode 'webasm' or 'auto' (it splits webasm kernels), got mode '${options.mode}'`);
  }
  if (options.convAlgorithm !== undefined && !['auto', 'direct', 'winograd'].includes(options.convAlgorithm)) {
    throw new RangeError(`createGpuJsBackend: convAlgorithm must be 'auto', 'direct' or 'winograd', got '${String(options.convAlgorithm)}'`);
  }
  if (options.transformCacheBytes !== undefined && !(Number.isFinite(options.transformCacheBytes) && options.transformCacheBytes >= 0)) {
    throw new RangeError(`createGpuJsBackend: transformCacheBytes must be a number >= 0, got ${String(options.transformCacheBytes)}`);
  }
  for (const [name, max] of [['indexLimit', 24], ['convChunkElements', 28]] as const) {
    const v = options[name];
    if (v !== undefined && !(Number.isInteger(v) && v >= 2 && v <= 2 ** max)) {
      throw new RangeError(`createGpuJsBackend: ${name} must be an integer from 2 to 2^${max}, got ${String(v)}`);
    }
  }
  for (const name of ['splitMinWork', 'splitMinCells'] as const) {
    const v = options[name];
    if (v !== undefined && !(Number.isFinite(v) && v >= 0)) throw new RangeError(`createGpuJsBackend: ${name} must be a number >= 0, got ${String(v)}`);
  }
  if (options.kernels !== undefined && options.kernels !== 'blocked' && options.kernels !== 'scalar') {
    throw new RangeError(`createGpuJsBackend: kernels must be 'blocked' or 'scalar', got '${String(options.kernels)}'`);
  }
}

function build(mode: GpuJsMode, forced: boolean, skipped: SkippedMode[], notes: string[], options: GpuJsBackendOptions): GpuJsBackend {
  const selection: ModeSelection = { mode, forced, skipped, notes };
  const backend = new GpuJsBackend({
    selection,
    kernels: options.kernels ?? 'blocked',
    maxKernels: options.maxKernels ?? 512,
    maxKernelBytes: options.maxKernelBytes ?? 768 * 2 ** 20,
    threads: mode !== 'webasm' ? 1 : options.threads === 'auto' ? autoThreads() : (options.threads ?? 1),
    convAlgorithm: options.convAlgorithm ?? 'auto',
    transformCacheBytes: options.transformCacheBytes ?? 256 * 2 ** 20,
    ...(options.indexLimit === undefined ? {} : { indexLimit: options.indexLimit }),
    ...(options.convChunkElements === undefined ? {} : { convChunkElements: options.convChunkElements }),
    ...(options.splitMinWork === undefined ? {} : { splitMinWork: options.splitMinWork }),
    ...(options.splitMinCells === undefined ? {} : { splitMinCells: options.splitMinCells }),
  });
  return backend;
}

/** Runs a small sum and matmul and checks the values: a mode that compiles but computes wrongly is not usable. */
function smokeTest(backend: GpuJsBackend): string | null {
  try {
    const a = backend.upload([1, 2, 3, 4, 5, 6]);
    const b = backend.upload([1, 0, 0, 1, 1, 1]);
    const s = backend.binary('add', a, [2, 3], b, [2, 3], [2, 3]);
    const m = backend.matmul(a, b, { batch: 1, batchA: 1, batchB: 1, m: 2, k: 3, n: 2, transA: false, transB: false });
    const got = [...backend.read(s), ...backend.read(m)];
    for (const id of [a, b, s, m]) backend.dispose(id);
    const want = [2, 2, 3, 5, 6, 7, 4, 5, 10, 11];
    if (got.some((v, i) => v !== want[i])) return `a smoke-test kernel computed [${got.join(',')}], expected [${want.join(',')}]`;
    return null;
  } catch (error) {
    return `a smoke-test kernel failed: ${(error as Error).message}`;
  }
}

function attempt(mode: GpuJsMode, probe: ProbeResult, forced: boolean, skipped: SkippedMode[], options: GpuJsBackendOptions) {
  if (!probe.ok) return { reason: probe.reason };
  let backend: GpuJsBackend;
  try {
    backend = build(mode, forced, skipped, probe.notes, options);
  } catch (error) {
    return { reason: `gpu.js could not start: ${(error as Error).message}` };
  }
  if (mode === 'webgpu') return { backend };
  const failure = smokeTest(backend);
  if (failure) {
    backend.destroy();
    return { reason: failure };
  }
  return { backend };
}

/**
 * The gpu.js engine, synchronously. `mode: 'auto'` (default) tries headlessgl, then webasm, then
 * cpu, and records why each better mode was skipped (webgpu always is: finding an adapter is
 * asynchronous — use createGpuJsBackendAsync). A forced mode that cannot run throws
 * ModeUnavailableError naming the mode and the reason.
 */
export function createGpuJsBackend(options: GpuJsBackendOptions = {}): GpuJsBackend {
  checkOptions(options);
  const requested = options.mode ?? 'auto';
  if (requested !== 'auto') {
    const result = attempt(requested, probeMode(requested), true, [], options);
    if ('reason' in result) throw new ModeUnavailableError(requested, result.reason!);
    return result.backend;
  }
  const skipped: SkippedMode[] = [];
  for (const mode of MODES_BEST_FIRST) {
    const result = attempt(mode, probeMode(mode), false, [...skipped], options);
    if ('backend' in result) return result.backend!;
    skipped.push({ mode, reason: result.reason! });
  }
  throw new Error(`createGpuJsBackend: no gpu.js mode runs here (${skipped.map((s) => `${s.mode}: ${s.reason}`).join('; ')})`);
}

/**
 * Like createGpuJsBackend, but also considers WebGPU (probing an adapter is asynchronous). A
 * webgpu backend reads only through readAsync.
 */
export async function createGpuJsBackendAsync(options: GpuJsBackendOptions = {}): Promise<GpuJsBackend> {
  checkOptions(options);
  const requested = options.mode ?? 'auto';
  if (requested === 'webgpu') {
    const result = attempt('webgpu', await probeWebGpu(), true, [], options);
    if ('reason' in result) throw new ModeUnavailableError('webgpu', result.reason!);
    return result.backend;
  }
  if (requested !== 'auto') return createGpuJsBackend(options);
  const webgpu = attempt('webgpu', await probeWebGpu(), false, [], options);
  if ('backend' in webgpu) return webgpu.backend!;
  const backend = createGpuJsBackend(options);
  const skipped = [{ mode: 'webgpu' as const, reason: webgpu.reason! }, ...backend.selection.skipped.filter((s) => s.mode !== 'webgpu')];
  Object.assign(backend, { selection: { ...backend.selection, skipped } });
  return backend;
}
