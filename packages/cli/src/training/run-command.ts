// What train and resume share: running the loop with the display, Ctrl-C, and the mapping from how the
// run ended (or failed) to the exit code.
import { readdirSync, rmdirSync } from 'node:fs';
import { relative } from 'node:path';
import type { TrainCallbacks, TrainSummary } from '@skipinit/trainer';
import { EXIT } from '../exit-codes';
import type { Io } from '../io';
import { EXIT_DIVERGED, EXIT_INTERRUPTED, expectedFailure, interruptSignal } from './failure';

/** A path for people: relative to the working directory when it lies inside it. */
export function shown(io: Io, path: string): string {
  const r = relative(io.cwd, path);
  return r === '' ? '.' : r.startsWith('..') ? path : r;
}

export function exitCodeOf(summary: TrainSummary): number {
  return summary.status === 'completed' ? EXIT.ok : summary.status === 'diverged' ? EXIT_DIVERGED : EXIT_INTERRUPTED;
}

/** Joins callback sets: each event goes to every set's hooks in order. */
export function combine(...sets: TrainCallbacks[]): TrainCallbacks {
  return {
    onEvent: async (e) => {
      for (const s of sets) {
        const hook = s[e.type] as ((x: typeof e) => void | Promise<void>) | undefined;
        if (hook) await hook(e);
        if (s.onEvent) await s.onEvent(e);
      }
    },
  };
}

/**
 * Runs `body` with a Ctrl-C signal; returns its exit code, or the exit code of an expected failure after
 * printing it. `cleanup` runs on failure (e.g. to remove a run directory that stayed empty).
 */
export async function runTraining(
  io: Io,
  command: string,
  body: (signal: AbortSignal) => Promise<TrainSummary>,
  options: { signal?: AbortSignal; cleanup?: () => void } = {},
): Promise<number> {
  const sigint = options.signal ? null : interruptSignal(io);
  const signal = options.signal ?? sigint!.signal;
  try {
    return exitCodeOf(await body(signal));
  } catch (error) {
    options.cleanup?.();
    const known = expectedFailure(error);
    if (known === null) throw error;
    io.stderr.write(`skipinit ${command}: ${known.message}\n`);
    return known.code;
  } finally {
    sigint?.dispose();
  }
}

/** Removes `dir` if nothing was written in it. */
export function removeIfEmpty(dir: string): void {
  try {
    if (readdirSync(dir).length === 0) rmdirSync(dir);
  } catch {
    // not there, or not empty: leave it
  }
}
