// Enqueueing a sweep: each cell a job whose id is its configuration hash, so enqueueing again changes
// nothing; cells whose result is already in the store are not enqueued. A queue holds one sweep: another
// sweep is refused before anything is touched.
import type { SweepCell, SweepManifest } from '@skipinit/analysis/node';
import { SWEEP_FILES } from '@skipinit/analysis/node';
import type { JobState, Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import { QueueError } from './errors';
import type { QueuedSweep } from './queued-sweep';
import { CELL_JOB, cellJobData, claimQueue, jobIdOf, QUEUED_SWEEP_FORMAT, sweepIdOf } from './queued-sweep';
import { storedResult } from './store/cell-files';
import type { ObjectStore } from './store/object-store';

export interface EnqueueOptions {
  readonly redis: Redis;
  readonly queue: Queue;
  readonly store: ObjectStore;
  readonly manifest: SweepManifest;
  readonly cells: readonly SweepCell[];
  /** Tries per cell before it is marked failed (default 3). A worker lost mid-cell does not use one up. */
  readonly attempts?: number;
  /** The first retry's delay in milliseconds, doubling after each (default 10000). */
  readonly backoffMs?: number;
  /** Give failed cells their tries again. */
  readonly retryFailed?: boolean;
  /** The queue as the user named it, for messages. */
  readonly shown: string;
}

/** Where each cell stood when it was enqueued: added now, done in the store, or already a job in that state. */
export type EnqueuedAs = 'added' | 'done' | 'retried' | JobState;

export interface EnqueueResult {
  readonly sweep: QueuedSweep;
  readonly cells: readonly { readonly index: number; readonly key: string; readonly as: EnqueuedAs }[];
}

function otherSweep(o: EnqueueOptions, held: QueuedSweep): QueueError {
  return new QueueError(
    'queue/other-sweep',
    `the queue '${o.queue.name}' at ${o.shown} holds another sweep: ${held.name} (${held.cells.length} cells, store ${held.store.root}, enqueued ${held.created}); ` +
      `nothing was changed. Watch it with 'skipinit status --queue ${o.shown}'; once it is finished, 'skipinit status --queue ${o.shown} --forget' ` +
      `takes it off the queue (its results stay in its store). Or give this sweep another queue: another database (redis://HOST:PORT/1) or ?queue=NAME.`,
  );
}

export async function enqueueSweep(o: EnqueueOptions): Promise<EnqueueResult> {
  const id = sweepIdOf(o.cells);
  const record: QueuedSweep = {
    format: QUEUED_SWEEP_FORMAT,
    version: 1,
    id,
    name: o.manifest.name,
    store: o.store.spec,
    cells: o.cells.map((c) => ({ index: c.index, key: c.key, hash: c.hash, dir: c.dir })),
    created: new Date().toISOString(),
  };
  const held = await claimQueue(o.redis, o.queue, record);
  if (held.id !== id) throw otherSweep(o, held);
  if (held.store.root !== o.store.spec.root)
    throw new QueueError('queue/other-sweep', `the queue '${o.queue.name}' at ${o.shown} holds this sweep with the store ${held.store.root}, not ${o.store.location}; give --store ${held.store.root}`);
  await o.store.put(SWEEP_FILES.manifest, Buffer.from(`${JSON.stringify(o.manifest, null, 2)}\n`));
  const attempts = o.attempts ?? 3;
  const delay = o.backoffMs ?? 10_000;
  const cells = [];
  for (const cell of o.cells) {
    const jobId = jobIdOf(cell.hash);
    const state = await o.queue.getJobState(jobId);
    let as: EnqueuedAs = state === 'unknown' ? 'added' : state;
    if (state === 'unknown') {
      if ((await storedResult(o.store, cell.dir, cell.hash)) !== null) as = 'done';
      else {
        const data = cellJobData(id, cell, o.store.spec, o.manifest.source ?? {});
        await o.queue.add(CELL_JOB, data, { jobId, attempts, backoff: { type: 'exponential', delay }, removeOnComplete: false, removeOnFail: false });
      }
    } else if (state === 'failed' && o.retryFailed === true) {
      const job = await o.queue.getJob(jobId);
      await job?.retry('failed', { resetAttemptsMade: true, resetAttemptsStarted: true });
      as = 'retried';
    }
    cells.push({ index: cell.index, key: cell.key, as });
  }
  return { sweep: held, cells };
}
