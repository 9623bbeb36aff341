// Every cell of the sweep a queue holds, from its job (and, for a cell that was done before it was
// enqueued, from the store): done, running (on which worker, at which step), waiting, retrying after a
// crash, or failed with its error.
import type { Job, JobType, Queue } from 'bullmq';
import type { CellJobResult, QueuedSweep } from './queued-sweep';
import { jobIdOf } from './queued-sweep';
import { storedResult } from './store/cell-files';
import type { ObjectStore } from './store/object-store';

export type CellQueueState = 'done' | 'running' | 'waiting' | 'retrying' | 'failed' | 'not queued';

/** What a worker reports as a job's progress. */
export interface CellProgress {
  readonly worker: string;
  readonly step: number;
  readonly total_steps: number;
  readonly loss: number | null;
}

export interface CellStatusRow {
  readonly index: number;
  readonly key: string;
  readonly state: CellQueueState;
  /** The worker running it (running), or the one that finished it (done, failed). */
  readonly worker: string | null;
  readonly step: number | null;
  readonly totalSteps: number | null;
  /** Tries used up by crashes (a worker lost mid-cell does not use one). */
  readonly attempts: number;
  /** Times a worker started the cell (a lost worker's start counts here). */
  readonly starts: number;
  /** The last crash's error (retrying, failed). */
  readonly error: string | null;
  /** The run's result (done): completed or diverged, with its test accuracy. */
  readonly result: CellJobResult | null;
}

const STATES: readonly [JobType, CellQueueState][] = [
  ['completed', 'done'],
  ['failed', 'failed'],
  ['active', 'running'],
  ['waiting', 'waiting'],
  ['prioritized', 'waiting'],
  ['delayed', 'retrying'],
];

function rowOf(index: number, key: string, state: CellQueueState, job: Job): CellStatusRow {
  const progress = (typeof job.progress === 'object' && job.progress !== null ? job.progress : null) as CellProgress | null;
  // a job put back after its worker was stopped or lost waits again; a delayed job with no crash too
  const retrying = state === 'retrying' && job.attemptsMade === 0 ? 'waiting' : state;
  return {
    index,
    key,
    state: retrying,
    worker: state === 'running' ? (progress?.worker ?? job.processedBy ?? null) : (job.processedBy ?? null),
    step: state === 'running' || state === 'done' ? (progress?.step ?? null) : null,
    totalSteps: progress?.total_steps ?? null,
    // BullMQ counts a completed try in attemptsMade too
    attempts: state === 'done' ? Math.max(0, job.attemptsMade - 1) : job.attemptsMade,
    starts: job.attemptsStarted ?? 0,
    error: state === 'failed' || state === 'retrying' ? (job.failedReason ?? null) : null,
    result: state === 'done' ? ((job.returnvalue as CellJobResult | null) ?? null) : null,
  };
}

/** One row per cell of `sweep`, in its order. */
export async function sweepStatus(queue: Queue, sweep: QueuedSweep, store: ObjectStore | null): Promise<CellStatusRow[]> {
  const found = new Map<string, { state: CellQueueState; job: Job }>();
  for (const [type, state] of STATES) {
    const jobs = (await queue.getJobs(type, 0, -1)) as Job[];
    for (const job of jobs) if (job?.id !== undefined && !found.has(job.id)) found.set(job.id, { state, job });
  }
  const rows: CellStatusRow[] = [];
  for (const cell of sweep.cells) {
    const hit = found.get(jobIdOf(cell.hash));
    if (hit !== undefined) {
      rows.push(rowOf(cell.index, cell.key, hit.state, hit.job));
      continue;
    }
    const summary = store === null ? null : await storedResult(store, cell.dir, cell.hash);
    const result: CellJobResult | null =
      summary === null ? null : { status: summary.status, test_accuracy: summary.test_accuracy, train_loss: summary.train_loss, steps: summary.steps, message: summary.message };
    rows.push({ index: cell.index, key: cell.key, state: result ? 'done' : 'not queued', worker: null, step: result?.steps ?? null, totalSteps: summary?.total_steps ?? null, attempts: 0, starts: 0, error: null, result });
  }
  return rows;
}

/** Counts of each state, in a fixed order. */
export function stateCounts(rows: readonly CellStatusRow[]): Record<CellQueueState, number> {
  const counts: Record<CellQueueState, number> = { done: 0, running: 0, waiting: 0, retrying: 0, failed: 0, 'not queued': 0 };
  for (const r of rows) counts[r.state]++;
  return counts;
}

/** Every cell has an end: done or failed. */
export const sweepFinished = (rows: readonly CellStatusRow[]): boolean => rows.every((r) => r.state === 'done' || r.state === 'failed');
