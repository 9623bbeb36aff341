// Per-call costs of small ops (R4 shapes) at the backend level, and the dispatch overhead of tiny ones.
// `PERF_ENTRY=micro.ts node packages/backend-gpujs/perf/run.mjs [calls]`
import { createGpuJsBackend } from '../src/index';

const be = createGpuJsBackend({ mode: 'webasm' });
const n = Number(process.argv[2] ?? 2000);
function t(label: string, fn: () => void): void {
  for (let i = 0; i < 50; i++) fn();
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  for (let i = 0; i < n; i++) fn();
  const w = (performance.now() - t0) / n;
  const c = process.cpuUsage(c0);
  console.log(`${label.padEnd(36)} wall ${(w * 1000).toFixed(1)} us  cpu ${((c.user + c.system) / n).toFixed(1)} us`);
}
const x = be.upload(new Float32Array(64 * 128).map((_, i) => Math.sin(i)));
const w = be.upload(new Float32Array(128 * 128).map((_, i) => Math.cos(i)));
const s = be.upload([0.5]);
const bias = be.upload(new Float32Array(128).fill(0.1));
const tiny = be.upload(new Float32Array(64).map((_, i) => Math.sin(i)));
// dispatch overhead: kernels with almost no work
t('relu 64 (dispatch)', () => be.dispose(be.unary('relu', tiny, 64)));
t('add 64 + 64 (dispatch)', () => be.dispose(be.binary('add', tiny, [8, 8], tiny, [8, 8], [8, 8])));
t('affine 64 (dispatch)', () => be.dispose(be.affine(tiny, 64, 2, 1)));
t('matmul 8x8x8 (dispatch)', () => be.dispose(be.matmul(tiny, tiny, { batch: 1, batchA: 1, batchB: 1, m: 8, k: 8, n: 8, transA: false, transB: false })));
t('matmul 64x128x128 (transB)', () => be.dispose(be.matmul(x, w, { batch: 1, batchA: 1, batchB: 1, m: 64, k: 128, n: 128, transA: false, transB: true })));
t('matmul 64x128x128', () => be.dispose(be.matmul(x, w, { batch: 1, batchA: 1, batchB: 1, m: 64, k: 128, n: 128, transA: false, transB: false })));
t('matmul dW 128x64x128 (transA)', () => be.dispose(be.matmul(x, x, { batch: 1, batchA: 1, batchB: 1, m: 128, k: 64, n: 128, transA: true, transB: false })));
t('relu 8192', () => be.dispose(be.unary('relu', x, 8192)));
t('add 8192 + 8192', () => be.dispose(be.binary('add', x, [64, 128], x, [64, 128], [64, 128])));
t('mul 8192 * scalar', () => be.dispose(be.binary('mul', x, [64, 128], s, [], [64, 128])));
t('add bias [64,128]+[128]', () => be.dispose(be.binary('add', x, [64, 128], bias, [128], [64, 128])));
t('sum axis0 [64,128]', () => be.dispose(be.reduce('sum', x, [64, 128], [0])));
t('sum all 8192', () => be.dispose(be.reduce('sum', x, [64, 128], [0, 1])));
const v = be.fill(128 * 128, 0);
const p = be.upload(new Float32Array(128 * 128));
t('sgdUpdate 16384', () => be.sgdUpdate(p, w, v, 128 * 128, { lr: 0.01, momentum: 0.9, weightDecay: 0, nesterov: false }));
t('upload 1', () => be.dispose(be.upload([1])));
t('fill 8192', () => be.dispose(be.fill(8192, 0)));
be.destroy();
