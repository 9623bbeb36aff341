// Running a planned sweep in a local pool of worker processes: write the manifest, look at every cell's
// run directory (cell-state.ts), skip the finished ones and the ones another live process runs, and give
// the rest to the pool: new cells start, interrupted ones continue from their checkpoint. Interrupting
// the sweep (the signal) stops every worker at its next step with a checkpoint, so running the same sweep
// again picks up exactly where it stopped.
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { writeFileAtomic } from '@skipinit/trainer';
import type { CellState } from './cell-state';
import { cellState, WORKER_LOG } from './cell-state';
import type { SweepAxisInfo, SweepCell, SweepLoop } from './plan';
import { SWEEP_FILES, sweepManifest } from './plan';
import type { JobOutcome } from './pool';
import { runPool } from './pool';
import type { CellTask, WorkerMessage } from './worker';
import { WORKER_EXIT } from './worker';

/** How to start one worker process: it is given a CellTask line on stdin (see worker.ts). */
export interface WorkerCommand {
  readonly command: string;
  readonly args: readonly string[];
  readonly env?: NodeJS.ProcessEnv;
}

export type CellOutcome = 'done' | 'interrupted' | 'failed' | 'locked' | 'skipped' | 'running';

export type SweepEvent =
  | { readonly type: 'plan'; readonly dir: string; readonly cells: number; readonly states: Readonly<Record<CellState, number>> }
  | { readonly type: 'cellStart'; readonly index: number; readonly key: string; readonly state: CellState }
  | { readonly type: 'cellMessage'; readonly index: number; readonly key: string; readonly message: WorkerMessage | { type: 'text'; text: string } }
  | { readonly type: 'cellEnd'; readonly index: number; readonly key: string; readonly outcome: CellOutcome; readonly error: string | null };

export interface RunSweepOptions {
  /** The sweep directory (made if missing). */
  readonly dir: string;
  readonly name: string;
  readonly axes: readonly SweepAxisInfo[];
  readonly cells: readonly SweepCell[];
  readonly loop: SweepLoop;
  /** Worker processes at a time (default 1). */
  readonly parallel?: number;
  readonly worker: WorkerCommand;
  /** Recorded in sweep.json and each run's config.json. */
  readonly source?: Record<string, unknown> | null;
  readonly signal?: AbortSignal;
  readonly onEvent?: (e: SweepEvent) => void;
  /** Milliseconds a worker may take to checkpoint and exit when stopped (default 60000). */
  readonly graceMs?: number;
}

export interface SweepRun {
  /** Each cell's state before this invocation and what happened to it. */
  readonly cells: readonly { readonly index: number; readonly key: string; readonly before: CellState; readonly outcome: CellOutcome; readonly error: string | null }[];
  /** Every cell has a final result (completed or diverged). */
  readonly complete: boolean;
  readonly interrupted: boolean;
}

function outcomeOf(o: JobOutcome): CellOutcome {
  if (!o.started && o.error === null) return 'skipped';
  if (o.code === WORKER_EXIT.done) return 'done';
  if (o.code === WORKER_EXIT.interrupted) return 'interrupted';
  if (o.code === WORKER_EXIT.locked) return 'locked';
  return 'failed';
}

export async function runSweep(options: RunSweepOptions): Promise<SweepRun> {
  const dir = resolve(options.dir);
  mkdirSync(join(dir, SWEEP_FILES.cells), { recursive: true });
  const manifest = sweepManifest(options.name, options.axes, options.cells, options.loop, options.source ?? null);
  writeFileAtomic(join(dir, SWEEP_FILES.manifest), Buffer.from(`${JSON.stringify(manifest, null, 2)}\n`));
  const states = options.cells.map((c) => cellState(join(dir, c.dir), c.hash));
  const counts: Record<CellState, number> = { new: 0, restart: 0, resume: 0, done: 0, running: 0 };
  for (const s of states) counts[s]++;
  options.onEvent?.({ type: 'plan', dir, cells: options.cells.length, states: counts });

  const todo = options.cells.map((c, i) => ({ c, state: states[i] })).filter(({ state }) => state !== 'done' && state !== 'running');
  const byId = new Map(todo.map(({ c, state }) => [String(c.index), { c, state }]));
  const reported = new Map<string, string>();
  const jobs = todo.map(({ c, state }) => {
    const cellDir = join(dir, c.dir);
    mkdirSync(cellDir, { recursive: true });
    const task: CellTask = {
      dir: cellDir,
      graph: c.graph,
      train: c.train,
      loop: c.loop,
      start: state === 'resume' ? 'resume' : 'new',
      source: { ...(options.source ?? {}), sweep: dir, cell: c.index, key: c.key },
    };
    return {
      id: String(c.index),
      command: options.worker.command,
      args: options.worker.args,
      input: JSON.stringify(task),
      ...(options.worker.env ? { env: options.worker.env } : {}),
      logPath: join(cellDir, WORKER_LOG),
    };
  });
  const outcomes = await runPool(jobs, {
    parallel: options.parallel ?? 1,
    ...(options.signal ? { signal: options.signal } : {}),
    ...(options.graceMs !== undefined ? { graceMs: options.graceMs } : {}),
    onStart: (id) => {
      const { c, state } = byId.get(id)!;
      options.onEvent?.({ type: 'cellStart', index: c.index, key: c.key, state });
    },
    onMessage: (id, message) => {
      const { c } = byId.get(id)!;
      const m = message as WorkerMessage;
      if (m?.type === 'error') reported.set(id, m.message);
      options.onEvent?.({ type: 'cellMessage', index: c.index, key: c.key, message: m });
    },
    onExit: (o) => {
      const { c } = byId.get(o.id)!;
      options.onEvent?.({ type: 'cellEnd', index: c.index, key: c.key, outcome: outcomeOf(o), error: reported.get(o.id) ?? o.error });
    },
  });
  const result = new Map(outcomes.map((o) => [o.id, o]));
  const cells = options.cells.map((c, i) => {
    const o = result.get(String(c.index));
    const outcome: CellOutcome = o ? outcomeOf(o) : states[i] === 'running' ? 'running' : 'done';
    return { index: c.index, key: c.key, before: states[i], outcome, error: o ? (reported.get(o.id) ?? o.error) : null };
  });
  return { cells, complete: cells.every((c) => c.outcome === 'done'), interrupted: options.signal?.aborted === true };
}
