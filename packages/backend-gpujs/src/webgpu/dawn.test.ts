// Dawn on this machine, for real: the `webgpu` package loads, each route is asked, an adapter is chosen
// and described, and gpu.js's webgpu mode computes through the navigator.gpu that answers with it.
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { SOFTWARE_LABEL } from './adapter-choice';
import { dawnRoutes, findDawnAdapter, installNavigatorGpu, loadDawn } from './dawn';
import type { DawnAdapterSearch, WebGpuModule } from './dawn';
import { probeDawnQuietly } from './dawn-probe';

describe('Dawn (the webgpu package)', () => {
  it('routes: the native GPU API first; on Linux then OpenGL ES headless in compatibility mode', () => {
    expect(dawnRoutes('linux').map((r) => `${r.backend}/${r.featureLevel}`)).toEqual(['Vulkan/core', 'OpenGL ES/compatibility']);
    expect(dawnRoutes('linux')[1].env).toEqual({ EGL_PLATFORM: 'surfaceless' });
    expect(dawnRoutes('darwin').map((r) => r.backend)).toEqual(['Metal']);
    expect(dawnRoutes('win32')[0].backend).toBe('D3D12');
  });

  let dawn: WebGpuModule;
  let search: DawnAdapterSearch;
  it('loads here, asks every route, and describes what it chose (hardware first, software labelled)', async () => {
    const loaded = await loadDawn();
    if ('reason' in loaded) throw new Error(loaded.reason);
    dawn = loaded.module;
    const egl = process.env.EGL_PLATFORM;
    search = await findDawnAdapter(dawn);
    expect(process.env.EGL_PLATFORM).toBe(egl); // the environment is put back
    expect(search.tried.length).toBeGreaterThan(0);
    console.log(`Dawn: ${search.tried.join('; ')}\n  -> ${search.choice?.description ?? 'no adapter'}`);
    if (search.choice === null) return;
    expect(search.choice.description.includes(SOFTWARE_LABEL)).toBe(search.choice.kind === 'software');
    expect(search.choice.autoMayUse).toBe(search.choice.kind === 'hardware');
  }, 60_000);

  it("auto's quiet look (Dawn asked in a child process) chooses what the in-process search chose", async () => {
    const look = await probeDawnQuietly();
    if (search.choice === null) return void expect(look).toHaveProperty('reason');
    const { chosen, ...rest } = search.choice;
    expect(look).toMatchObject({ ...rest, chosen: { backend: chosen.backend, featureLevel: chosen.featureLevel, info: { device: chosen.info.device, description: chosen.info.description } } });
  }, 60_000);

  it("gpu.js's webgpu mode computes a matmul through the navigator.gpu that answers with that adapter", async () => {
    if (search?.choice === null || search === undefined) return; // no adapter here: nothing to run on
    installNavigatorGpu(dawn, search.navigatorGpu!);
    const { GPU } = createRequire(import.meta.url)('gpu.js') as { GPU: any };
    expect(await GPU.isWebGPUAvailable()).toBe(true);
    const gpu = new GPU({ mode: 'webgpu' });
    try {
      const n = 64;
      const kernel = gpu.createKernel(
        function (this: any, a: number[][], b: number[][]) {
          let s = 0;
          for (let i = 0; i < this.constants.n; i++) s += a[this.thread.y][i] * b[i][this.thread.x];
          return s;
        },
        { output: [n, n], constants: { n } },
      );
      const a = Array.from({ length: n }, (_, i) => Array.from({ length: n }, (_, j) => Math.sin(i * 7 + j)));
      const b = Array.from({ length: n }, (_, i) => Array.from({ length: n }, (_, j) => Math.cos(i + j * 3)));
      const out = (await kernel(a, b)) as Float32Array[];
      let err = 0;
      for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) err = Math.max(err, Math.abs(out[i][j] - a[i].reduce((s, v, k) => s + v * b[k][j], 0)));
      expect(err).toBeLessThan(1e-4);
    } finally {
      gpu.destroy();
    }
  }, 60_000);
});
