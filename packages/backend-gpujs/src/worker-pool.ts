// Synchronous multi-threading of webasm kernels (Node only: the Node entry's platform makes it). gpu.js
// builds a kernel for threads as one WebAssembly module over one shared memory [ arguments | constants |
// output ]; the calling thread writes the arguments once, each helper instantiates the module over that
// memory (once per kernel), and all take ranges of cells from one shared counter until none are left,
// writing their cells in place. Nothing is copied per thread, an unscheduled helper costs nothing, and
// every cell runs the same code as on one thread: results are bit-identical. Jobs travel over
// MessageChannels read synchronously (receiveMessageOnPort); the caller blocks on Atomics.wait until the
// helpers that took ranges are done, and throws a helper's error. Helpers are unref'd worker threads.

import { setFlagsFromString } from 'node:v8';
import { MessageChannel, Worker, receiveMessageOnPort, type MessagePort } from 'node:worker_threads';
import { runCells, type SharedKernel } from './gpujs-adapter';
import { helperShareSource, poolJob, shareJob } from './pool-job';

/** Kernels a helper keeps instantiated; past this the oldest is released (the engine releases evicted kernels). */
const HELPER_INSTANCES = 1024;

const WORKER_SOURCE = `
const { workerData, receiveMessageOnPort } = require('node:worker_threads');
// A released kernel's memory (a SharedArrayBuffer from the calling thread) is freed only when every
// thread that instantiated it has collected its instance; a helper allocates almost nothing, so V8
// would never collect on its own and evicted kernels' memories would pile up (gigabytes when the
// kernel cache turns over). The pool exposes gc (see SyncWorkerPool) and a helper collects after
// each release.
const collect = require('node:vm').runInNewContext('gc');
const ctl = new Int32Array(workerData.control);
const port = workerData.port;
const kernels = new Map();
let seen = 0;

// id -> { sent: the module, memory and math imports as first sent; run, runSimd once instantiated }
function remember(job) {
  if (job.module && !kernels.has(job.id)) kernels.set(job.id, { sent: job, run: null, runSimd: null });
}

function instance(id) {
  const k = kernels.get(id);
  if (!k) throw new Error('internal: kernel ' + id + ' was not sent to this helper');
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

// the engine's runCells (gpujs-adapter.ts), as its source (whatever name a bundler gave it)
const runCells = ${runCells.toString()};

function work(job) {
  if (job.release) {
    for (const id of job.release) kernels.delete(id);
    collect();
    return;
  }
  // a job that brings a kernel is remembered even when no range is left for this helper to take
  remember(job);
  const sched = new Int32Array(job.sched);
  ${helperShareSource('port.postMessage(String((error && error.message) || error))')}
}

for (;;) {
  Atomics.wait(ctl, 0, seen);
  const now = Atomics.load(ctl, 0);
  if (now < 0) break;
  // one job per increment; a message can trail its wake-up by a moment
  while (seen < now) {
    let msg = receiveMessageOnPort(port);
    for (let tries = 0; !msg && tries < 1000; tries++) {
      Atomics.wait(ctl, 1, 0, 1);
      msg = receiveMessageOnPort(port);
    }
    seen++;
    if (msg) work(msg.message);
  }
}
`;

/** One helper; `known`: the kernels whose module and memory it has been sent. */
type Lane = { readonly worker: Worker; readonly port: MessagePort; readonly control: Int32Array; readonly known: Set<number> };

export class SyncWorkerPool {
  private readonly lanes: Lane[] = [];
  private destroyed = false;

  /** `helpers` worker threads beside the calling thread. */
  constructor(readonly helpers: number) {
    if (!Number.isInteger(helpers) || helpers < 1) throw new RangeError(`worker pool: helpers must be a positive integer, got ${helpers}`);
    // helpers collect garbage explicitly after releasing kernels (see WORKER_SOURCE); V8 flags are
    // process-wide, and this one only makes \`gc\` available to contexts created from now on
    setFlagsFromString('--expose-gc');
    for (let i = 0; i < helpers; i++) {
      const { port1, port2 } = new MessageChannel();
      const control = new Int32Array(new SharedArrayBuffer(8));
      const worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { control: control.buffer, port: port2 }, transferList: [port2] });
      worker.unref();
      this.lanes.push({ worker, port: port1, control, known: new Set() });
    }
  }

  /** Number of participants including the calling thread. */
  get size(): number {
    return this.lanes.length + 1;
  }

  private post(lane: Lane, message: unknown): void {
    lane.port.postMessage(message);
    Atomics.add(lane.control, 0, 1);
    Atomics.notify(lane.control, 0);
  }

  /**
   * Runs every cell of `kernel` (whose arguments the caller has written into its memory) in ranges of
   * `chunk` cells, on the helpers and on the calling thread (`runOwn(start, end)`), and returns when
   * all are written. Throws the first error (a helper's, or the calling thread's) after every taken
   * range has finished.
   */
  run(kernel: SharedKernel, chunk: number, runOwn: (start: number, end: number) => void): void {
    if (this.destroyed) throw new Error('worker pool: destroyed');
    const run = poolJob(kernel, chunk);
    const job = run.message;
    for (const lane of this.lanes) {
      if (lane.known.has(kernel.id)) {
        this.post(lane, job);
      } else {
        if (lane.known.size >= HELPER_INSTANCES) {
          const oldest = lane.known.values().next().value!;
          lane.known.delete(oldest);
          this.post(lane, { release: [oldest] });
        }
        lane.known.add(kernel.id);
        this.post(lane, { ...job, module: kernel.module, memory: kernel.memory, math: kernel.mathImports });
      }
    }
    if (shareJob(run, kernel, runOwn)) {
      let reason = 'a helper thread failed';
      for (const lane of this.lanes) {
        const m = receiveMessageOnPort(lane.port);
        if (m) reason = String(m.message);
      }
      throw new Error(`worker pool: ${reason}`);
    }
  }

  /** Lets the helpers drop a kernel's instance (its module and memory). */
  release(id: number): void {
    if (this.destroyed) return;
    for (const lane of this.lanes) {
      if (lane.known.delete(id)) this.post(lane, { release: [id] });
    }
  }

  destroy(): void {
    if (this.destroyed) return;
    this.destroyed = true;
    for (const lane of this.lanes) {
      Atomics.store(lane.control, 0, -1);
      Atomics.notify(lane.control, 0);
      lane.port.close();
      void lane.worker.terminate();
    }
  }
}
