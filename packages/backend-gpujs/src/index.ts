// @skipinit/backend-gpujs: the execution engine — every tensor primitive as gpu.js kernels, in
// gpu.js's webasm, cpu, headlessgl and webgpu modes.
export { MAX_AUTO_THREADS, autoThreads, createGpuJsBackend, createGpuJsBackendAsync, type GpuJsBackendOptions } from './create';
export { GpuJsBackend, type KernelStyle } from './gpujs-backend';
export type { KernelCacheStats } from './kernel-cache';
export { MAX_HOST_ELEMENTS, MAX_INDEXABLE } from './kernel-source';
export {
  MODES_BEST_FIRST,
  ModeUnavailableError,
  describeSelection,
  probeMode,
  probeWebGpu,
  type GpuJsMode,
  type ModeSelection,
  type SkippedMode,
} from './modes';
export { createThreadedMatmul, type ThreadedMatmul } from './threaded-matmul';
