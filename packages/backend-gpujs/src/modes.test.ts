import { describe, expect, it } from 'vitest';
import { HostExecutor } from './host-executor';
import { createGpuJsBackend, createGpuJsBackendAsync, describeSelection, ModeUnavailableError, probeMode } from './index';
import { kernel } from './kernel';
import { nodePlatform } from './node';

describe('mode selection', () => {
  it('auto picks the best mode that runs and says why better ones were skipped', () => {
    const be = createGpuJsBackend();
    const order = ['webgpu', 'headlessgl', 'webasm', 'cpu'];
    expect(be.selection.forced).toBe(false);
    const skipped = be.selection.skipped.map((s) => s.mode);
    expect(skipped).toEqual(order.slice(0, order.indexOf(be.mode)));
    for (const s of be.selection.skipped) expect(s.reason.length).toBeGreaterThan(10);
    expect(be.describe()).toContain(`gpu.js mode '${be.mode}'`);
    for (const s of be.selection.skipped) expect(be.describe()).toContain(`${s.mode}: ${s.reason}`);
    be.destroy();
  });

  it('the async factory considers webgpu first', async () => {
    const be = await createGpuJsBackendAsync();
    if (be.mode !== 'webgpu') expect(be.selection.skipped[0]?.mode).toBe('webgpu');
    be.destroy();
  });

  it('a forced mode that cannot run is an error naming the mode and why', () => {
    for (const mode of ['headlessgl', 'webgpu'] as const) {
      const probe = probeMode(mode);
      if (probe.ok) continue;
      expect(() => createGpuJsBackend({ mode })).toThrow(ModeUnavailableError);
      expect(() => createGpuJsBackend({ mode })).toThrow(`gpu.js mode '${mode}' cannot run here: ${probe.reason}`);
    }
  });

  it('forced webasm and cpu run in exactly that mode', () => {
    for (const mode of ['webasm', 'cpu'] as const) {
      const be = createGpuJsBackend({ mode });
      expect(be.mode).toBe(mode);
      expect(be.selection).toMatchObject({ mode, forced: true, skipped: [] });
      be.destroy();
    }
  });

  it('rejects unknown options', () => {
    expect(() => createGpuJsBackend({ mode: 'gpu' as never })).toThrow(/unknown mode 'gpu'/);
    expect(() => createGpuJsBackend({ kernels: 'fast' as never })).toThrow(/kernels must be 'blocked' or 'scalar'/);
  });

  it('prints a one-line description', () => {
    const line = describeSelection({ mode: 'webasm', forced: false, notes: ['SIMD'], skipped: [{ mode: 'headlessgl', reason: 'no gl' }] });
    expect(line).toBe("gpu.js mode 'webasm': SIMD; skipped headlessgl: no gl");
  });

  it('a kernel that gpu.js ran in another mode is refused, not passed off as the mode asked for', () => {
    // gpu.js degrades kernels it cannot build to its cpu backend with only a console warning. Here the
    // executor runs 'webasm' on a gpu.js instance that builds cpu kernels: the per-run check of the
    // mode that actually ran must throw.
    const ex = new HostExecutor('webasm', new (nodePlatform.gpuJs().GPU)({ mode: 'cpu' }), { maxKernels: 4, maxBytes: 2 ** 20 }, { pool: null });
    const degraded = kernel('test.degraded', () => ({ op: 'test.degraded', output: [2], source: 'function(x) { return x[this.thread.x]; }' }));
    expect(() => ex.run(ex.compile(degraded, {}), [new Float32Array([1, 2])])).toThrow(
      "test.degraded: gpu.js ran this kernel in mode 'cpu' instead of 'webasm' (no reason given); refusing to degrade silently",
    );
    ex.destroy();
  });
});
