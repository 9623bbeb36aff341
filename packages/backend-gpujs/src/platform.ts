// What the engine needs from the runtime it runs in, passed in by the entry point (node.ts for Node; a
// browser entry would give a page's): nothing below the entry imports a runtime's own modules, so the
// engine bundles for a page as it is.

import type { GpuJsModule } from './gpujs-adapter';
import type { ThreadPool } from './host-executor';
import type { AdapterChoice } from './webgpu/adapter-choice';
import type { NavigatorScope } from './webgpu/navigator-scope';

/** A WebGPU adapter found and chosen (hardware first), and the scope in which gpu.js sees it. */
export interface WebGpuAccess {
  readonly choice: AdapterChoice;
  /** One line per request made ('Vulkan (core): no adapter', ...). */
  readonly tried: readonly string[];
  readonly scope: NavigatorScope;
}

export interface Platform {
  /** gpu.js itself (loaded once, on first use). */
  gpuJs(): GpuJsModule;
  /** An optional native package ('gl', 'webgpu') the way gpu.js would load it, or why it is unavailable. */
  tryRequire(name: string): { module: unknown } | { reason: string };
  /** Cores for `threads: 'auto'`. */
  cores(): number;
  /** A synchronous pool of `helpers` threads beside the calling one, or a reason there is none here. */
  threadPool(helpers: number): ThreadPool | string;
  /** WebGPU (Node: Dawn through the `webgpu` package), or why there is none; absent: the runtime's own navigator.gpu. */
  webGpu?(): Promise<WebGpuAccess | { reason: string }>;
  /** The adapter webGpu() would choose, found without a word on this process's stderr (Node: Dawn in a child process); `auto` looks here first. */
  webGpuQuiet?(): Promise<AdapterChoice | { reason: string }>;
}
