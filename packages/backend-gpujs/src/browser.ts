// @skipinit/backend-gpujs/browser: the engine for a web page or a Web Worker. The same engine as the
// Node entry (index.ts) on a page's platform: gpu.js from the page's bundle, no native packages (WebGPU
// comes from the browser's own navigator.gpu), the cores the browser reports, and webasm threads on Web
// Workers (page-worker-pool.ts) where the page is cross-origin isolated and the engine runs in a worker.
//
// Bundling: alias 'gpu.js' to 'gpu.js/src/browser.js' (the patched source; the package's `browser` field
// names an unpatched prebuilt bundle), leave 'gl' and 'webgpu' out, and do not minify the engine: gpu.js
// parses its kernels' function source.

import * as gpuJsNamespace from 'gpu.js';
import * as create from './create';
import type { GpuJsModule } from './gpujs-adapter';
import type { GpuJsBackend } from './gpujs-backend';
import * as modes from './modes';
import { PageWorkerPool } from './page-worker-pool';
import type { Platform } from './platform';

/** gpu.js as the bundle gives it: src/browser.js exports the GPU class, which carries the other exports. */
function gpuJsModule(): GpuJsModule {
  const ns = gpuJsNamespace as unknown as { default?: Partial<GpuJsModule> & GpuJsModule['GPU'] } & Partial<GpuJsModule>;
  const lib = (ns.GPU !== undefined ? ns : ns.default) as Partial<GpuJsModule> | undefined;
  if (lib?.GPU === undefined || lib.WebAssemblyKernel === undefined) throw new Error("gpu.js is not in this bundle as expected (alias 'gpu.js' to 'gpu.js/src/browser.js')");
  return { GPU: lib.GPU, WebAssemblyKernel: lib.WebAssemblyKernel };
}

let loaded: GpuJsModule | null = null;

export const pagePlatform: Platform = {
  gpuJs() {
    loaded ??= gpuJsModule();
    return loaded;
  },
  tryRequire: (name) => ({ reason: `the '${name}' package is a Node addon (a page has none)` }),
  cores: () => Math.max(1, (globalThis as { navigator?: { hardwareConcurrency?: number } }).navigator?.hardwareConcurrency ?? 1),
  threadPool(helpers) {
    if ((globalThis as { crossOriginIsolated?: boolean }).crossOriginIsolated !== true) return 'the page is not cross-origin isolated (shared memory needs the COOP/COEP headers)';
    if (typeof (globalThis as { WorkerGlobalScope?: unknown }).WorkerGlobalScope === 'undefined') return "threads need the engine in a Web Worker (a page's main thread may not block)";
    return new PageWorkerPool(helpers);
  },
};

/** Threads `threads: 'auto'` means here: one per core the browser reports, at most MAX_AUTO_THREADS. */
export const autoThreads = (): number => create.autoThreads(pagePlatform);
/** The gpu.js engine in a page: mode 'auto' picks the best mode that runs here (webgpu needs createGpuJsBackendAsync). */
export const createGpuJsBackend = (options: create.GpuJsBackendOptions = {}): GpuJsBackend => create.createGpuJsBackend(pagePlatform, options);
/** Like createGpuJsBackend, but also considers WebGPU through the browser's navigator.gpu (reads through readAsync only). */
export const createGpuJsBackendAsync = (options: create.GpuJsBackendOptions = {}): Promise<GpuJsBackend> =>
  create.createGpuJsBackendAsync(pagePlatform, options);
/** Whether a mode can run here (synchronously; webgpu needs probeWebGpu), and why not. */
export const probeMode = (mode: modes.GpuJsMode): modes.ProbeResult => modes.probeMode(pagePlatform, mode);
export const probeWebGpu = (): Promise<modes.ProbeResult> => modes.probeWebGpu(pagePlatform);

export { MAX_AUTO_THREADS, type GpuJsBackendOptions } from './create';
export { GpuJsBackend, type KernelStyle } from './gpujs-backend';
export { MODES_BEST_FIRST, ModeUnavailableError, describeSelection, type GpuJsMode, type ModeSelection, type ProbeResult, type SkippedMode } from './modes';
