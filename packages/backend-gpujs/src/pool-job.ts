// One run of a split kernel, as both thread pools schedule it (worker-pool.ts in Node, page-worker-pool.ts
// in a page): three counters in shared memory (the next range of cells, the helpers running a range, the
// helpers that failed), which the helpers' sources use the same way, and the calling thread's part: take
// ranges until none is left, then wait until every range a helper took is written.
import type { SharedKernel } from './gpujs-adapter';

/** Shared scheduling words of one run: [next range, helpers active, failures]. */
export const [NEXT, ACTIVE, FAILED] = [0, 1, 2];

export interface PoolJob {
  readonly sched: Int32Array;
  readonly ranges: number;
  /** What a helper is sent (with the module, memory and math imports the first time it sees the kernel). */
  readonly message: { readonly id: number; readonly sched: SharedArrayBuffer; readonly ranges: number; readonly chunk: number; readonly cells: number; readonly sizeX: number };
}

/** A run of `kernel` in ranges of `chunk` cells. */
export function poolJob(kernel: SharedKernel, chunk: number): PoolJob {
  const ranges = Math.ceil(kernel.cells / chunk);
  const sched = new Int32Array(new SharedArrayBuffer(12));
  return { sched, ranges, message: { id: kernel.id, sched: sched.buffer as SharedArrayBuffer, ranges, chunk, cells: kernel.cells, sizeX: kernel.sizeX } };
}

/**
 * The calling thread's part of `job`: runs ranges (`runOwn(start, end)`) until none is left, then waits
 * until the helpers' taken ranges are written. Throws the calling thread's own error (after stopping the
 * helpers from taking more, and after they finish); returns whether a helper failed.
 */
export function shareJob(job: PoolJob, kernel: SharedKernel, runOwn: (start: number, end: number) => void): boolean {
  const { sched, ranges } = job;
  const chunk = job.message.chunk;
  let ownError: unknown = null;
  try {
    for (;;) {
      const i = Atomics.add(sched, NEXT, 1);
      if (i >= ranges) break;
      runOwn(i * chunk, Math.min((i + 1) * chunk, kernel.cells));
    }
  } catch (error) {
    ownError = error;
    Atomics.store(sched, NEXT, ranges); // the helpers stop taking ranges
  }
  for (;;) {
    const active = Atomics.load(sched, ACTIVE);
    if (active === 0) break;
    Atomics.wait(sched, ACTIVE, active, 60_000);
  }
  if (ownError) throw ownError;
  return Atomics.load(sched, FAILED) > 0;
}

/**
 * A helper's part of a run, as source for the helpers' scripts (worker-pool.ts, page-worker-pool.ts): with
 * `job` and `sched` in scope, and `instance(id)` and `runCells` defined there, it counts itself active, takes
 * ranges until none is left, and on an error marks the run failed, stops it and runs `onError` (with `error`).
 */
export function helperShareSource(onError: string): string {
  return `Atomics.add(sched, ${ACTIVE}, 1);
  try {
    let k = null;
    for (;;) {
      const i = Atomics.add(sched, ${NEXT}, 1);
      if (i >= job.ranges) break;
      if (k === null) k = instance(job.id);
      const start = i * job.chunk;
      runCells(k.run, k.runSimd, job.sizeX, start, Math.min(start + job.chunk, job.cells));
    }
  } catch (error) {
    Atomics.add(sched, ${FAILED}, 1);
    Atomics.store(sched, ${NEXT}, job.ranges);
    ${onError};
  } finally {
    Atomics.sub(sched, ${ACTIVE}, 1);
    Atomics.notify(sched, ${ACTIVE});
  }`;
}
