// What the queue holds for a sweep: one job per cell, its id the cell's configuration hash, and beside the
// jobs one record of the sweep itself (its id, name, store and cells), so that a queue holds one sweep at a
// time and `status` can show every cell, including the ones that were done before they were enqueued.
import { createHash } from 'node:crypto';
import type { SweepCell } from '@skipinit/analysis/node';
import type { Graph, ResolvedTrainSpec } from '@skipinit/graph';
import type { LoopSettings } from '@skipinit/trainer';
import type { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import { QueueError } from './errors';
import type { StoreSpec } from './store/object-store';

export const QUEUED_SWEEP_FORMAT = 'skipinit.queued-sweep';
/** The job name of every cell. */
export const CELL_JOB = 'cell';

export interface QueuedCell {
  readonly index: number;
  readonly key: string;
  /** 'sha256:<hex>' of the cell's resolved configuration; the job id is the hex. */
  readonly hash: string;
  /** The cell's run directory in the store: cells/<16 hex>. */
  readonly dir: string;
}

/** The record of the sweep a queue holds. */
export interface QueuedSweep {
  readonly format: typeof QUEUED_SWEEP_FORMAT;
  readonly version: 1;
  /** 'sha256:<hex>' of the cells' hashes: the same cells are the same sweep. */
  readonly id: string;
  readonly name: string;
  readonly store: StoreSpec;
  readonly cells: readonly QueuedCell[];
  /** ISO time of the first enqueue. */
  readonly created: string;
}

/** A cell's job: everything a worker on any machine needs to train it. */
export interface CellJobData extends QueuedCell {
  readonly sweep: string;
  readonly graph: Graph;
  readonly train: ResolvedTrainSpec;
  readonly loop: LoopSettings;
  readonly source: Record<string, unknown>;
  readonly store: StoreSpec;
}

/** What a finished cell's job returns. */
export interface CellJobResult {
  readonly status: string;
  readonly test_accuracy: number | null;
  readonly train_loss: number | null;
  readonly steps: number;
  readonly message: string | null;
}

export const jobIdOf = (hash: string): string => hash.replace(/^sha256:/, '');

/** The sweep's id: the hash of its cells' configuration hashes, in order. */
export function sweepIdOf(cells: readonly Pick<SweepCell, 'hash'>[]): string {
  return `sha256:${createHash('sha256').update(cells.map((c) => c.hash).join('\n')).digest('hex')}`;
}

/** The Redis key of the sweep record, beside BullMQ's keys of the queue. */
export const sweepRecordKey = (queue: Queue): string => queue.toKey('skipinit-sweep');

/** The sweep record the queue holds, or null. */
export async function readQueuedSweep(redis: Redis, queue: Queue): Promise<QueuedSweep | null> {
  const text = await redis.get(sweepRecordKey(queue));
  if (text === null) return null;
  let record: QueuedSweep;
  try {
    record = JSON.parse(text) as QueuedSweep;
  } catch (e) {
    throw new QueueError('queue/other-sweep', `the queue '${queue.name}' holds a record that is not valid JSON at ${sweepRecordKey(queue)} (${(e as Error).message})`);
  }
  if (record?.format !== QUEUED_SWEEP_FORMAT) throw new QueueError('queue/other-sweep', `the queue '${queue.name}' holds something that is not a skipinit sweep at ${sweepRecordKey(queue)}`);
  return record;
}

/** Stores `record` unless the queue holds one; returns what the queue holds afterwards. */
export async function claimQueue(redis: Redis, queue: Queue, record: QueuedSweep): Promise<QueuedSweep> {
  const set = await redis.set(sweepRecordKey(queue), JSON.stringify(record), 'NX');
  if (set === 'OK') return record;
  const held = await readQueuedSweep(redis, queue);
  if (held === null) return claimQueue(redis, queue, record); // removed in between
  return held;
}

export function cellJobData(sweep: string, cell: SweepCell, store: StoreSpec, source: Record<string, unknown>): CellJobData {
  return {
    sweep,
    index: cell.index,
    key: cell.key,
    hash: cell.hash,
    dir: cell.dir,
    graph: cell.graph,
    train: cell.train,
    loop: cell.loop,
    source: { ...source, cell: cell.index, key: cell.key },
    store,
  };
}
