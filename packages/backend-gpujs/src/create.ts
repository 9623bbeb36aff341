// Creating the engine on a platform (node.ts gives Node's): mode selection (auto or forced), the
// executor for the mode, a smoke test, and the backend.

import type { DataId } from '@skipinit/tensor';
import type { Executor } from './executor';
import { GpuJsBackend, type KernelStyle } from './gpujs-backend';
import { HostExecutor } from './host-executor';
import { MODES_BEST_FIRST, ModeUnavailableError, probeMode, probeWebGpu, type GpuJsMode, type ProbeResult, type SkippedMode } from './modes';
import type { ConvAlgorithm } from './plan';
import type { Platform } from './platform';
import { ResidentExecutor } from './resident-executor';
import { adapterName, type AdapterChoice } from './webgpu/adapter-choice';
import type { NavigatorScope } from './webgpu/navigator-scope';

export interface GpuJsBackendOptions {
  /** 'auto' (default) picks the best mode that works here; naming a mode forces it or throws. */
  readonly mode?: 'auto' | GpuJsMode;
  /** Matmul/conv kernels in webasm and cpu: 'blocked' (default; four outputs per thread, for the vectoriser) or 'scalar' (GPU modes' one per thread). */
  readonly kernels?: KernelStyle;
  /** Kernel cache bounds: compiled kernels held, and the bytes of their buffers (default 512, 768 MiB). */
  readonly maxKernels?: number;
  readonly maxKernelBytes?: number;
  /**
   * 'webasm' only: split heavy kernels (matmul, conv, large elementwise) across this many threads,
   * synchronously: helper threads instantiate each split kernel's WebAssembly module over its shared
   * memory and take ranges of its cells with the calling thread, which blocks until all are done
   * (worker-pool.ts). Default 1; 'auto': one per core, at most MAX_AUTO_THREADS (webasm; other modes
   * run 1). Results are bit-identical for any count.
   */
  readonly threads?: number | 'auto';
  /** Stride-1 3x3 convolutions in webasm/cpu: 'auto' (default: Winograd F(2x2, 3x3) where it pays), 'winograd' (wherever it applies) or 'direct'. */
  readonly convAlgorithm?: ConvAlgorithm;
  /**
   * Bytes of workspaces alive at once: the Winograd input transforms (about 4x a 3x3 convolution's
   * input) a training step's forward convolutions keep for their filter gradients (conv2dTraining).
   * Default 256 MiB; 0 keeps none (the filter gradient recomputes them).
   */
  readonly workspaceBytes?: number;
  /**
   * For tests of the large-tensor paths on small tensors: where kernels stop trusting float32 index
   * math (default and most 2^24), and the elements one intermediate of a convolution pass may hold
   * before the batch is cut into chunks (default 2^24, at most 2^28).
   */
  readonly indexLimit?: number;
  readonly convChunkElements?: number;
  /** With threads > 1, the kernels split: from `splitMinWork` flops (default 2^22, ~1.5 ms on one core) or `splitMinCells` outputs (2^16). */
  readonly splitMinWork?: number;
  readonly splitMinCells?: number;
}

const MODE_NAMES = new Set<string>(['auto', ...MODES_BEST_FIRST]);

/** The most threads `threads: 'auto'` takes (beyond this, the split kernels stop gaining at these sizes). */
export const MAX_AUTO_THREADS = 8;

/** What `threads: 'auto'` means on this machine for webasm: one thread per core, at most MAX_AUTO_THREADS. */
export function autoThreads(platform: Platform): number {
  return Math.max(1, Math.min(MAX_AUTO_THREADS, platform.cores()));
}

function checkOptions(options: GpuJsBackendOptions): void {
  const { mode, threads } = options;
  if (mode !== undefined && !MODE_NAMES.has(mode)) throw new RangeError(`createGpuJsBackend: unknown mode '${String(mode)}'; expected one of ${[...MODE_NAMES].join(', ')}`);
  if (threads !== undefined && threads !== 'auto' && (!Number.isInteger(threads) || threads < 1 || threads > 64)) {
    throw new RangeError(`createGpuJsBackend: threads must be 'auto' or an integer from 1 to 64, got ${String(threads)}`);
  }
  const forced = options.mode !== undefined && options.mode !== 'auto';
  if (typeof options.threads === 'number' && options.threads > 1 && forced && options.mode !== 'webasm') {
    throw new RangeError(`createGpuJsBackend: threads > 1 needs mode 'webasm' or 'auto' (it splits webasm kernels), got mode '${options.mode}'`);
  }
  for (const [name, allowed] of [['convAlgorithm', ['auto', 'direct', 'winograd']], ['kernels', ['blocked', 'scalar']]] as const) {
    const v = options[name];
    if (v !== undefined && !(allowed as readonly string[]).includes(v)) throw new RangeError(`createGpuJsBackend: ${name} must be ${allowed.map((a) => `'${a}'`).join(', ').replace(/, ([^,]*)$/, ' or $1')}, got '${String(v)}'`);
  }
  for (const [name, max] of [['indexLimit', 24], ['convChunkElements', 28]] as const) {
    const v = options[name];
    if (v !== undefined && !(Number.isInteger(v) && v >= 2 && v <= 2 ** max)) throw new RangeError(`createGpuJsBackend: ${name} must be an integer from 2 to 2^${max}, got ${String(v)}`);
  }
  for (const name of ['workspaceBytes', 'splitMinWork', 'splitMinCells'] as const) {
    const v = options[name];
    if (v !== undefined && !(Number.isFinite(v) && v >= 0)) throw new RangeError(`createGpuJsBackend: ${name} must be a number >= 0, got ${String(v)}`);
  }
}

function executor(platform: Platform, mode: GpuJsMode, options: GpuJsBackendOptions, scope?: NavigatorScope): Executor {
  const GPU = platform.gpuJs().GPU;
  const limits = { maxKernels: options.maxKernels ?? 512, maxBytes: options.maxKernelBytes ?? 768 * 2 ** 20 };
  if (mode === 'headlessgl' || mode === 'webgpu') return new ResidentExecutor(mode, (scope ?? ((fn) => fn()))(() => new GPU({ mode })), limits, scope);
  const gpu = new GPU({ mode });
  const threads = mode !== 'webasm' ? 1 : options.threads === 'auto' ? autoThreads(platform) : (options.threads ?? 1);
  const pool = threads > 1 ? platform.threadPool(threads - 1) : null;
  if (typeof pool === 'string') throw new Error(`threads: ${threads}: ${pool}`);
  return new HostExecutor(mode, gpu, limits, { pool, splitMinWork: options.splitMinWork, splitMinCells: options.splitMinCells });
}

function build(platform: Platform, mode: GpuJsMode, forced: boolean, skipped: SkippedMode[], notes: string[], options: GpuJsBackendOptions, scope?: NavigatorScope): GpuJsBackend {
  return new GpuJsBackend({
    selection: { mode, forced, skipped, notes },
    executor: executor(platform, mode, options, scope),
    kernels: options.kernels ?? 'blocked',
    convAlgorithm: options.convAlgorithm ?? 'auto',
    workspaceBytes: options.workspaceBytes ?? 256 * 2 ** 20,
    indexLimit: options.indexLimit,
    convChunkElements: options.convChunkElements,
  });
}

const SMOKE_WANT = [2, 2, 3, 5, 6, 7, 4, 5, 10, 11];

/** The smoke test's kernels: a small sum and matmul (inputs, then the two results). */
function smokeRun(backend: GpuJsBackend): DataId[] {
  const [a, b] = [backend.upload([1, 2, 3, 4, 5, 6]), backend.upload([1, 0, 0, 1, 1, 1])];
  const s = backend.binary('add', a, [2, 3], b, [2, 3], [2, 3]);
  const m = backend.matmul(a, b, { batch: 1, batchA: 1, batchB: 1, m: 2, k: 3, n: 2, transA: false, transB: false });
  return [a, b, s, m];
}

function smokeCheck(backend: GpuJsBackend, ids: readonly DataId[], got: readonly number[]): string | null {
  for (const id of ids) backend.dispose(id);
  return got.some((v, i) => v !== SMOKE_WANT[i]) ? `a smoke-test kernel computed [${got.join(',')}], expected [${SMOKE_WANT.join(',')}]` : null;
}

/** Runs a small sum and matmul and checks the values: a mode that compiles but computes wrongly is not usable. */
function smokeTest(backend: GpuJsBackend): string | null {
  try {
    const ids = smokeRun(backend);
    return smokeCheck(backend, ids, [...backend.read(ids[2]!), ...backend.read(ids[3]!)]);
  } catch (error) {
    return `a smoke-test kernel failed: ${(error as Error).message}`;
  }
}

/** The same where reads are asynchronous (webgpu). */
async function smokeTestAsync(backend: GpuJsBackend): Promise<string | null> {
  try {
    const ids = smokeRun(backend);
    return smokeCheck(backend, ids, [...(await backend.readAsync(ids[2]!)), ...(await backend.readAsync(ids[3]!))]);
  } catch (error) {
    return `a smoke-test kernel failed: ${(error as Error).message}`;
  }
}

function attempt(platform: Platform, mode: GpuJsMode, probe: ProbeResult, forced: boolean, skipped: SkippedMode[], options: GpuJsBackendOptions) {
  if (!probe.ok) return { reason: probe.reason };
  let backend: GpuJsBackend;
  try {
    backend = build(platform, mode, forced, skipped, probe.notes, options);
  } catch (error) {
    return { reason: `gpu.js could not start: ${(error as Error).message}` };
  }
  const failure = smokeTest(backend);
  if (failure) backend.destroy();
  return failure ? { reason: failure } : { backend };
}

const softwareOnly = (choice: AdapterChoice): string =>
  `only a software renderer answered (${adapterName(choice.chosen.info)}): auto does not train on it instead of webasm (force it with mode 'webgpu'); ${choice.description}`;

/**
 * webgpu: an adapter answers, gpu.js runs the smoke test on it. `auto` does not take a software adapter
 * (correct, far slower than webasm on the same cores); forcing the mode does.
 */
async function attemptWebGpu(platform: Platform, forced: boolean, options: GpuJsBackendOptions): Promise<{ backend: GpuJsBackend } | { reason: string }> {
  if (!forced && platform.webGpuQuiet) {
    const look = await platform.webGpuQuiet();
    if ('reason' in look) return look;
    if (!look.autoMayUse) return { reason: softwareOnly(look) };
  }
  const probe = await probeWebGpu(platform);
  if (!probe.ok) return { reason: probe.reason };
  const { choice, scope } = probe.access;
  if (!forced && !choice.autoMayUse) return { reason: softwareOnly(choice) };
  let backend: GpuJsBackend;
  try {
    backend = build(platform, 'webgpu', forced, [], probe.notes, options, scope);
  } catch (error) {
    return { reason: `gpu.js could not start: ${(error as Error).message}` };
  }
  const failure = await smokeTestAsync(backend);
  if (failure) backend.destroy();
  return failure ? { reason: failure } : { backend };
}

/**
 * The gpu.js engine, synchronously. `mode: 'auto'` (default) tries headlessgl, then webasm, then
 * cpu, and records why each better mode was skipped (webgpu always is: finding an adapter is
 * asynchronous — use createGpuJsBackendAsync). A forced mode that cannot run throws
 * ModeUnavailableError naming the mode and the reason.
 */
export function createGpuJsBackend(platform: Platform, options: GpuJsBackendOptions = {}): GpuJsBackend {
  checkOptions(options);
  const requested = options.mode ?? 'auto';
  if (requested !== 'auto') {
    const result = attempt(platform, requested, probeMode(platform, requested), true, [], options);
    if ('reason' in result) throw new ModeUnavailableError(requested, result.reason!);
    return result.backend;
  }
  const skipped: SkippedMode[] = [];
  for (const mode of MODES_BEST_FIRST) {
    const result = attempt(platform, mode, probeMode(platform, mode), false, [...skipped], options);
    if ('backend' in result) return result.backend!;
    skipped.push({ mode, reason: result.reason! });
  }
  throw new Error(`createGpuJsBackend: no gpu.js mode runs here (${skipped.map((s) => `${s.mode}: ${s.reason}`).join('; ')})`);
}

/**
 * Like createGpuJsBackend, but also considers WebGPU (probing an adapter is asynchronous): `auto` takes
 * it first when the adapter is hardware; `mode: 'webgpu'` forces it on any adapter. A webgpu backend
 * reads only through readAsync.
 */
export async function createGpuJsBackendAsync(platform: Platform, options: GpuJsBackendOptions = {}): Promise<GpuJsBackend> {
  checkOptions(options);
  const requested = options.mode ?? 'auto';
  if (requested === 'webgpu') {
    const result = await attemptWebGpu(platform, true, options);
    if ('reason' in result) throw new ModeUnavailableError('webgpu', result.reason);
    return result.backend;
  }
  if (requested !== 'auto') return createGpuJsBackend(platform, options);
  const webgpu = await attemptWebGpu(platform, false, options);
  if ('backend' in webgpu) return webgpu.backend;
  const backend = createGpuJsBackend(platform, options);
  const skipped = [{ mode: 'webgpu' as const, reason: webgpu.reason }, ...backend.selection.skipped.filter((s) => s.mode !== 'webgpu')];
  Object.assign(backend, { selection: { ...backend.selection, skipped } });
  return backend;
}
