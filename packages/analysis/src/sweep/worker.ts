// The worker process of a sweep: one training run per process. The parent writes one line of JSON (the
// CellTask) to the worker's stdin and keeps stdin open; the worker trains the cell in its run directory
// (or continues it from its checkpoint) with the trainer, and writes its progress as JSON lines on
// stdout. When stdin closes (the parent is gone, even killed) or on SIGINT/SIGTERM, the worker stops at
// the next step boundary, writes a checkpoint and exits 130, so a later sweep continues the cell exactly.
//
// Exit codes: 0 the run reached a result (completed or diverged), 130 interrupted, 75 the cell is locked
// by another live process, 1 an error (its message is the last stdout line, type 'error').
//
// With a CellSync (a queue worker's child, see @skipinit/queue), task.dir is a scratch copy of a run
// directory kept in a shared store: pulled before the run, pushed after every checkpoint and at the end.
import { closeSync, mkdirSync, openSync, rmSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import type { Graph, ResolvedTrainSpec } from '@skipinit/graph';
import type { Engine } from '@skipinit/tensor';
import type { CheckpointEvent, LoopSettings, TrainCallbacks, TrainEvent, TrainSummary } from '@skipinit/trainer';
import { readSummary, resumeRun, train } from '@skipinit/trainer';
import { clearUnstartedRun, lockHolder, LOCK_FILE, processAlive } from './cell-state';

export interface CellTask {
  /** The cell's run directory (absolute, or relative to the worker's working directory). */
  readonly dir: string;
  readonly graph: Graph;
  readonly train: ResolvedTrainSpec;
  readonly loop: LoopSettings;
  /** 'new' starts the run (removing a run that never reached its first checkpoint); 'resume' continues it. */
  readonly start: 'new' | 'resume';
  /** Recorded in config.json's source (spec file, sweep key). */
  readonly source?: Record<string, unknown>;
  /** Where the run directory also lives (a job queue's shared store): opaque here, read by WorkerOptions.sync. */
  readonly remote?: unknown;
}

/**
 * A copy of the cell's run directory kept elsewhere (the shared store of a job queue), which is the truth:
 * the worker's task.dir is a scratch copy. Before the run, `pull` fills task.dir and says how to start;
 * after every checkpoint and at the end, `push` copies the run's files back. Pushes stop when the parent
 * is gone (stdin closed: its lease on the cell may have passed to another worker), so an orphaned worker
 * never overwrites the store.
 */
export interface CellSync {
  /** Fills task.dir; 'done' when the copy already holds the cell's result (nothing to run). */
  pull(task: CellTask): Promise<'new' | 'resume' | 'done'>;
  /** Copies the run's files from task.dir: after a checkpoint ('checkpoint') or once the run ended ('end'). */
  push(task: CellTask, when: 'checkpoint' | 'end'): Promise<void>;
}

/** What a worker writes on stdout, one per line. */
export type WorkerMessage =
  | { readonly type: 'begin'; readonly step: number; readonly total_steps: number; readonly resumed: boolean; readonly backend: string }
  | { readonly type: 'progress'; readonly step: number; readonly total_steps: number; readonly loss: number }
  | { readonly type: 'eval'; readonly step: number; readonly accuracy: number; readonly loss: number }
  | { readonly type: 'end'; readonly status: string; readonly test_accuracy: number | null; readonly train_loss: number | null; readonly steps: number; readonly message: string | null }
  | { readonly type: 'error'; readonly message: string };

export const WORKER_EXIT = { done: 0, error: 1, locked: 75, interrupted: 130 } as const;

export interface WorkerOptions {
  /** Makes the engine to train on (the CLI: from --backend), given the task. */
  readonly createEngine: (task: CellTask) => Engine | Promise<Engine>;
  /** Recorded in config.json's backend (e.g. the gpu.js selection report). */
  readonly backendMeta?: (engine: Engine) => Record<string, unknown>;
  readonly stdin?: NodeJS.ReadableStream;
  readonly write?: (line: string) => void;
  /** Milliseconds between progress messages (default 1000). */
  readonly progressEveryMs?: number;
  /** The cell's copy elsewhere, given the task (a queue worker's store); none: task.dir is the run directory. */
  readonly sync?: (task: CellTask) => CellSync;
}

/** The task line of the input, and a way to stop listening to it. */
interface TaskInput {
  readonly task: Promise<CellTask>;
  /**
   * Stops reading the input and removes the listeners. A stream being read keeps the process's event loop
   * alive, and the parent keeps the pipe open until the worker exits: without this the worker never exits
   * on its own (only a launcher that calls process.exit hides it).
   */
  readonly release: () => void;
}

/** Reads the first line of `input` (the task), then calls `onClose` when the input ends, until released. */
function readTask(input: NodeJS.ReadableStream, onClose: () => void): TaskInput {
  let buffer = '';
  let done = false;
  let settle: { resolve: (t: CellTask) => void; reject: (e: Error) => void } | null = null;
  const task = new Promise<CellTask>((resolve, reject) => (settle = { resolve, reject }));
  const onData = (chunk: string | Buffer): void => {
    if (done) return;
    buffer += String(chunk);
    const nl = buffer.indexOf('\n');
    if (nl < 0) return;
    done = true;
    try {
      settle!.resolve(JSON.parse(buffer.slice(0, nl)) as CellTask);
    } catch (e) {
      settle!.reject(new Error(`the task line is not valid JSON (${(e as Error).message})`));
    }
  };
  const end = (): void => {
    if (!done) {
      done = true;
      settle!.reject(new Error('stdin closed before a task line arrived'));
    }
    onClose();
  };
  input.setEncoding?.('utf8');
  input.on('data', onData);
  input.on('end', end);
  input.on('close', end);
  input.on('error', end);
  const release = (): void => {
    input.off('data', onData);
    input.off('end', end);
    input.off('close', end);
    input.off('error', end);
    input.on('error', () => undefined); // a late EPIPE/ECONNRESET on a pipe nobody reads
    input.pause();
  };
  return { task, release };
}

/** Takes the cell's lock (O_EXCL); a lock left by a dead process is replaced. False: a live process holds it. */
function takeLock(dir: string): boolean {
  const path = join(dir, LOCK_FILE);
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(path, 'wx');
      writeSync(fd, `${process.pid}\n`);
      closeSync(fd);
      return true;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      const holder = lockHolder(dir);
      if (holder !== null && processAlive(holder)) return false;
      rmSync(path, { force: true });
    }
  }
  return false;
}

type Say = (m: WorkerMessage) => void;

interface TrainContext {
  readonly signal: AbortSignal;
  readonly say: Say;
  readonly options: WorkerOptions;
  readonly sync: CellSync | null;
  /** False once the parent is gone: no more pushes. */
  readonly pushing: () => boolean;
}

/** Trains (or continues) the cell in task.dir; pushes to `sync` after each checkpoint while `pushing()` says so. */
async function trainCell(task: CellTask, engine: Engine, { signal, say, options, sync, pushing }: TrainContext): Promise<TrainSummary> {
  const every = options.progressEveryMs ?? 1000;
  let lastProgress = -Infinity;
  const onEvent = (e: TrainEvent): void => {
    if (e.type === 'trainBegin') say({ type: 'begin', step: e.step, total_steps: e.total_steps, resumed: e.resumed, backend: engine.backend.mode });
    else if (e.type === 'batchEnd') {
      const now = performance.now();
      if (now - lastProgress >= every || e.step === e.total_steps) {
        lastProgress = now;
        say({ type: 'progress', step: e.step, total_steps: e.total_steps, loss: e.loss });
      }
    } else if (e.type === 'eval') say({ type: 'eval', step: e.step, accuracy: e.accuracy, loss: e.loss });
  };
  // best.safetensors is written just before last.safetensors of the same step: one push after 'last' has both.
  const callbacks: TrainCallbacks = {
    onEvent,
    ...(sync !== null ? { checkpoint: async (e: CheckpointEvent) => (e.kind === 'last' && pushing() ? sync.push(task, 'checkpoint') : undefined) } : {}),
  };
  const meta = { backend: options.backendMeta?.(engine) ?? {}, source: task.source ?? {} };
  if (task.start === 'resume') return resumeRun({ runDir: task.dir, engine, signal, callbacks, checkpointEvery: task.loop.checkpointEvery, meta });
  return train({
    graph: task.graph,
    train: task.train,
    engine,
    runDir: task.dir,
    signal,
    callbacks,
    logEvery: task.loop.logEvery,
    evalBatchSize: task.loop.evalBatchSize,
    checkpointEvery: task.loop.checkpointEvery,
    maxLoss: task.loop.maxLoss,
    meta,
  });
}

const endMessage = (summary: TrainSummary): WorkerMessage => ({
  type: 'end',
  status: summary.status,
  test_accuracy: summary.test_accuracy,
  train_loss: summary.train_loss,
  steps: summary.steps,
  message: summary.message,
});

/** Runs one cell as described above; resolves to the exit code. */
export async function runSweepWorker(options: WorkerOptions): Promise<number> {
  // When the parent dies, writing to its pipes fails (EPIPE, reported asynchronously as an 'error' event):
  // that must not kill the worker before it has saved its checkpoint, so such errors are swallowed.
  const ignore = (): void => undefined;
  if (options.write === undefined) {
    process.stdout.on('error', ignore);
    process.stderr.on('error', ignore);
  }
  const write = options.write ?? ((line: string) => void process.stdout.write(line));
  const say: Say = (m) => {
    try {
      write(`${JSON.stringify(m)}\n`);
    } catch {
      // the parent is gone; keep going to the checkpoint
    }
  };
  const controller = new AbortController();
  const stop = (): void => controller.abort();
  let parentGone = false;
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  let locked: string | null = null;
  let engine: Engine | null = null;
  const input = readTask(options.stdin ?? process.stdin, () => {
    parentGone = true;
    stop();
  });
  try {
    let task = await input.task;
    mkdirSync(task.dir, { recursive: true });
    if (!takeLock(task.dir)) {
      say({ type: 'error', message: `${task.dir} is being run by process ${lockHolder(task.dir)}` });
      return WORKER_EXIT.locked;
    }
    locked = task.dir;
    const sync = options.sync?.(task) ?? null;
    if (sync !== null) {
      const start = await sync.pull(task);
      if (start === 'done') {
        say(endMessage(readSummary(task.dir)!));
        return WORKER_EXIT.done;
      }
      task = { ...task, start };
    }
    if (task.start === 'new') clearUnstartedRun(task.dir);
    engine = await options.createEngine(task);
    const summary = await trainCell(task, engine, { signal: controller.signal, say, options, sync, pushing: () => !parentGone });
    if (sync !== null && !parentGone) await sync.push(task, 'end');
    say(endMessage(summary));
    return summary.status === 'interrupted' ? WORKER_EXIT.interrupted : WORKER_EXIT.done;
  } catch (e) {
    say({ type: 'error', message: e instanceof Error ? e.message : String(e) });
    return WORKER_EXIT.error;
  } finally {
    input.release();
    engine?.destroy();
    process.off('SIGINT', stop);
    process.off('SIGTERM', stop);
    process.stdout.off('error', ignore);
    process.stderr.off('error', ignore);
    if (locked !== null && lockHolder(locked) === process.pid) rmSync(join(locked, LOCK_FILE), { force: true });
  }
}
