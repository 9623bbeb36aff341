// The slice of gpu.js this package uses, typed narrowly, and the one place that loads it.
//
// gpu.js ships broad typings for every feature; the engine needs a handful of calls, so it states
// them here and keeps the rest of the package independent of gpu.js's declaration file.

import { createRequire } from 'node:module';

/** gpu.js mode names as `new GPU({ mode })` takes them. */
export type GpuJsInternalMode = 'webasm' | 'cpu' | 'headlessgl' | 'webgpu';

export interface GpuJsKernelSettings {
  output: number[];
  loopMaxIterations?: number;
  precision?: 'single' | 'unsigned';
  pipeline?: boolean;
  immutable?: boolean;
  tactic?: 'speed' | 'balanced' | 'precision';
  dynamicArguments?: boolean;
  dynamicOutput?: boolean;
  asyncMode?: boolean;
  strictIntegers?: boolean;
}

/** The inner kernel instance gpu.js swaps when it degrades (to cpu) or switches argument types. */
export interface GpuJsInnerKernel {
  constructor: { mode: string };
  precision?: string;
  /** webasm only: which path the last synchronous run took ('simd', 'scalar', ...). */
  _lastRunPath?: string | null;
  /** webasm only: shapes the flat output into nested arrays; see kernel-runner.ts. */
  _shapeOutput?: (data: Float32Array, output: number[], components: number) => unknown;
}

/** What `gpu.createKernel` returns: a callable with the kernel attached. */
export interface GpuJsKernel {
  (...args: unknown[]): unknown;
  kernel: GpuJsInnerKernel;
  fallbackReason: string | null;
  destroy(removeCanvasReferences?: boolean): void;
}

/** A pipeline texture (GL) or buffer handle (WebGPU). */
export interface GpuJsResidentValue {
  toArray(): unknown;
  delete(): void;
}

export interface GpuJsInstance {
  readonly mode: string;
  createKernel(source: string, settings: GpuJsKernelSettings): GpuJsKernel;
  destroy(): void | Promise<void>;
}

export interface GpuJsStatic {
  new (settings: { mode: GpuJsInternalMode }): GpuJsInstance;
  readonly isHeadlessGLSupported: boolean;
  readonly isWebAssemblySupported: boolean;
  readonly isWebGPUSupported: boolean;
  readonly isSinglePrecisionSupported: boolean;
  isWebGPUAvailable(): Promise<boolean>;
}

export interface WebAssemblyKernelStatic {
  readonly isSIMDSupported: boolean;
  readonly isThreadsSupported: boolean;
}

export interface GpuJsModule {
  GPU: GpuJsStatic;
  WebAssemblyKernel: WebAssemblyKernelStatic;
}

const nodeRequire = createRequire(import.meta.url);

let loaded: GpuJsModule | null = null;

/** gpu.js itself (a CommonJS package); loaded once, on first use. */
export function gpuJs(): GpuJsModule {
  if (loaded === null) loaded = nodeRequire('gpu.js') as GpuJsModule;
  return loaded;
}

/**
 * Tries to load an optional native package ('gl', 'webgpu') the way gpu.js would. Returns the
 * module, or the reason it is unavailable in words a user can act on.
 */
export function tryRequire(name: string): { module: unknown } | { reason: string } {
  try {
    return { module: nodeRequire(name) };
  } catch (error) {
    const err = error as NodeJS.ErrnoException;
    if (err.code === 'MODULE_NOT_FOUND' && String(err.message).includes(`'${name}'`)) {
      return { reason: `the '${name}' package is not installed` };
    }
    const first = String(err.message ?? err).split('\n')[0]!;
    return { reason: `the '${name}' package does not load: ${first}` };
  }
}
