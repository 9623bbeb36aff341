// The gpu.js engine inside a worker (@skipinit/backend-gpujs/browser). 'auto': webgpu where the browser
// gives a hardware adapter, else webasm, else cpu. A software adapter (SwiftShader, llvmpipe) computes
// correctly but slowly, so 'auto' passes it over for webasm and says so (issue 12's rule for the CLI);
// 'webgpu' forces it. webasm runs on a thread per core (at most 8) when the page is cross-origin isolated,
// else on one. The page shows the mode that runs and why the better ones were passed over.
import { createGpuJsBackend, createGpuJsBackendAsync } from '@skipinit/backend-gpujs/browser';
import type { GpuJsBackend } from '@skipinit/backend-gpujs/browser';
import { setBackend } from '@skipinit/tensor';
import type { Engine } from '@skipinit/tensor';
import type { EngineInfo, PageMode } from '../protocol';

export interface MadeEngine {
  readonly engine: Engine;
  readonly backend: GpuJsBackend;
  readonly info: EngineInfo;
}

interface AdapterLike {
  readonly isFallbackAdapter?: boolean;
  readonly info?: { readonly vendor?: string; readonly architecture?: string; readonly device?: string; readonly description?: string };
}

/** The browser's WebGPU adapter, in words, and whether it is a software renderer; null without one. */
export async function webGpuAdapter(): Promise<{ readonly name: string; readonly software: boolean } | null> {
  const gpu = (globalThis.navigator as { gpu?: { requestAdapter(): Promise<AdapterLike | null> } } | undefined)?.gpu;
  if (gpu === undefined) return null;
  const adapter = await gpu.requestAdapter().catch(() => null);
  if (adapter === null) return null;
  const i = adapter.info ?? {};
  const name = [i.vendor, i.architecture, i.device, i.description].filter((s) => s !== undefined && s !== '').join(' ') || 'unnamed adapter';
  return { name, software: adapter.isFallbackAdapter === true || /swiftshader|llvmpipe|lavapipe|software/i.test(name) };
}

export async function makeEngine(mode: PageMode, seed = 0): Promise<MadeEngine> {
  const t0 = performance.now();
  const adapter = await webGpuAdapter();
  const passOver = mode === 'auto' && adapter?.software === true;
  // webasm splits its heavy kernels across threads where the page is cross-origin isolated
  const threads = globalThis.crossOriginIsolated === true && (mode === 'auto' || mode === 'webasm') ? 'auto' : 1;
  const backend = passOver ? createGpuJsBackend({ mode: 'auto', threads }) : mode === 'auto' || mode === 'webgpu' ? await createGpuJsBackendAsync({ mode, threads }) : createGpuJsBackend({ mode, threads });
  const skipped = backend.selection.skipped.filter((s) => !(passOver && s.mode === 'webgpu')).map((s) => ({ mode: s.mode as string, reason: s.reason }));
  if (passOver) skipped.unshift({ mode: 'webgpu', reason: `the adapter is a software renderer (${adapter!.name}): correct, not fast; choose webgpu to use it` });
  const info: EngineInfo = {
    mode: backend.mode,
    // the engine's own line, less its list of skipped modes (the page lists them from `skipped`)
    description: backend.describe().replace(/; skipped .*?(; (blocked|scalar) matmul)/, '$1'),
    adapter: backend.mode === 'webgpu' ? `${adapter?.name ?? 'unknown adapter'}${adapter?.software ? ' (software renderer: correct, not fast)' : ''}` : null,
    skipped: skipped.filter((s) => s.mode !== 'headlessgl'),
    crossOriginIsolated: globalThis.crossOriginIsolated === true,
    threads: backend.threads,
    millis: performance.now() - t0,
  };
  return { engine: setBackend(backend, { seed }), backend, info };
}
