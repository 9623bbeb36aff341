// An investigation for issue 7, not part of the synchronous Backend: the blocked matmul kernel run
// under gpu.js's async contract, where the webasm backend splits a kernel of >= 4096 output cells
// across a worker pool over one shared WebAssembly.Memory (one postMessage round trip per call).

import { gpuJs, type GpuJsKernel } from './gpujs-api';
import { flatOutputs } from './device';
import { deinterleave4, matmulBlockedKernel } from './kernels/matmul';

export interface ThreadedMatmul {
  /** C = A B ([m,k] x [k,n]), computed by gpu.js's webasm worker pool. */
  run(a: Float32Array, b: Float32Array): Promise<Float32Array>;
  /** The path gpu.js took on the last call ('threaded' when the pool ran it). */
  readonly lastRunPath: string | null;
  destroy(): void;
}

export function createThreadedMatmul(m: number, k: number, n: number, options: { poolSize?: number } = {}): ThreadedMatmul {
  const { GPU, WebAssemblyKernel } = gpuJs();
  if (!WebAssemblyKernel.isThreadsSupported) throw new Error('threaded matmul: WebAssembly threads (SharedArrayBuffer) are not available here');
  const gpu = new GPU({ mode: 'webasm' });
  const spec = matmulBlockedKernel({ batch: 1, batchA: 1, batchB: 1, m, k, n, transA: false, transB: false });
  const settings = { output: [...spec.output], loopMaxIterations: 2 ** 30, asyncMode: true, ...(options.poolSize ? { poolSize: options.poolSize } : {}) };
  const fn: GpuJsKernel = gpu.createKernel(spec.source, settings);
  return {
    async run(a, b) {
      flatOutputs(fn);
      const raw = (await fn(a, b)) as Float32Array;
      if (fn.kernel.constructor.mode !== 'webasm') throw new Error(`threaded matmul: gpu.js ran mode '${fn.kernel.constructor.mode}'`);
      return deinterleave4(raw, 1, m, n);
    },
    get lastRunPath() {
      return fn.kernel._lastRunPath ?? null;
    },
    destroy() {
      fn.destroy();
      void gpu.destroy();
    },
  };
}
