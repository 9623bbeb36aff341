// Which gpu.js modes can run here, and why the others cannot. gpu.js picks a backend by itself and
// degrades silently (to 'cpu') when it cannot run what it was given; this engine probes each mode, keeps
// the reason every better mode was skipped, and refuses to run in a mode other than the one it reports.

import type { Platform, WebGpuAccess } from './platform';
import { adapterName, chooseAdapter, type AdapterInfo } from './webgpu/adapter-choice';

/** The execution modes of this engine, best first. */
export type GpuJsMode = 'webgpu' | 'headlessgl' | 'webasm' | 'cpu';

export const MODES_BEST_FIRST: readonly GpuJsMode[] = ['webgpu', 'headlessgl', 'webasm', 'cpu'];

export type SkippedMode = { readonly mode: GpuJsMode; readonly reason: string };

/** What auto-selection chose and why; printable with `describeSelection`. */
export interface ModeSelection {
  readonly mode: GpuJsMode;
  /** True when the user named the mode; false when auto-selection picked it. */
  readonly forced: boolean;
  /** Better modes that were not chosen, best first, each with the reason. */
  readonly skipped: readonly SkippedMode[];
  /** Facts about the chosen mode (e.g. 'WebAssembly SIMD', 'synchronous, single-threaded'). */
  readonly notes: readonly string[];
}

export type ProbeResult = { readonly ok: true; readonly notes: string[] } | { readonly ok: false; readonly reason: string };

/** Synchronous probe of one mode. WebGPU needs an adapter request, which is asynchronous: see probeWebGpu. */
export function probeMode(platform: Platform, mode: GpuJsMode): ProbeResult {
  const { GPU, WebAssemblyKernel } = platform.gpuJs();
  switch (mode) {
    case 'cpu':
      return { ok: true, notes: ['plain JavaScript kernels', 'synchronous calls'] };
    case 'webasm': {
      if (!GPU.isWebAssemblySupported) return { ok: false, reason: 'WebAssembly is not available in this runtime' };
      const notes = [WebAssemblyKernel.isSIMDSupported ? 'WebAssembly SIMD (f32x4)' : 'WebAssembly without SIMD'];
      notes.push('synchronous calls');
      return { ok: true, notes };
    }
    case 'headlessgl': {
      const gl = platform.tryRequire('gl');
      if ('reason' in gl) return { ok: false, reason: `${gl.reason} (an optional dependency of gpu.js, built from source)` };
      if (!GPU.isHeadlessGLSupported) return { ok: false, reason: "the 'gl' addon loaded but gave no WebGL context (no display: run under Xvfb)" };
      if (!GPU.isSinglePrecisionSupported) return { ok: false, reason: 'the WebGL context cannot read float textures, and lossy 8-bit packing is refused' };
      return { ok: true, notes: ['WebGL 1 via headless-gl', "precision 'single'", 'data resident in textures'] };
    }
    case 'webgpu': {
      // finding an adapter is asynchronous (probeWebGpu); WebGPU's reads are too
      return { ok: false, reason: 'finding a WebGPU adapter is asynchronous: use createGpuJsBackendAsync() for webgpu' };
    }
  }
}

/** A WebGPU probe: as ProbeResult, and on success the adapter found and the scope gpu.js sees it in. */
export type WebGpuProbe = { readonly ok: true; readonly notes: string[]; readonly access: WebGpuAccess } | { readonly ok: false; readonly reason: string };

/**
 * Asynchronous probe of WebGPU: an adapter answers (Node: Dawn, hardware first, platform.webGpu; a
 * runtime without it: its own navigator.gpu), and gpu.js sees it. The notes name the adapter and why it
 * was chosen; a software one carries SOFTWARE_LABEL.
 */
export async function probeWebGpu(platform: Platform): Promise<WebGpuProbe> {
  let access: WebGpuAccess | { reason: string };
  try {
    access = platform.webGpu ? await platform.webGpu() : await runtimeWebGpu();
  } catch (error) {
    return { ok: false, reason: `requesting a WebGPU adapter failed: ${(error as Error).message.split('\n')[0]}` };
  }
  if ('reason' in access) return { ok: false, reason: access.reason };
  const { GPU } = platform.gpuJs();
  const available = await access.scope(() => GPU.isWebGPUAvailable()).catch(() => false);
  if (!available) return { ok: false, reason: `gpu.js did not see the adapter Dawn found (${access.choice.description})` };
  return { ok: true, notes: [access.choice.description, 'WGSL compute shaders', 'reads are asynchronous only (readAsync)'], access };
}

/** A runtime that has navigator.gpu itself (a page): its adapter, as it describes itself. */
async function runtimeWebGpu(): Promise<WebGpuAccess | { reason: string }> {
  const gpu = (globalThis as { navigator?: { gpu?: { requestAdapter(): Promise<{ info?: AdapterInfo } | null> } } }).navigator?.gpu;
  if (gpu === undefined) return { reason: 'this runtime has no navigator.gpu' };
  const adapter = await gpu.requestAdapter();
  if (adapter === null) return { reason: 'navigator.gpu gave no adapter' };
  const info = adapter.info ?? { vendor: '', architecture: '', device: '', description: '' };
  const choice = chooseAdapter([{ backend: "the runtime's WebGPU", featureLevel: 'core', info }])!;
  return { choice, tried: [`navigator.gpu: ${adapterName(info)}`], scope: (fn) => fn() };
}

/** One line: the chosen mode, its notes, and each skipped better mode with its reason. */
export function describeSelection(selection: ModeSelection): string {
  const head = `gpu.js mode '${selection.mode}'${selection.forced ? ' (forced)' : ''}: ${selection.notes.join(', ')}`;
  return selection.skipped.length === 0 ? head : `${head}; skipped ${selection.skipped.map((s) => `${s.mode}: ${s.reason}`).join('; ')}`;
}

/** The error for a forced mode that cannot run. */
export class ModeUnavailableError extends Error {
  constructor(
    readonly mode: GpuJsMode,
    readonly reason: string,
  ) {
    super(`gpu.js mode '${mode}' cannot run here: ${reason}`);
    this.name = 'ModeUnavailableError';
  }
}
