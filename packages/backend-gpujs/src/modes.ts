// Which gpu.js modes can run here, and why the others cannot. gpu.js picks a backend by itself and
// degrades silently (to 'cpu') when it cannot run what it was given; this engine probes each mode, keeps
// the reason every better mode was skipped, and refuses to run in a mode other than the one it reports.

import type { Platform } from './platform';

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
      // only whether the package loads: installing navigator.gpu is left to the asynchronous probe
      const g = globalThis as { navigator?: { gpu?: unknown } };
      const loaded = g.navigator?.gpu ? { module: g.navigator.gpu } : platform.tryRequire('webgpu');
      return { ok: false, reason: 'reason' in loaded ? loaded.reason : 'finding a WebGPU adapter is asynchronous: use createGpuJsBackendAsync() for webgpu' };
    }
  }
}

/** Asynchronous probe of WebGPU: the package loads, `navigator.gpu` exists, and an adapter answers. */
export async function probeWebGpu(platform: Platform): Promise<ProbeResult> {
  const loaded = loadWebGpuPackage(platform);
  if ('reason' in loaded) return { ok: false, reason: loaded.reason };
  const { GPU } = platform.gpuJs();
  let available = false;
  try {
    available = await GPU.isWebGPUAvailable();
  } catch (error) {
    return { ok: false, reason: `requesting a WebGPU adapter failed: ${(error as Error).message}` };
  }
  if (!available) return { ok: false, reason: 'the webgpu package loaded but no adapter answered' };
  return { ok: true, notes: ['WGSL compute shaders via Dawn', 'reads are asynchronous only (readAsync)'] };
}

/**
 * gpu.js finds WebGPU through `navigator.gpu`. Node 20 has no `navigator`; the `webgpu` package
 * (Dawn) provides one. Installed only when a WebGPU probe is asked for, never at import time.
 */
function loadWebGpuPackage(platform: Platform): { ok: true } | { reason: string } {
  const g = globalThis as { navigator?: { gpu?: unknown } };
  if (g.navigator?.gpu) return { ok: true };
  const loaded = platform.tryRequire('webgpu');
  if ('reason' in loaded) return { reason: loaded.reason };
  const mod = loaded.module as { create(flags: string[]): unknown; globals: Record<string, unknown> };
  Object.assign(globalThis, mod.globals);
  const gpu = mod.create([]);
  if (g.navigator) Object.assign(g.navigator, { gpu });
  else Object.defineProperty(globalThis, 'navigator', { value: { gpu }, configurable: true, writable: true });
  return { ok: true };
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
