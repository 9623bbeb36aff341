// --backend MODE -> a tensor engine, and the lines a command prints about it: which mode runs, and each
// better mode that was skipped with its reason (the gpu.js engine's selection report; backend-report.ts).
import { ModeUnavailableError, autoThreads, createGpuJsBackendAsync, describeSelection } from '@skipinit/backend-gpujs';
import type { GpuJsBackend, ModeSelection } from '@skipinit/backend-gpujs';
import { AsyncReferenceBackend, ReferenceBackend, setBackend } from '@skipinit/tensor';
import type { Backend, Engine } from '@skipinit/tensor';
import { UsageError } from '../exit-codes';
import { selectionHead, skippedLines } from './backend-report';

/**
 * `webgpu` runs on the WebGPU adapter Dawn finds (hardware first; here only Mesa's llvmpipe, a software
 * renderer: correct, not fast; `auto` takes only a hardware one). `reference-async` is the float64
 * reference reading only asynchronously, as WebGPU does: the test double that checks a command runs where
 * reads are asynchronous (not listed in the help texts).
 */
export const BACKEND_MODES = ['auto', 'webasm', 'cpu', 'headlessgl', 'webgpu', 'reference', 'reference-async'] as const;
export type BackendMode = (typeof BACKEND_MODES)[number];

/** A backend that cannot run here (exit 69, EX_UNAVAILABLE). */
export class BackendUnavailableError extends Error {
  override readonly name = 'BackendUnavailableError';
}

export interface MadeEngine {
  readonly engine: Engine;
  /** The mode that runs and its notes, one line. */
  readonly head: string;
  /** One line per better mode skipped, its reason in a few words. */
  readonly skipped: readonly string[];
  /** The same with every reason in full (--verbose). */
  readonly skippedInFull: readonly string[];
  /** Everything in one line, every reason in full (config.json). */
  readonly description: string;
  /** For config.json: the selection report. */
  readonly meta: Record<string, unknown>;
}

/** head, then the skipped lines (in full when `verbose`). */
export function backendLines(made: MadeEngine, verbose: boolean): string[] {
  return [made.head, ...(verbose ? made.skippedInFull : made.skipped)];
}

export function checkMode(command: string, mode: string): BackendMode {
  if (!(BACKEND_MODES as readonly string[]).includes(mode)) {
    throw new UsageError(`--backend must be one of ${BACKEND_MODES.join(', ')}, got '${mode}'`, command);
  }
  return mode as BackendMode;
}

/** `--threads`: 'auto' (one per core) or a whole number; how many threads webasm kernels split across. */
export type Threads = number | 'auto';

/** Parses `--threads` (default 'auto'); a count above 1 with a mode that runs one thread is a usage error. */
export function checkThreads(command: string, value: string | undefined, mode: BackendMode): Threads {
  if (value === undefined || value === 'auto') return 'auto';
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > 64) throw new UsageError(`--threads takes 'auto' or a whole number from 1 to 64, got '${value}'`, command);
  if (n > 1 && mode !== 'auto' && mode !== 'webasm') {
    throw new UsageError(`--threads ${n} splits webasm kernels; --backend ${mode} runs on one thread (drop --threads, or use --backend webasm)`, command);
  }
  return n;
}

/** The threads each of `parallel` worker processes gets when the user did not say: the cores shared out, at least 1. */
export function threadsPerWorker(threads: Threads, parallel: number): number {
  return threads === 'auto' ? Math.max(1, Math.floor(autoThreads() / parallel)) : threads;
}

/**
 * Creates the engine for `mode` (seeded) and makes it the current one. `threads` (default 'auto': one
 * per core) applies when the mode is webasm; results are bit-identical for any count. Asynchronous:
 * finding a WebGPU adapter is (`auto` asks for one too, and takes it only when it is hardware).
 */
export async function makeEngine(mode: BackendMode, seed: number, threads: Threads = 'auto'): Promise<MadeEngine> {
  let backend: Backend;
  let selection: ModeSelection | null = null;
  let head: string;
  let meta: Record<string, unknown>;
  if (mode === 'reference' || mode === 'reference-async') {
    const reads = mode === 'reference' ? '' : ', reading only asynchronously as WebGPU does';
    backend = mode === 'reference' ? new ReferenceBackend() : new AsyncReferenceBackend();
    head = `${mode} (float64 plain loops${reads}, the test oracle: exact but slow; forced by --backend ${mode})`;
    meta = { selection: { mode, forced: true, skipped: [], notes: [`float64 plain loops${reads}`] } };
  } else {
    let gpu: GpuJsBackend;
    try {
      gpu = await createGpuJsBackendAsync({ mode, threads: mode === 'auto' || mode === 'webasm' ? threads : 1 });
    } catch (error) {
      if (error instanceof ModeUnavailableError) throw new BackendUnavailableError(error.message);
      throw new BackendUnavailableError((error as Error).message);
    }
    backend = gpu;
    const threadNote = gpu.mode === 'webasm' ? [`${gpu.threads} thread${gpu.threads === 1 ? '' : 's'}`] : [];
    selection = { ...gpu.selection, notes: [...gpu.selection.notes, ...threadNote] };
    head = selectionHead(selection);
    meta = { selection: gpu.selection, threads: gpu.threads };
  }
  return {
    engine: setBackend(backend, { seed }),
    head,
    skipped: selection ? skippedLines(selection, false) : [],
    skippedInFull: selection ? skippedLines(selection, true) : [],
    description: selection ? describeSelection(selection) : head,
    meta,
  };
}
