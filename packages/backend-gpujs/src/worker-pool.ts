// Synchronous multi-threading for the heavy kernels (opt-in: `threads: n`).
//
// gpu.js's own webasm worker pool needs its async contract; the Backend is synchronous. Here each
// worker thread owns a gpu.js 'webasm' instance and its own compiled kernels. The main thread hands
// every participant a slice of the kernel's outermost output axis, computes its own slice, and
// blocks on Atomics.wait until the workers have written theirs into shared memory. Messages travel
// over MessageChannels read synchronously (receiveMessageOnPort), so nothing waits on an event loop.

import { createRequire } from 'node:module';
import { MessageChannel, Worker, receiveMessageOnPort, type MessagePort } from 'node:worker_threads';

/** A kernel part: source over the part's output dims, arguments, and where to write the result. */
export interface PartJob {
  readonly key: string;
  readonly source: string;
  readonly output: readonly number[];
  readonly args: readonly (Float32Array | number)[];
  /** Shared result buffer: `length` floats from element `offset`. */
  readonly result: SharedArrayBuffer;
  readonly offset: number;
  readonly length: number;
}

const WORKER_SOURCE = `
const { workerData } = require('node:worker_threads');
const { receiveMessageOnPort } = require('node:worker_threads');
const { GPU } = require(workerData.gpuJsPath);
const gpu = new GPU({ mode: 'webasm' });
const kernels = new Map();
const ctl = new Int32Array(workerData.control);
const port = workerData.port;
let seen = 0;
for (;;) {
  Atomics.wait(ctl, 0, seen);
  seen = Atomics.load(ctl, 0);
  if (seen < 0) break;
  let msg = receiveMessageOnPort(port);
  while (!msg) {
    Atomics.wait(ctl, 1, Atomics.load(ctl, 1), 1);
    msg = receiveMessageOnPort(port);
  }
  const job = msg.message;
  try {
    let fn = kernels.get(job.key);
    if (!fn) {
      if (kernels.size >= 256) { for (const k of kernels.values()) k.destroy(); kernels.clear(); }
      fn = gpu.createKernel(job.source, { output: job.output, loopMaxIterations: 1073741824, precision: 'single' });
      kernels.set(job.key, fn);
    }
    if (fn.kernel._shapeOutput) fn.kernel._shapeOutput = (d) => d;
    const out = fn(...job.args);
    if (fn.kernel.constructor.mode !== 'webasm') throw new Error('gpu.js ran mode ' + fn.kernel.constructor.mode + ' instead of webasm');
    new Float32Array(job.result, job.offset * 4, job.length).set(out.subarray(0, job.length));
    port.postMessage({ ok: true });
  } catch (error) {
    port.postMessage({ ok: false, error: String(error && error.message || error) });
  }
  Atomics.add(ctl, 1, 1);
  Atomics.notify(ctl, 1);
}
`;

interface Lane {
  readonly worker: Worker;
  readonly port: MessagePort;
  readonly control: Int32Array;
  jobs: number;
}

export class SyncWorkerPool {
  private readonly lanes: Lane[] = [];
  private destroyed = false;

  /** `helpers` worker threads beside the calling thread. */
  constructor(readonly helpers: number) {
    if (!Number.isInteger(helpers) || helpers < 1) throw new RangeError(`worker pool: helpers must be a positive integer, got ${helpers}`);
    const gpuJsPath = createRequire(import.meta.url).resolve('gpu.js');
    for (let i = 0; i < helpers; i++) {
      const { port1, port2 } = new MessageChannel();
      const control = new Int32Array(new SharedArrayBuffer(8));
      const worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { gpuJsPath, control: control.buffer, port: port2 }, transferList: [port2] });
      worker.unref();
      this.lanes.push({ worker, port: port1, control, jobs: 0 });
    }
  }

  /** Number of participants including the calling thread. */
  get size(): number {
    return this.lanes.length + 1;
  }

  /**
   * Runs `jobs[i]` on helper i while the calling thread runs `own()`, then waits for every helper.
   * Throws the first helper error (after all have finished).
   */
  run(jobs: readonly PartJob[], own: () => void): void {
    if (this.destroyed) throw new Error('worker pool: destroyed');
    if (jobs.length > this.lanes.length) throw new RangeError(`worker pool: ${jobs.length} jobs for ${this.lanes.length} helpers`);
    jobs.forEach((job, i) => {
      const lane = this.lanes[i]!;
      lane.port.postMessage(job);
      lane.jobs++;
      Atomics.add(lane.control, 0, 1);
      Atomics.notify(lane.control, 0);
    });
    let ownError: unknown = null;
    try {
      own();
    } catch (error) {
      ownError = error;
    }
    const errors: string[] = [];
    jobs.forEach((_, i) => {
      const lane = this.lanes[i]!;
      for (;;) {
        const done = Atomics.load(lane.control, 1);
        if (done >= lane.jobs) break;
        Atomics.wait(lane.control, 1, done, 60_000);
      }
      const reply = receiveMessageOnPort(lane.port)?.message as { ok: boolean; error?: string } | undefined;
      if (!reply?.ok) errors.push(reply?.error ?? 'no reply');
    });
    if (ownError) throw ownError;
    if (errors.length > 0) throw new Error(`worker pool: ${errors[0]}`);
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
