// Our engine as a benchmark system: one adapter per gpu.js mode, running the Backend primitives.

import { createGpuJsBackend, createThreadedMatmul, probeMode, type GpuJsBackend, type GpuJsMode } from '@skipinit/backend-gpujs';
import type { ConvSpec, Prepared, SystemAdapter } from '../types';
import { randomValues } from './random';

function prepared(be: GpuJsBackend, inputs: ReturnType<GpuJsBackend['upload']>[], step: () => ReturnType<GpuJsBackend['upload']>[]): Prepared {
  let outputs: ReturnType<GpuJsBackend['upload']>[] = [];
  return {
    run() {
      outputs.forEach((o) => be.dispose(o));
      outputs = step();
    },
    async sample() {
      if (outputs.length === 0) outputs = step();
      return (await be.readAsync(outputs[0]!)).slice(0, 16);
    },
    dispose() {
      [...outputs, ...inputs].forEach((o) => be.dispose(o));
      outputs = [];
    },
  };
}

export class GpuJsSystem implements SystemAdapter {
  readonly id: string;
  readonly label: string;
  readonly details: Record<string, string>;

  constructor(readonly backend: GpuJsBackend) {
    this.id = backend.threads > 1 ? `gpujs:${backend.mode}-${backend.threads}t` : `gpujs:${backend.mode}`;
    const hostMode = backend.mode === 'webasm' || backend.mode === 'cpu';
    const threads = hostMode ? `, ${backend.threads} thread${backend.threads > 1 ? 's' : ''}` : '';
    this.label = `skipinit gpu.js ${backend.mode}${threads}`;
    this.details = { mode: backend.mode, selection: backend.describe() };
  }

  matmul(m: number, k: number, n: number, seed: number): Prepared {
    const be = this.backend;
    const a = be.upload(randomValues(m * k, seed));
    const b = be.upload(randomValues(k * n, seed + 1));
    const p = { batch: 1, batchA: 1, batchB: 1, m, k, n, transA: false, transB: false };
    return prepared(be, [a, b], () => [be.matmul(a, b, p)]);
  }

  conv2d(s: ConvSpec, backward: boolean, seed: number): Prepared {
    const be = this.backend;
    const oh = Math.floor((s.height + 2 * s.padding - s.kernel) / s.stride) + 1;
    const ow = Math.floor((s.width + 2 * s.padding - s.kernel) / s.stride) + 1;
    const p = {
      xShape: [s.batch, s.inChannels, s.height, s.width],
      wShape: [s.outChannels, s.inChannels, s.kernel, s.kernel],
      strideH: s.stride,
      strideW: s.stride,
      padTop: s.padding,
      padBottom: s.padding,
      padLeft: s.padding,
      padRight: s.padding,
      outShape: [s.batch, s.outChannels, oh, ow],
    };
    const x = be.upload(randomValues(s.batch * s.inChannels * s.height * s.width, seed));
    const w = be.upload(randomValues(s.outChannels * s.inChannels * s.kernel * s.kernel, seed + 1, Math.sqrt(2 / (s.inChannels * s.kernel * s.kernel))));
    const dy = be.upload(randomValues(s.batch * s.outChannels * oh * ow, seed + 2));
    return prepared(be, [x, w, dy], () => {
      const y = be.conv2d(x, w, p);
      if (!backward) return [y];
      return [y, be.conv2dBackpropInput(dy, w, p), be.conv2dBackpropFilter(x, dy, p)];
    });
  }

  dispose(): void {
    this.backend.destroy();
  }
}

/** Every gpu.js mode that runs here, as systems; the reasons the others do not. */
export function gpuJsSystems(only?: readonly string[], threads = 1): { systems: GpuJsSystem[]; skipped: string[] } {
  const systems: GpuJsSystem[] = [];
  const skipped: string[] = [];
  for (const mode of ['headlessgl', 'webasm', 'cpu'] as GpuJsMode[]) {
    if (only && !only.includes(mode)) continue;
    const probe = probeMode(mode);
    if (!probe.ok) {
      skipped.push(`${mode}: ${probe.reason}`);
      continue;
    }
    systems.push(new GpuJsSystem(createGpuJsBackend({ mode })));
    if (mode === 'webasm' && threads > 1) systems.push(new GpuJsSystem(createGpuJsBackend({ mode, threads })));
  }
  if (!only || only.includes('webgpu')) {
    const probe = probeMode('webgpu');
    if (!probe.ok) skipped.push(`webgpu: ${probe.reason}`);
  }
  return { systems, skipped };
}

/**
 * An investigation, not the engine: the same blocked matmul kernel under gpu.js's async contract,
 * which splits it across gpu.js's webasm worker pool. Matmul only.
 */
export class GpuJsThreadsSystem implements SystemAdapter {
  readonly id = 'gpujs:webasm-threads';
  readonly label = 'gpu.js webasm async worker pool (investigation)';
  readonly details: Record<string, string> = { mode: 'webasm', note: 'gpu.js asyncMode kernel; not the synchronous engine path' };

  matmul(m: number, k: number, n: number, seed: number): Prepared {
    const t = createThreadedMatmul(m, k, n);
    const a = randomValues(m * k, seed);
    const b = randomValues(k * n, seed + 1);
    let last: Float32Array | null = null;
    return {
      run: async () => {
        last = await t.run(a, b);
        if (t.lastRunPath !== 'threaded') throw new Error(`expected gpu.js to run threaded, it ran '${t.lastRunPath}'`);
      },
      sample: async () => (last ?? (await t.run(a, b))).slice(0, 16),
      dispose: () => t.destroy(),
    };
  }

  dispose(): void {}
}
