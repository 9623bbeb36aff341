// The flags `skipinit sweep` takes for a queued sweep, their help lines, and their checks: kept here so the
// sweep command registers them in two lines.
import { resolve } from 'node:path';
import type { FlagSpec } from '../args';
import { UsageError } from '../exit-codes';
import { positiveInt } from '../analysis/display';

export const QUEUE_SWEEP_FLAGS: FlagSpec = {
  queue: { type: 'string' },
  store: { type: 'string' },
  wait: { type: 'boolean' },
  retries: { type: 'string' },
  backoff: { type: 'string' },
  'retry-failed': { type: 'boolean' },
};

export const QUEUE_SWEEP_USAGE = '[--queue redis://HOST:PORT [--store DIR] [--wait] [--retries N] [--backoff SECONDS] [--retry-failed]]';

export const QUEUE_SWEEP_HELP = `  --queue URL           enqueue the cells on Redis (redis://[:PASSWORD@]HOST:PORT[/DB][?queue=NAME]) for
                        'skipinit worker's on any machines, instead of running them here (the guide: distributed.md, linked below)
  --store DIR           with --queue: the directory every machine mounts, where the run directories and
                        the results go (default: the --out default)
  --wait                with --queue: watch every cell until all are done or failed, then write the results
  --retries N           with --queue: tries after a crash before a cell is marked failed (default 2)
  --backoff SECONDS     with --queue: the first retry's delay, doubling after each (default 10)
  --retry-failed        with --queue: give the cells that failed their tries again`;

export interface QueueSweepArgs {
  readonly queue: string;
  /** --store, absolute; null: the sweep's default directory. */
  readonly store: string | null;
  readonly wait: boolean;
  readonly attempts: number;
  readonly backoffMs: number;
  readonly retryFailed: boolean;
}

/** The queue flags' values, or null without --queue (then none of them may be given). */
export function queueSweepArgs(values: Record<string, unknown>, cwd: string): QueueSweepArgs | null {
  const given = Object.keys(QUEUE_SWEEP_FLAGS).filter((k) => values[k] !== undefined && k !== 'queue');
  if (values.queue === undefined) {
    if (given.length > 0) throw new UsageError(`--${given[0]} goes with --queue`, 'sweep');
    return null;
  }
  if (values.out !== undefined) throw new UsageError('with --queue the run directories and results go to the store: give --store DIR, not --out', 'sweep');
  if (values.parallel !== undefined) throw new UsageError("--parallel is for the local pool; with --queue, start more 'skipinit worker's", 'sweep');
  const backoff = values.backoff === undefined ? 10 : Number(values.backoff);
  if (!Number.isFinite(backoff) || backoff < 0) throw new UsageError(`--backoff takes seconds >= 0, got '${String(values.backoff)}'`, 'sweep');
  return {
    queue: String(values.queue),
    store: values.store === undefined ? null : resolve(cwd, String(values.store)),
    wait: values.wait === true,
    attempts: (positiveInt('sweep', 'retries', values.retries, 0) ?? 2) + 1,
    backoffMs: Math.round(backoff * 1000),
    retryFailed: values['retry-failed'] === true,
  };
}
