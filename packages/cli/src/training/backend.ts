// --backend MODE -> a tensor engine, and the line the run header prints about it: which mode runs and why
// (the gpu.js engine's selection report: the better modes it skipped, each with its reason).
import { ModeUnavailableError, createGpuJsBackend, describeSelection } from '@skipinit/backend-gpujs';
import type { GpuJsBackend } from '@skipinit/backend-gpujs';
import { ReferenceBackend, setBackend } from '@skipinit/tensor';
import type { Backend, Engine } from '@skipinit/tensor';
import { UsageError } from '../exit-codes';

export const BACKEND_MODES = ['auto', 'webasm', 'cpu', 'headlessgl', 'reference'] as const;
export type BackendMode = (typeof BACKEND_MODES)[number];

/** A backend that cannot run here (exit 69, EX_UNAVAILABLE). */
export class BackendUnavailableError extends Error {
  override readonly name = 'BackendUnavailableError';
}

export interface MadeEngine {
  readonly engine: Engine;
  /** One line: the mode that runs and why. */
  readonly description: string;
  /** For config.json: the selection report. */
  readonly meta: Record<string, unknown>;
}

export function checkMode(command: string, mode: string): BackendMode {
  if (mode === 'webgpu') {
    throw new UsageError("--backend webgpu: training reads losses synchronously, which WebGPU cannot do; use auto, webasm, cpu or headlessgl", command);
  }
  if (!(BACKEND_MODES as readonly string[]).includes(mode)) {
    throw new UsageError(`--backend must be one of ${BACKEND_MODES.join(', ')}, got '${mode}'`, command);
  }
  return mode as BackendMode;
}

/** Creates the engine for `mode` (seeded) and makes it the current one. */
export function makeEngine(mode: BackendMode, seed: number): MadeEngine {
  let backend: Backend;
  let description: string;
  let meta: Record<string, unknown>;
  if (mode === 'reference') {
    backend = new ReferenceBackend();
    description = "reference (float64 plain loops, the test oracle: exact but slow; forced by --backend reference)";
    meta = { selection: { mode: 'reference', forced: true, skipped: [], notes: ['float64 plain loops'] } };
  } else {
    let gpu: GpuJsBackend;
    try {
      gpu = createGpuJsBackend({ mode });
    } catch (error) {
      if (error instanceof ModeUnavailableError) throw new BackendUnavailableError(error.message);
      throw new BackendUnavailableError((error as Error).message);
    }
    backend = gpu;
    description = describeSelection(gpu.selection);
    meta = { selection: gpu.selection };
  }
  return { engine: setBackend(backend, { seed }), description, meta };
}
