// Our engine as a benchmark system: one adapter per gpu.js mode. R1/R2 run the Backend primitives;
// R3-R5 run models built by @skipinit/layers on a tensor Engine over the same backend (gpujs-models.ts).

import { createGpuJsBackend, createGpuJsBackendAsync, probeMode, probeWebGpu, type GpuJsBackend, type GpuJsMode } from '@skipinit/backend-gpujs';
import { Engine } from '@skipinit/tensor';
import type { ConvSpec, Prepared, SignalCase, SystemAdapter, TrainCase } from '../types';
import { SAMPLE_VALUES, convOutSize } from '../workloads/tensor';
import { createThreadedMatmul } from './gpujs-async-pool';
import { signalForward, trainSteps } from './gpujs-models';
import { randomValues } from './random';

type DataId = ReturnType<GpuJsBackend['upload']>;

/** webgpu's kernels only enqueue: a run there ends when its outputs are read back (the time includes the read). */
function prepared(be: GpuJsBackend, inputs: DataId[], step: () => DataId[]): Prepared {
  let outputs: DataId[] = [];
  const run = () => {
    outputs.forEach((o) => be.dispose(o));
    outputs = step();
  };
  return {
    run: be.mode !== 'webgpu' ? run : async () => {
      run();
      await Promise.all(outputs.map((o) => be.readAsync(o)));
    },
    async sample() {
      if (outputs.length === 0) outputs = step();
      const parts = await Promise.all(outputs.map(async (o) => (await be.readAsync(o)).slice(0, SAMPLE_VALUES)));
      return Float32Array.from(parts.flatMap((p) => [...p]));
    },
    dispose() {
      [...outputs, ...inputs].forEach((o) => be.dispose(o));
      outputs = [];
    },
  };
}

/** The adapter a webgpu backend runs on, in a few words: "llvmpipe, software renderer" or its name. */
function webGpuAdapter(backend: GpuJsBackend): string {
  const note = backend.selection.notes[0] ?? '';
  const name = /adapter '([^']+)'/.exec(note)?.[1] ?? 'unknown adapter';
  return note.includes('software renderer') ? `${name}: software renderer` : name;
}

export class GpuJsSystem implements SystemAdapter {
  readonly id: string;
  readonly side = 'ours';
  readonly label: string;
  readonly details: Record<string, string>;
  private engineValue: Engine | null = null;

  constructor(readonly backend: GpuJsBackend) {
    this.id = backend.threads > 1 ? `gpujs:${backend.mode}-${backend.threads}t` : `gpujs:${backend.mode}`;
    const hostMode = backend.mode === 'webasm' || backend.mode === 'cpu';
    const threads = hostMode ? `, ${backend.threads} thread${backend.threads > 1 ? 's' : ''}` : '';
    this.label = `skipinit gpu.js ${backend.mode}${threads}${backend.mode === 'webgpu' ? ` (${webGpuAdapter(backend)})` : ''}`;
    this.details = { mode: backend.mode, threads: String(backend.threads), selection: backend.describe() };
  }

  /** The tensor engine the models run on (one per system, made on first use). */
  get engine(): Engine {
    this.engineValue ??= new Engine(this.backend, { seed: 0 });
    return this.engineValue;
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
    const { oh, ow } = convOutSize(s);
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
      if (!backward) return [be.conv2d(x, w, p)];
      // as the tensor op runs it in a training step: the forward keeps a workspace (the Winograd input
      // transform) that the filter gradient reuses, then frees
      const { y, workspace } = be.conv2dTraining(x, w, p);
      const dx = be.conv2dBackpropInput(dy, w, p);
      const dw = be.conv2dBackpropFilter(x, dy, p, workspace);
      if (workspace !== null) be.dispose(workspace);
      return [y, dx, dw];
    });
  }

  trainSteps(c: TrainCase): Prepared {
    return trainSteps(this.engine, c, this.backend.mode === 'webgpu');
  }

  signalForward(c: SignalCase): Prepared {
    return signalForward(this.engine, c, this.backend.mode === 'webgpu');
  }

  dispose(): void {
    this.backend.destroy();
  }
}

/** Every gpu.js mode that runs here, as systems (webasm also split over `threads`, when > 1); the reasons the others do not. */
export async function gpuJsSystems(only?: readonly string[], threads = 1): Promise<{ systems: GpuJsSystem[]; skipped: string[] }> {
  const systems: GpuJsSystem[] = [];
  const skipped: string[] = [];
  for (const mode of ['headlessgl', 'webasm', 'cpu'] as GpuJsMode[]) {
    if (only && !only.includes(mode)) continue;
    const probe = probeMode(mode);
    if (!probe.ok) {
      skipped.push(`gpu.js ${mode}: ${probe.reason}`);
      continue;
    }
    const backend = createGpuJsBackend({ mode });
    if (backend.mode !== mode) throw new Error(`asked gpu.js for mode ${mode}, got ${backend.mode}`);
    systems.push(new GpuJsSystem(backend));
    if (mode === 'webasm' && threads > 1) systems.push(new GpuJsSystem(createGpuJsBackend({ mode, threads })));
  }
  // webgpu by default only on a hardware adapter; a software renderer (correct, not fast) when asked for
  if (!only || only.includes('webgpu')) {
    const probe = await probeWebGpu();
    if (!probe.ok) skipped.push(`gpu.js webgpu: ${probe.reason}`);
    else if (!only && !probe.access.choice.autoMayUse) skipped.push(`gpu.js webgpu: a software renderer only (${probe.access.choice.description}); --modes webgpu runs it`);
    else systems.push(new GpuJsSystem(await createGpuJsBackendAsync({ mode: 'webgpu' })));
  }
  return { systems, skipped };
}

/**
 * An investigation, not the engine: the same blocked matmul kernel under gpu.js's async contract,
 * which splits it across gpu.js's webasm worker pool. Matmul only.
 */
export class GpuJsThreadsSystem implements SystemAdapter {
  readonly id = 'gpujs:webasm-async-pool';
  readonly side = 'ours';
  readonly label = 'gpu.js webasm async worker pool (investigation, matmul only)';
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
      sample: async () => (last ?? (await t.run(a, b))).slice(0, SAMPLE_VALUES),
      dispose: () => t.destroy(),
    };
  }

  dispose(): void {}
}
