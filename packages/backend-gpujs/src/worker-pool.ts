// Synchronous multi-threading for the heavy kernels (`threads: n` on webasm).
//
// gpu.js's own webasm worker pool needs its async contract; the Backend is synchronous. Here each
// helper thread owns a gpu.js 'webasm' instance and its own compiled kernels. A heavy kernel's
// outermost output axis is cut into chunks; the calling thread and the helpers take chunks from one
// shared counter until none are left (dynamic scheduling), so a helper the OS has not scheduled yet
// costs nothing: the calling thread simply does its chunks. The caller then waits only for chunks a
// helper has already taken. Results land in shared memory; arguments stored in SharedArrayBuffers
// (the engine's buffer pool allocates them so when threads > 1) reach helpers without a copy.
//
// Jobs travel over MessageChannels read synchronously (receiveMessageOnPort), so nothing waits on an
// event loop. A helper that fails reports the error, which the caller throws; helpers are unref'd
// worker threads (they never keep the process alive) and end with `destroy()`.

import { createRequire } from 'node:module';
import { MessageChannel, Worker, receiveMessageOnPort, type MessagePort } from 'node:worker_threads';

/** A chunked kernel run. Every chunk is the same kernel with a different `splitOffset` argument. */
export interface ChunkJob {
  /** Cache key of the chunk kernel (helpers compile it once). */
  readonly key: string;
  /** The chunk kernel's source: its last parameter is the Integer `splitOffset`. */
  readonly source: string;
  /** The chunk kernel's output dims. */
  readonly output: readonly number[];
  readonly args: readonly (Float32Array | number)[];
  /** Start of each chunk along the outermost output axis. */
  readonly starts: readonly number[];
  /** Floats per unit of the outermost axis. */
  readonly inner: number;
  /** Floats one chunk writes. */
  readonly chunkFloats: number;
  readonly result: SharedArrayBuffer;
}

/** Shared scheduling words of one run: [next chunk, helpers active, failures]. */
const NEXT = 0;
const ACTIVE = 1;
const FAILED = 2;

const WORKER_SOURCE = `
const { workerData, receiveMessageOnPort } = require('node:worker_threads');
const { GPU } = require(workerData.gpuJsPath);
const gpu = new GPU({ mode: 'webasm' });
const kernels = new Map();
const ctl = new Int32Array(workerData.control);
const port = workerData.port;
let seen = 0;

function compile(job) {
  let k = kernels.get(job.key);
  if (k) return k;
  if (kernels.size >= 256) { for (const e of kernels.values()) e.fn.destroy(); kernels.clear(); }
  const fn = gpu.createKernel(job.source, { output: job.output, loopMaxIterations: 1073741824, precision: 'single', strictIntegers: true, dynamicArguments: false, dynamicOutput: false });
  k = { fn, direct: null };
  kernels.set(job.key, k);
  return k;
}

// the engine's direct call (wasm-call.ts), for kernels whose arguments are arrays and one Integer
function directOf(fn, args) {
  const inner = fn.kernel, e = inner._active, dispatch = inner.constructor.dispatchSpans;
  if (inner.constructor.mode !== 'webasm' || !e || e.shared || typeof dispatch !== 'function' || inner.usesRandom) return null;
  const slots = [];
  for (const r of Object.values(e.layout.arrays)) { if (!(args[r.index] instanceof Float32Array) || args[r.index].length !== r.flatLength) return null; slots.push([r.index, r.offset / 4, false]); }
  for (const r of Object.values(e.layout.scalars)) slots.push([r.index, r.offset / 4, r.type === 'Integer']);
  if (slots.length !== args.length) return null;
  const out = e.layout.outputOffset / 4, len = e.cells * (inner.componentCount || 1);
  return (a) => {
    for (const [i, at, int] of slots) { if (typeof a[i] === 'number') { if (int) e.i32[at] = a[i] | 0; else e.f32[at] = a[i]; } else e.f32.set(a[i], at); }
    dispatch(e.run, e.runSimd, e.cells, e.sizeX, 0);
    return e.f32.subarray(out, out + len);
  };
}

function runChunk(job, start) {
  const k = compile(job);
  const args = [...job.args, start];
  let out;
  if (k.direct && k.fnKernel === k.fn.kernel && k.fn.kernel._active === k.entry) {
    out = k.direct(args);
  } else {
    if (k.fn.kernel._shapeOutput) k.fn.kernel._shapeOutput = (d) => d;
    out = k.fn(...args);
    if (k.fn.kernel.constructor.mode !== 'webasm') throw new Error('gpu.js ran mode ' + k.fn.kernel.constructor.mode + ' instead of webasm');
    k.direct = directOf(k.fn, args);
    k.fnKernel = k.fn.kernel;
    k.entry = k.fn.kernel._active;
  }
  new Float32Array(job.result, start * job.inner * 4, job.chunkFloats).set(out.subarray(0, job.chunkFloats));
}

function work(job) {
  const sched = new Int32Array(job.sched);
  Atomics.add(sched, ${ACTIVE}, 1);
  try {
    for (;;) {
      const i = Atomics.add(sched, ${NEXT}, 1);
      if (i >= job.starts.length) break;
      runChunk(job, job.starts[i]);
    }
  } catch (error) {
    Atomics.add(sched, ${FAILED}, 1);
    port.postMessage(String((error && error.message) || error));
  } finally {
    Atomics.sub(sched, ${ACTIVE}, 1);
    Atomics.notify(sched, ${ACTIVE});
  }
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

interface Lane {
  readonly worker: Worker;
  readonly port: MessagePort;
  readonly control: Int32Array;
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
      this.lanes.push({ worker, port: port1, control });
    }
  }

  /** Number of participants including the calling thread. */
  get size(): number {
    return this.lanes.length + 1;
  }

  /**
   * Runs every chunk of `job`, on the helpers and on the calling thread (`runOwn(start)` returns the
   * chunk's output as a view to copy), and returns when all are written into `job.result`. Throws
   * the first error (a helper's, or the calling thread's) after every taken chunk has finished.
   */
  run(job: ChunkJob, runOwn: (start: number) => Float32Array): void {
    if (this.destroyed) throw new Error('worker pool: destroyed');
    const sched = new Int32Array(new SharedArrayBuffer(12));
    const message = { ...job, sched: sched.buffer };
    for (const lane of this.lanes) {
      lane.port.postMessage(message);
      Atomics.add(lane.control, 0, 1);
      Atomics.notify(lane.control, 0);
    }
    const result = new Float32Array(job.result);
    let ownError: unknown = null;
    try {
      for (;;) {
        const i = Atomics.add(sched, NEXT, 1);
        if (i >= job.starts.length) break;
        const start = job.starts[i]!;
        result.set(runOwn(start).subarray(0, job.chunkFloats), start * job.inner);
      }
    } catch (error) {
      ownError = error;
      // let helpers stop taking chunks
      Atomics.store(sched, NEXT, job.starts.length);
    }
    for (;;) {
      const active = Atomics.load(sched, ACTIVE);
      if (active === 0) break;
      Atomics.wait(sched, ACTIVE, active, 60_000);
    }
    if (ownError) throw ownError;
    if (Atomics.load(sched, FAILED) > 0) {
      let reason = 'a helper thread failed';
      for (const lane of this.lanes) {
        const m = receiveMessageOnPort(lane.port);
        if (m) reason = String(m.message);
      }
      throw new Error(`worker pool: ${reason}`);
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
