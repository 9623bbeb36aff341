// Where the time of a split kernel goes: the calling thread's part, the helper's part, and waiting.
import { createGpuJsBackend } from '../src/index';

const be = createGpuJsBackend({ mode: 'webasm', threads: 2 });
const p = { xShape: [32, 16, 32, 32], wShape: [16, 16, 3, 3], strideH: 1, strideW: 1, padTop: 1, padBottom: 1, padLeft: 1, padRight: 1, outShape: [32, 16, 32, 32] };
const x = be.upload(Float32Array.from({ length: 32 * 16 * 32 * 32 }, (_, i) => Math.sin(i)));
const w = be.upload(Float32Array.from({ length: 16 * 16 * 9 }, (_, i) => Math.cos(i)));
type Run = (job: { starts: number[] }, own: (start: number) => Float32Array) => void;
const dev = (be as unknown as { device: { pool: { run: Run } } }).device;
const pool = dev.pool;
const orig = pool.run.bind(pool);
let ownMs = 0;
let totalMs = 0;
let ownChunks = 0;
let chunks = 0;
pool.run = (job, own) => {
  const t0 = performance.now();
  chunks += job.starts.length;
  orig(job, (start) => {
    const t1 = performance.now();
    const r = own(start);
    ownMs += performance.now() - t1;
    ownChunks++;
    return r;
  });
  totalMs += performance.now() - t0;
};
for (let r = 0; r < 3; r++) {
  ownMs = 0;
  totalMs = 0;
  ownChunks = 0;
  chunks = 0;
  const t0 = performance.now();
  for (let i = 0; i < 10; i++) be.dispose(be.conv2d(x, w, p));
  console.log(`10 convs: ${(performance.now() - t0).toFixed(0)} ms wall; in pool.run ${totalMs.toFixed(0)} ms, own chunks ${ownChunks}/${chunks} ${ownMs.toFixed(0)} ms`);
}
be.destroy();
