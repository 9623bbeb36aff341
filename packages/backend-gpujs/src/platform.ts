// What the engine needs from the runtime it runs in, passed in by the entry point (node.ts for Node; a
// browser entry would give a page's): nothing below the entry imports a runtime's own modules, so the
// engine bundles for a page as it is.

import type { GpuJsModule } from './gpujs-adapter';
import type { ThreadPool } from './host-executor';

export interface Platform {
  /** gpu.js itself (loaded once, on first use). */
  gpuJs(): GpuJsModule;
  /** An optional native package ('gl', 'webgpu') the way gpu.js would load it, or why it is unavailable. */
  tryRequire(name: string): { module: unknown } | { reason: string };
  /** Cores for `threads: 'auto'`. */
  cores(): number;
  /** A synchronous pool of `helpers` threads beside the calling one, or a reason there is none here. */
  threadPool(helpers: number): ThreadPool | string;
}
