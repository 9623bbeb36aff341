// A queue worker: takes cells from the queue one at a time and trains each in a child process
// (cell-process.ts), reporting progress (step, loss, which worker) on the job. Run it on any number of
// machines. What happens on each failure:
//
//   the child crashes           the job fails this try; BullMQ retries it with exponential backoff, then
//                               marks it failed with the error (a diverged run is a result, not a crash)
//   this worker dies (kill -9)  its lock on the job expires; another worker's stalled check puts the job
//                               back, and whoever takes it resumes from the last checkpoint in the store
//   the lock is lost anyway     (Redis lost it, a long pause) the child is orphaned: it stops without
//                               writing to the store, where another worker may own the cell now
//   Redis goes away             the worker says so once, keeps retrying, and carries on when it is back
//   stop (SIGTERM, Ctrl-C)      the child checkpoints and pushes, the job goes back to the queue, exit
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import type { CellTask, WorkerCommand, WorkerMessage } from '@skipinit/analysis/node';
import { WORKER_EXIT, WORKER_LOG } from '@skipinit/analysis/node';
import type { Job } from 'bullmq';
import { WaitingError, Worker } from 'bullmq';
import type { CellProcess } from './cell-process';
import { startCell } from './cell-process';
import type { CellRemote } from './cell-sync';
import { isConnectionLoss, openRedis, probeRedis } from './connection';
import type { CellJobData, CellJobResult } from './queued-sweep';
import type { RedisTarget } from './redis-url';
import type { CellProgress } from './sweep-status';
import type { StoreSpec } from './store/object-store';
import { openStore } from './store/open-store';

export interface QueueWorkerOptions {
  readonly target: RedisTarget;
  /** How to start a cell's child process (the CLI: `skipinit worker --cell ...`); it is given a CellTask. */
  readonly cell: WorkerCommand;
  /** Scratch space for the cells' local copies. */
  readonly workDir: string;
  /** This worker's name, shown by status (e.g. host:pid). */
  readonly name: string;
  /** The store on this machine, when it is mounted elsewhere than where the sweep said. */
  readonly store?: StoreSpec;
  /** A worker's lock on its cell lasts this long without renewal (default 30000 ms); a lost worker's cell returns after about twice this. */
  readonly stallMs?: number;
  /** Stops the worker: the running cell checkpoints and goes back to the queue. */
  readonly signal?: AbortSignal;
  readonly onEvent?: (e: QueueWorkerEvent) => void;
}

interface CellRef {
  readonly index: number;
  readonly key: string;
}

export type QueueWorkerEvent =
  | { readonly type: 'ready'; readonly worker: string; readonly queue: string; readonly redis: string; readonly version: string }
  | (CellRef & { readonly type: 'cellStart'; readonly attempt: number; readonly pid: number | undefined })
  | (CellRef & { readonly type: 'cellMessage'; readonly message: WorkerMessage })
  | (CellRef & { readonly type: 'cellDone'; readonly result: CellJobResult })
  | (CellRef & { readonly type: 'cellCrashed'; readonly error: string; readonly attempt: number; readonly attempts: number; readonly retryInMs: number | null })
  | (CellRef & { readonly type: 'cellGivenBack' })
  | (CellRef & { readonly type: 'cellLost' })
  | { readonly type: 'stalled'; readonly jobId: string }
  | { readonly type: 'redisDown'; readonly message: string }
  | { readonly type: 'redisUp' }
  | { readonly type: 'warning'; readonly message: string }
  | { readonly type: 'stopped'; readonly cells: number };

/** Times a cell may lose its worker before it is marked failed (BullMQ's maxStalledCount). */
export const MAX_STALLS = 3;

interface Active {
  readonly job: Job<CellJobData>;
  readonly child: CellProcess;
  lost: boolean;
  givenBack: boolean;
}

function crashMessage(exit: { code: number | null; signal: string | null; error: string | null; stderr: string }): string {
  if (exit.error !== null) return exit.error;
  const tail = exit.stderr.trim().split('\n').slice(-5).join('\n');
  return `the cell process ${exit.signal !== null ? `was killed by ${exit.signal}` : `exited with code ${exit.code}`}${tail ? `: ${tail}` : ''}`;
}

/** Appends the child's stderr to the cell's worker.log in the store (one section per try). */
async function saveLog(store: StoreSpec, dir: string, header: string, stderr: string): Promise<void> {
  const s = openStore(store);
  const key = `${dir}/${WORKER_LOG}`;
  const old = (await s.get(key)) ?? Buffer.alloc(0);
  const text = `--- ${header}\n${stderr}${stderr === '' || stderr.endsWith('\n') ? '' : '\n'}`;
  await s.put(key, Buffer.concat([old, Buffer.from(text)]));
}

interface WorkerState {
  active: Active | null;
  stopping: boolean;
  cells: number;
}

type Emit = (e: QueueWorkerEvent) => void;

/** The BullMQ processor: one cell in a child process, its outcome as the job's result or error. */
function cellProcessor(o: QueueWorkerOptions, emit: Emit, state: WorkerState) {
  return async (job: Job<CellJobData>, token?: string): Promise<CellJobResult> => {
    const d = job.data;
    const ref = { index: d.index, key: d.key };
    const store = o.store ?? d.store;
    const dir = join(o.workDir, d.dir.replaceAll('/', '-'));
    const remote: CellRemote = { store, key: d.dir, hash: d.hash };
    const task: CellTask = { dir, graph: d.graph, train: d.train, loop: d.loop, start: 'new', source: d.source, remote };
    const attempt = job.attemptsMade + 1;
    state.cells++;
    const child = startCell(o.cell, task, (message) => {
      emit({ ...ref, type: 'cellMessage', message });
      if (message.type === 'begin' || message.type === 'progress') {
        const progress: CellProgress = { worker: o.name, step: message.step, total_steps: message.total_steps, loss: message.type === 'progress' ? message.loss : null };
        job.updateProgress(progress as never).catch(() => undefined); // Redis away: the next one will do
      }
    });
    const a: Active = { job, child, lost: false, givenBack: false };
    state.active = a;
    emit({ ...ref, type: 'cellStart', attempt, pid: child.pid });
    if (state.stopping) {
      a.givenBack = true;
      child.stop();
    }
    const exit = await child.exit;
    state.active = null;
    rmSync(dir, { recursive: true, force: true });
    await saveLog(store, d.dir, `${o.name}, try ${attempt}, ${new Date().toISOString()}, exit ${exit.signal ?? exit.code}`, exit.stderr).catch((e: Error) =>
      emit({ type: 'warning', message: `cell ${d.index}: could not save its worker.log to the store: ${e.message}` }),
    );
    if (a.lost) {
      emit({ ...ref, type: 'cellLost' });
      throw new Error(`${o.name} lost its lock on the cell; another worker continues it`);
    }
    if (exit.code === WORKER_EXIT.interrupted || (a.givenBack && exit.code !== WORKER_EXIT.done)) {
      await job.moveToWait(token);
      emit({ ...ref, type: 'cellGivenBack' });
      throw new WaitingError();
    }
    if (exit.code === WORKER_EXIT.done && exit.end !== null) {
      const result: CellJobResult = { status: exit.end.status, test_accuracy: exit.end.test_accuracy, train_loss: exit.end.train_loss, steps: exit.end.steps, message: exit.end.message };
      emit({ ...ref, type: 'cellDone', result });
      return result;
    }
    const error = crashMessage(exit);
    const attempts = job.opts.attempts ?? 1;
    const delay = typeof job.opts.backoff === 'object' ? (job.opts.backoff.delay ?? 0) : (job.opts.backoff ?? 0);
    emit({ ...ref, type: 'cellCrashed', error, attempt, attempts, retryInMs: attempt < attempts ? delay * 2 ** (attempt - 1) : null });
    throw new Error(error);
  };
}

/** Runs until `signal` stops it; resolves with the number of cells it took. Throws QueueError when Redis cannot be used at the start. */
export async function runQueueWorker(o: QueueWorkerOptions): Promise<{ cells: number }> {
  const emit: Emit = (e) => o.onEvent?.(e);
  const { version } = await probeRedis(o.target);
  if (o.store !== undefined) await openStore(o.store).check();
  const stallMs = o.stallMs ?? 30_000;
  const state: WorkerState = { active: null, stopping: false, cells: 0 };
  const connection = openRedis(o.target, { onDown: (message) => emit({ type: 'redisDown', message }), onUp: () => emit({ type: 'redisUp' }) });
  const worker = new Worker<CellJobData, CellJobResult>(o.target.queue, cellProcessor(o, emit, state), {
    connection,
    name: o.name,
    concurrency: 1,
    lockDuration: stallMs,
    stalledInterval: Math.max(500, Math.round(stallMs / 2)),
    maxStalledCount: MAX_STALLS,
    autorun: false,
  });
  worker.on('lockRenewalFailed', (ids) => {
    const a = state.active;
    if (a === null || !ids.includes(String(a.job.id))) return;
    a.lost = true;
    a.child.orphan();
  });
  worker.on('stalled', (jobId) => emit({ type: 'stalled', jobId }));
  worker.on('error', (e) => {
    if (!isConnectionLoss(e) && !/could not renew lock/.test(e.message)) emit({ type: 'warning', message: e.message });
  });
  const stopped = new Promise<void>((resolve) => {
    const stop = (): void => {
      state.stopping = true;
      if (state.active !== null) {
        state.active.givenBack = true;
        state.active.child.stop();
      }
      resolve();
    };
    if (o.signal?.aborted) stop();
    else o.signal?.addEventListener('abort', stop, { once: true });
  });
  const running = worker.run();
  emit({ type: 'ready', worker: o.name, queue: o.target.queue, redis: o.target.shown, version });
  await stopped;
  await worker.close();
  await running;
  await connection.quit().catch(() => connection.disconnect());
  emit({ type: 'stopped', cells: state.cells });
  return { cells: state.cells };
}
