// An investigation for issue 7, not the engine: the engine's blocked matmul kernel run under gpu.js's
// async contract, where gpu.js's webasm backend splits a kernel of >= 4096 output cells across its own
// worker pool over one shared WebAssembly.Memory (one postMessage round trip per call). The bench's own
// copy (issue 11 took it out of @skipinit/backend-gpujs's API): the kernel source follows
// packages/backend-gpujs/src/kernels/matmul.ts (batch 1, no transposes, no denormal flush), and, as the engine's gpu.js
// adapter does, it replaces the kernel's `_shapeOutput` (a gpu.js internal) so the output stays flat.

import { createRequire } from 'node:module';

interface AsyncKernel {
  (...args: unknown[]): Promise<unknown>;
  kernel: { constructor: { mode: string }; _shapeOutput?: unknown; _lastRunPath?: string | null };
  destroy(): void;
}
interface GpuJs {
  GPU: new (s: { mode: 'webasm' }) => { createKernel(source: string, settings: object): AsyncKernel; destroy(): void };
  WebAssemblyKernel: { isThreadsSupported: boolean };
}

export interface ThreadedMatmul {
  /** C = A B ([m,k] x [k,n]), computed by gpu.js's webasm worker pool. */
  run(a: Float32Array, b: Float32Array): Promise<Float32Array>;
  /** The path gpu.js took on the last call ('threaded' when the pool ran it). */
  readonly lastRunPath: string | null;
  destroy(): void;
}

/** Four rows per thread (Array(4)), columns on the SIMD lanes, k unrolled by two: the engine's blocked kernel. */
function blockedSource(m: number, k: number, n: number): string {
  const row = (i: number) => (i === 0 || m % 4 === 0 ? `this.thread.y * 4 + ${i}` : `Math.min(this.thread.y * 4 + ${i}, ${m - 1})`);
  const a = (i: number, kk: string) => `a[(${row(i)}) * ${k} + ${kk}]`;
  const b = (kk: string) => `b[(${kk}) * ${n} + this.thread.x]`;
  const lines = ['let s0 = 0.0;', 'let s1 = 0.0;', 'let s2 = 0.0;', 'let s3 = 0.0;'];
  if (k >= 2) {
    lines.push(`for (let h = 0; h < ${Math.floor(k / 2)}; h++) {`, `  const b0 = ${b('(h | 0) * 2')};`, `  const b1 = ${b('(h | 0) * 2 + 1')};`);
    for (let i = 0; i < 4; i++) lines.push(`  s${i} = s${i} + ${a(i, '(h | 0) * 2')} * b0 + ${a(i, '(h | 0) * 2 + 1')} * b1;`);
    lines.push('}');
  }
  if (k % 2 === 1) {
    lines.push(`const bl = ${b(String(k - 1))};`);
    for (let i = 0; i < 4; i++) lines.push(`s${i} = s${i} + ${a(i, String(k - 1))} * bl;`);
  }
  lines.push('return [s0, s1, s2, s3];');
  return `function(a, b) {\n  ${lines.join('\n  ')}\n}`;
}

export function createThreadedMatmul(m: number, k: number, n: number): ThreadedMatmul {
  const { GPU, WebAssemblyKernel } = createRequire(import.meta.url)('gpu.js') as GpuJs;
  if (!WebAssemblyKernel.isThreadsSupported) throw new Error('threaded matmul: WebAssembly threads (SharedArrayBuffer) are not available here');
  const gpu = new GPU({ mode: 'webasm' });
  const fn = gpu.createKernel(blockedSource(m, k, n), { output: [n, Math.ceil(m / 4)], loopMaxIterations: 2 ** 30, asyncMode: true });
  return {
    async run(a, b) {
      fn.kernel._shapeOutput = (data: Float32Array) => data;
      const raw = (await fn(a, b)) as Float32Array;
      if (fn.kernel.constructor.mode !== 'webasm') throw new Error(`threaded matmul: gpu.js ran mode '${fn.kernel.constructor.mode}'`);
      // [m/4][n][4] -> [m][n]
      const out = new Float32Array(m * n);
      for (let r = 0; r < m; r++) for (let c = 0; c < n; c++) out[r * n + c] = raw[(Math.floor(r / 4) * n + c) * 4 + (r % 4)]!;
      return out;
    },
    get lastRunPath() {
      return fn.kernel._lastRunPath ?? null;
    },
    destroy() {
      fn.destroy();
      gpu.destroy();
    },
  };
}
