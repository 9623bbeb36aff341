// WebGPU in Node through Dawn (the `webgpu` package): load it, ask each of the platform's Dawn backends for
// an adapter, choose one (adapter-choice.ts: hardware first), and hand gpu.js a `navigator.gpu` that
// answers with it. gpu.js calls requestAdapter() with no options, so the shim supplies the settings that
// found the adapter (a feature level, a backend).
//
// Settings measured on Debian 12 without a GPU (Mesa 22.3): Vulkan finds nothing (lavapipe is refused:
// "Vulkan shaderUniform*ArrayDynamicIndexing required"); OpenGL ES with EGL_PLATFORM=surfaceless and the
// compatibility feature level gives llvmpipe. A plain requestAdapter() returns null. Dawn prints its
// refusals to stderr itself. Loaded with a dynamic import, never at import time (and not for a page).
import type { AdapterCandidate, AdapterChoice, AdapterInfo, FeatureLevel } from './adapter-choice';
import { adapterKind, chooseAdapter } from './adapter-choice';

/** The parts of Dawn's GPU objects used here. */
export interface DawnAdapter {
  readonly info: AdapterInfo;
}
export interface DawnGpu {
  requestAdapter(options?: Record<string, unknown>): Promise<DawnAdapter | null>;
  getPreferredCanvasFormat?(): string;
  readonly wgslLanguageFeatures?: unknown;
}
export interface WebGpuModule {
  create(flags: string[]): DawnGpu;
  readonly globals: Record<string, unknown>;
}

/** One way of asking Dawn for an adapter. */
export interface DawnRoute {
  /** The backend, as people name it. */
  readonly backend: string;
  /** Flags for `create()` (e.g. 'backend=opengles'). */
  readonly flags: readonly string[];
  readonly featureLevel: FeatureLevel;
  /** Environment the backend needs while it starts (set only where unset, restored after). */
  readonly env?: Readonly<Record<string, string>>;
}

/** The routes to try, best first: the platform's native GPU API, then (Linux) OpenGL ES headless. */
export function dawnRoutes(platform: string = process.platform): DawnRoute[] {
  if (platform === 'darwin') return [{ backend: 'Metal', flags: [], featureLevel: 'core' }];
  if (platform === 'win32') return [{ backend: 'D3D12', flags: [], featureLevel: 'core' }, { backend: 'D3D12', flags: [], featureLevel: 'compatibility' }];
  return [
    { backend: 'Vulkan', flags: ['backend=vulkan'], featureLevel: 'core' },
    { backend: 'OpenGL ES', flags: ['backend=opengles'], featureLevel: 'compatibility', env: { EGL_PLATFORM: 'surfaceless' } },
  ];
}

/** What was found: the choice (null: nothing answered), and each route's outcome. */
export interface DawnAdapterSearch {
  readonly choice: AdapterChoice | null;
  /** One line per route tried: 'Vulkan (core): no adapter', 'OpenGL ES (compatibility): llvmpipe...'. */
  readonly tried: readonly string[];
  /** A navigator.gpu for gpu.js that answers with the chosen adapter's settings (null with no choice). */
  readonly navigatorGpu: DawnGpu | null;
}

/** Loads the `webgpu` package; the reason when it does not load. */
export async function loadDawn(): Promise<{ module: WebGpuModule } | { reason: string }> {
  const name = 'webgpu'; // a variable, so that a page's bundler does not follow it
  try {
    return { module: (await import(name)) as WebGpuModule };
  } catch (error) {
    const first = String((error as Error).message ?? error).split('\n')[0]!;
    return { reason: `the 'webgpu' package does not load: ${first}` };
  }
}

async function withEnv<T>(env: Readonly<Record<string, string>> | undefined, fn: () => Promise<T>): Promise<T> {
  const set = Object.entries(env ?? {}).filter(([k]) => process.env[k] === undefined);
  for (const [k, v] of set) process.env[k] = v;
  try {
    return await fn();
  } finally {
    for (const [k] of set) delete process.env[k];
  }
}

/** Asks each route for an adapter (stopping at the first hardware one on the core level) and chooses. */
export async function findDawnAdapter(dawn: WebGpuModule, routes: readonly DawnRoute[] = dawnRoutes()): Promise<DawnAdapterSearch> {
  const candidates: (AdapterCandidate & { gpu: DawnGpu; request: Record<string, unknown>; env: DawnRoute['env'] })[] = [];
  const tried: string[] = [];
  const notFound: string[] = [];
  for (const route of routes) {
    const request = { featureLevel: route.featureLevel, powerPreference: 'high-performance' };
    const label = `${route.backend} (${route.featureLevel})`;
    try {
      const found = await withEnv(route.env, async () => {
        const gpu = dawn.create([...route.flags]);
        return { gpu, adapter: await gpu.requestAdapter(request) };
      });
      if (found.adapter === null) {
        tried.push(`${label}: no adapter`);
        notFound.push(`${route.backend}: no adapter`);
        continue;
      }
      const candidate = { backend: route.backend, featureLevel: route.featureLevel, info: found.adapter.info, gpu: found.gpu, request, env: route.env };
      candidates.push(candidate);
      tried.push(`${label}: ${found.adapter.info.device || found.adapter.info.description}`);
      if (adapterKind(candidate.info).kind === 'hardware' && route.featureLevel === 'core') break;
    } catch (error) {
      tried.push(`${label}: ${(error as Error).message.split('\n')[0]}`);
      notFound.push(`${route.backend}: failed`);
    }
  }
  const choice = chooseAdapter(candidates, notFound);
  const chosen = choice === null ? null : candidates.find((c) => c === choice.chosen)!;
  return { choice, tried, navigatorGpu: chosen === null ? null : navigatorGpuFor(chosen.gpu, chosen.request, chosen.env) };
}

/** A navigator.gpu whose requestAdapter() asks with `request` and `env` (what gpu.js's own call lacks). */
export function navigatorGpuFor(gpu: DawnGpu, request: Record<string, unknown>, env?: DawnRoute['env']): DawnGpu {
  return {
    requestAdapter: (options) => withEnv(env, () => gpu.requestAdapter({ ...request, ...(options ?? {}) })),
    getPreferredCanvasFormat: () => gpu.getPreferredCanvasFormat?.() ?? 'rgba8unorm',
    get wgslLanguageFeatures() {
      return gpu.wgslLanguageFeatures;
    },
  };
}

/**
 * Makes `navigatorGpu` the global navigator.gpu, with Dawn's globals (GPUBufferUsage, ...), as gpu.js's
 * webgpu mode expects. A side effect on the process: call it at the edge, once a backend is chosen.
 */
export function installNavigatorGpu(dawn: WebGpuModule, navigatorGpu: DawnGpu): void {
  Object.assign(globalThis, dawn.globals);
  const g = globalThis as { navigator?: { gpu?: unknown } };
  if (g.navigator !== undefined) Object.defineProperty(g.navigator, 'gpu', { value: navigatorGpu, configurable: true, writable: true });
  else Object.defineProperty(globalThis, 'navigator', { value: { gpu: navigatorGpu }, configurable: true, writable: true });
}
