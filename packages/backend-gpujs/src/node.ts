// The Node entry's platform: gpu.js through require, optional native packages, the cores, and the
// synchronous worker pool (worker_threads). The only module of the engine that imports Node's own.

import { createRequire } from 'node:module';
import { availableParallelism } from 'node:os';
import type { GpuJsModule } from './gpujs-adapter';
import type { Platform, WebGpuAccess } from './platform';
import type { AdapterChoice } from './webgpu/adapter-choice';
import { findDawnAdapter, loadDawn } from './webgpu/dawn';
import { probeDawnQuietly } from './webgpu/dawn-probe';
import { navigatorScope } from './webgpu/navigator-scope';
import { SyncWorkerPool } from './worker-pool';

const nodeRequire = createRequire(import.meta.url);
let loaded: GpuJsModule | null = null;
/** Dawn's adapter search, once per process (each search asks every route, and Dawn logs its refusals). */
let webGpuSearch: Promise<WebGpuAccess | { reason: string }> | null = null;
let webGpuLook: Promise<AdapterChoice | { reason: string }> | null = null;

async function searchDawn(): Promise<WebGpuAccess | { reason: string }> {
  const dawn = await loadDawn();
  if ('reason' in dawn) return dawn;
  const search = await findDawnAdapter(dawn.module);
  if (search.choice === null) return { reason: `Dawn found no WebGPU adapter (${search.tried.join('; ')})` };
  return { choice: search.choice, tried: search.tried, scope: navigatorScope(search.navigatorGpu) };
}

export const nodePlatform: Platform = {
  gpuJs() {
    // a CommonJS package, loaded on first use (importing the engine stays cheap)
    loaded ??= nodeRequire('gpu.js') as GpuJsModule;
    return loaded;
  },
  tryRequire(name) {
    try {
      return { module: nodeRequire(name) };
    } catch (error) {
      const err = error as NodeJS.ErrnoException;
      if (err.code === 'MODULE_NOT_FOUND' && String(err.message).includes(`'${name}'`)) return { reason: `the '${name}' package is not installed` };
      return { reason: `the '${name}' package does not load: ${String(err.message ?? err).split('\n')[0]!}` };
    }
  },
  cores: () => availableParallelism(),
  threadPool: (helpers) => new SyncWorkerPool(helpers),
  webGpu: () => (webGpuSearch ??= searchDawn()),
  webGpuQuiet: () => (webGpuLook ??= probeDawnQuietly()),
};
