// Watching a queued sweep until every cell has an end (done or failed): the status of every cell each
// poll. If the queue lost its record and jobs (a Redis restarted without its data), the sweep is enqueued
// again: finished cells are in the store and are skipped, the rest resume from their checkpoints.
import type { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import { QueueError } from './errors';
import type { QueuedSweep } from './queued-sweep';
import { readQueuedSweep, sweepRecordKey } from './queued-sweep';
import type { CellStatusRow } from './sweep-status';
import { sweepFinished, sweepStatus } from './sweep-status';
import type { ObjectStore } from './store/object-store';

export interface WaitOptions {
  readonly redis: Redis;
  readonly queue: Queue;
  readonly sweep: QueuedSweep;
  readonly store: ObjectStore | null;
  /** Milliseconds between polls (default 1000). */
  readonly pollMs?: number;
  readonly signal?: AbortSignal;
  /** Every poll's rows. */
  readonly onPoll?: (rows: readonly CellStatusRow[]) => void;
  /** Called when the queue no longer holds the sweep (its record is gone): enqueue it again. */
  readonly requeue?: () => Promise<void>;
}

export interface WaitResult {
  readonly rows: readonly CellStatusRow[];
  /** Stopped by the signal before every cell had an end. */
  readonly interrupted: boolean;
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    function done(): void {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
  });
}

export async function waitForSweep(o: WaitOptions): Promise<WaitResult> {
  let rows: CellStatusRow[] = [];
  for (;;) {
    if (o.signal?.aborted) return { rows, interrupted: true };
    const held = await readQueuedSweep(o.redis, o.queue);
    if (held === null && o.requeue !== undefined) {
      await o.requeue();
      continue;
    }
    if (held === null || held.id !== o.sweep.id)
      throw new QueueError('queue/other-sweep', `the queue '${o.queue.name}' no longer holds this sweep (${held === null ? 'nothing' : `now ${held.name}`} at ${sweepRecordKey(o.queue)})`);
    rows = await sweepStatus(o.queue, o.sweep, o.store);
    o.onPoll?.(rows);
    if (sweepFinished(rows)) return { rows, interrupted: false };
    await sleep(o.pollMs ?? 1000, o.signal);
  }
}

/** Rows whose state, worker or tries changed since `before` (every row when there is no `before`). */
export function changedRows(before: readonly CellStatusRow[] | null, after: readonly CellStatusRow[]): CellStatusRow[] {
  if (before === null) return [...after];
  const old = new Map(before.map((r) => [r.index, r]));
  return after.filter((r) => {
    const b = old.get(r.index);
    return b === undefined || b.state !== r.state || b.worker !== r.worker || b.attempts !== r.attempts;
  });
}

/** Takes a finished sweep off the queue (its jobs and record; the store keeps its results). */
export async function forgetSweep(redis: Redis, queue: Queue): Promise<QueuedSweep | null> {
  const held = await readQueuedSweep(redis, queue);
  const counts = await queue.getJobCounts('active', 'waiting', 'delayed', 'prioritized');
  const left = Object.values(counts).reduce((a, b) => a + b, 0);
  if (left > 0)
    throw new QueueError('queue/busy', `the queue '${queue.name}' still has ${left} cells running or waiting (${Object.entries(counts).filter(([, n]) => n > 0).map(([k, n]) => `${n} ${k}`).join(', ')}); forget it once they have finished`);
  await queue.obliterate({ force: true });
  await redis.del(sweepRecordKey(queue));
  return held;
}
