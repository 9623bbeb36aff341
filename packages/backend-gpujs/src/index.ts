// @skipinit/backend-gpujs: the execution engine — every tensor primitive as gpu.js kernels, in
// gpu.js's webasm, cpu, headlessgl and webgpu modes. This entry runs it on Node (node.ts's platform).

import * as create from './create';
import type { GpuJsBackend } from './gpujs-backend';
import * as modes from './modes';
import { nodePlatform } from './node';

/** The gpu.js engine: mode 'auto' (default) picks the best mode that runs here; see GpuJsBackendOptions. */
export const createGpuJsBackend = (options: create.GpuJsBackendOptions = {}): GpuJsBackend => create.createGpuJsBackend(nodePlatform, options);
/** Like createGpuJsBackend, but also considers WebGPU (finding an adapter is asynchronous); webgpu reads only through readAsync. */
export const createGpuJsBackendAsync = (options: create.GpuJsBackendOptions = {}): Promise<GpuJsBackend> => create.createGpuJsBackendAsync(nodePlatform, options);
/** Threads `threads: 'auto'` means here: one per core, at most MAX_AUTO_THREADS. */
export const autoThreads = (): number => create.autoThreads(nodePlatform);
/** Whether a mode can run here (synchronously; webgpu needs probeWebGpu), and why not. */
export const probeMode = (mode: modes.GpuJsMode): modes.ProbeResult => modes.probeMode(nodePlatform, mode);
export const probeWebGpu = (): Promise<modes.WebGpuProbe> => modes.probeWebGpu(nodePlatform);

export { MAX_AUTO_THREADS, type GpuJsBackendOptions } from './create';
export { GpuJsBackend, type KernelStyle } from './gpujs-backend';
export type { KernelCacheStats } from './kernel-cache';
export { MAX_HOST_ELEMENTS, MAX_INDEXABLE } from './kernel-source';
export { MODES_BEST_FIRST, ModeUnavailableError, describeSelection, type GpuJsMode, type ModeSelection, type ProbeResult, type SkippedMode, type WebGpuProbe } from './modes';
export { SOFTWARE_LABEL, type AdapterChoice } from './webgpu/adapter-choice';
export type { ConvAlgorithm } from './plan';
