// Synchronous multi-threading of webasm kernels in a page (the browser entry's platform makes it, when
// the page is cross-origin isolated). The same scheme as Node's worker-pool.ts: the calling thread writes
// a kernel's arguments into its shared WebAssembly memory once, each helper instantiates the module over
// that memory (once per kernel), and all take ranges of cells from one shared counter until none are
// left; results are bit-identical to one thread. A page's helpers are Web Workers, which receive jobs as
// ordinary messages (a page has no synchronous receive), so a helper joins a run only when its message
// has arrived: the caller never waits for one that has not taken a range, so a helper that starts late
// (or never) slows nothing down and cannot deadlock the caller, which blocks on Atomics.wait only until
// the helpers that took ranges are done. The caller must be a worker (Atomics.wait is refused on a
// page's main thread).
import { runCells, type SharedKernel } from './gpujs-adapter';
import type { ThreadPool } from './host-executor';
import { helperShareSource, NEXT, poolJob, shareJob } from './pool-job';

const HELPER_SOURCE = `
const kernels = new Map();
const runCells = ${runCells.toString()};
function instance(id) {
  const k = kernels.get(id);
  if (k.run === null) {
    const env = { memory: k.sent.memory };
    for (const name of k.sent.math) env['math_' + name] = Math[name];
    const exports = new WebAssembly.Instance(k.sent.module, { env }).exports;
    k.run = exports.run;
    k.runSimd = exports.run_simd || null;
    k.sent = null;
  }
  return k;
}
self.onmessage = (event) => {
  const job = event.data;
  if (job.release) {
    for (const id of job.release) kernels.delete(id);
    return;
  }
  if (job.module && !kernels.has(job.id)) kernels.set(job.id, { sent: job, run: null, runSimd: null });
  const sched = new Int32Array(job.sched);
  if (Atomics.load(sched, ${NEXT}) >= job.ranges) return; // the run ended before this message arrived
  ${helperShareSource("console.error('skipinit engine helper thread:', error)")}
};
`;

/** A page's Web Worker, as far as the pool uses it (this package compiles without the DOM's types). */
type PageWorker = { postMessage(message: unknown): void; terminate(): void };
type PageGlobals = { Worker: new (url: string, options: { name: string }) => PageWorker; URL: { createObjectURL(blob: Blob): string } };
type Lane = { readonly worker: PageWorker; readonly known: Set<number> };

export class PageWorkerPool implements ThreadPool {
  private readonly lanes: Lane[] = [];
  private destroyed = false;

  constructor(helpers: number) {
    if (!Number.isInteger(helpers) || helpers < 1) throw new RangeError(`page worker pool: helpers must be a positive integer, got ${helpers}`);
    const page = globalThis as unknown as PageGlobals;
    const url = page.URL.createObjectURL(new Blob([HELPER_SOURCE], { type: 'text/javascript' }));
    for (let i = 0; i < helpers; i++) this.lanes.push({ worker: new page.Worker(url, { name: `skipinit engine helper ${i + 1}` }), known: new Set() });
  }

  get size(): number {
    return this.lanes.length + 1;
  }

  run(kernel: SharedKernel, chunk: number, runOwn: (start: number, end: number) => void): void {
    if (this.destroyed) throw new Error('page worker pool: destroyed');
    const run = poolJob(kernel, chunk);
    for (const lane of this.lanes) {
      const first = !lane.known.has(kernel.id);
      lane.known.add(kernel.id);
      lane.worker.postMessage(first ? { ...run.message, module: kernel.module, memory: kernel.memory, math: kernel.mathImports } : run.message);
    }
    if (shareJob(run, kernel, runOwn)) throw new Error('page worker pool: a helper thread failed (its error is in the console)');
  }

  release(id: number): void {
    if (this.destroyed) return;
    for (const lane of this.lanes) if (lane.known.delete(id)) lane.worker.postMessage({ release: [id] });
  }

  destroy(): void {
    if (this.destroyed) return;
    this.destroyed = true;
    for (const lane of this.lanes) lane.worker.terminate();
  }
}
