// Where the time of a split kernel goes: the calling thread's ranges, the helpers' ranges, and waiting.
// `PERF_ENTRY=threads.ts node packages/backend-gpujs/perf/run.mjs`
import { createGpuJsBackend } from '../src/index';

const be = createGpuJsBackend({ mode: 'webasm', threads: 2 });
const p = { xShape: [32, 16, 32, 32], wShape: [16, 16, 3, 3], strideH: 1, strideW: 1, padTop: 1, padBottom: 1, padLeft: 1, padRight: 1, outShape: [32, 16, 32, 32] };
const x = be.upload(Float32Array.from({ length: 32 * 16 * 32 * 32 }, (_, i) => Math.sin(i)));
const w = be.upload(Float32Array.from({ length: 16 * 16 * 9 }, (_, i) => Math.cos(i)));
type Run = (kernel: { cells: number }, chunk: number, own: (s: number, e: number) => void) => void;
const pool = (be as unknown as { ex: { pool: { run: Run } } }).ex.pool;
const orig = pool.run.bind(pool);
let ownMs = 0;
let totalMs = 0;
let ownRanges = 0;
let ranges = 0;
pool.run = (kernel, chunk, own) => {
  const t0 = performance.now();
  ranges += Math.ceil(kernel.cells / chunk);
  orig(kernel, chunk, (s, e) => {
    const t1 = performance.now();
    own(s, e);
    ownMs += performance.now() - t1;
    ownRanges++;
  });
  totalMs += performance.now() - t0;
};
for (let r = 0; r < 3; r++) {
  ownMs = 0;
  totalMs = 0;
  ownRanges = 0;
  ranges = 0;
  const t0 = performance.now();
  const c0 = process.cpuUsage();
  for (let i = 0; i < 10; i++) be.dispose(be.conv2d(x, w, p));
  const c = process.cpuUsage(c0);
  console.log(`10 convs: ${(performance.now() - t0).toFixed(0)} ms wall, ${((c.user + c.system) / 1000).toFixed(0)} ms cpu; in pool.run ${totalMs.toFixed(0)} ms, own ranges ${ownRanges}/${ranges} ${ownMs.toFixed(0)} ms`);
}
be.destroy();
