// Where a sweep cell's run directory stands, from its files (the trainer's run layout):
//
//   new        no config.json: the run has not started (or never wrote anything)
//   restart    config.json but no last.safetensors and no final summary: it stopped before its first
//              checkpoint, so it starts again from scratch (its partial logs are removed first)
//   resume     a last.safetensors and no final summary (or one saying 'interrupted'): continue it exactly
//   done       summary.json says 'completed' or 'diverged': a final result, skipped
//   running    another live process holds the cell's lock (worker.lock): left alone
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { TrainSummary } from '@skipinit/trainer';
import { readSummary, RUN_FILES } from '@skipinit/trainer';
import { AnalysisError } from '../errors';

export type CellState = 'new' | 'restart' | 'resume' | 'done' | 'running';

export const LOCK_FILE = 'worker.lock';
export const WORKER_LOG = 'worker.log';

/** Whether process `pid` is alive (signal 0 checks without sending anything). */
export function processAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** The pid in a cell's lock file, or null (no lock, or an unreadable one). */
export function lockHolder(dir: string): number | null {
  try {
    const pid = Number.parseInt(readFileSync(join(dir, LOCK_FILE), 'utf8'), 10);
    return Number.isInteger(pid) ? pid : null;
  } catch {
    return null;
  }
}

function summaryOf(dir: string): TrainSummary | null {
  try {
    return readSummary(dir);
  } catch (e) {
    throw new AnalysisError(`${join(dir, RUN_FILES.summary)}: not valid JSON (${(e as Error).message})`);
  }
}

/** The state of the run directory `dir` of a cell whose configuration hash is `hash`. */
export function cellState(dir: string, hash: string): CellState {
  const holder = lockHolder(dir);
  if (holder !== null && holder !== process.pid && processAlive(holder)) return 'running';
  const configPath = join(dir, RUN_FILES.config);
  if (!existsSync(configPath)) return 'new';
  let stored: string | undefined;
  try {
    stored = (JSON.parse(readFileSync(configPath, 'utf8')) as { configHash?: string }).configHash;
  } catch (e) {
    throw new AnalysisError(`${configPath}: not valid JSON (${(e as Error).message}); remove the directory to run the cell again`);
  }
  if (stored !== hash)
    throw new AnalysisError(`${dir} holds a run of another configuration (hash ${String(stored)}, the cell's ${hash}); remove the directory to run the cell again`);
  const summary = summaryOf(dir);
  if (summary !== null && (summary.status === 'completed' || summary.status === 'diverged')) return 'done';
  return existsSync(join(dir, RUN_FILES.last)) ? 'resume' : 'restart';
}

/** Removes what a run wrote before its first checkpoint, so it can start again in the same directory. */
export function clearUnstartedRun(dir: string): void {
  for (const f of [RUN_FILES.config, RUN_FILES.metrics, RUN_FILES.timing, RUN_FILES.summary, RUN_FILES.best]) rmSync(join(dir, f), { force: true });
}
