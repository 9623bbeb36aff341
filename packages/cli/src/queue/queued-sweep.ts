// skipinit sweep FILE --queue URL: the sweep's cells as jobs on a BullMQ queue for `skipinit worker`s on
// any number of machines, with the run directories in a shared store. With --wait it watches the cells
// until every one has an end and then writes the same results, tables and plots as the local sweep.
import type { SweepAxisInfo, SweepCell, SweepLoop } from '@skipinit/analysis';
import { sweepAscii, sweepFiles, sweepManifest, sweepReport, sweepText, writeOutputFiles } from '@skipinit/analysis/node';
import type { CellStatusRow, EnqueueResult, QueueHandle, RedisTarget } from '@skipinit/queue';
import { changedRows, DirStore, enqueueSweep, openQueue, parseRedisUrl, probeRedis, waitForSweep } from '@skipinit/queue';
import { EXIT } from '../exit-codes';
import type { Io } from '../io';
import { EXIT_INTERRUPTED } from '../training/failure';
import { stateText } from './queue-display';
import { queueFailure } from './queue-exit';

export interface QueuedSweepOptions {
  readonly queue: string;
  /** The store: a directory every machine mounts (absolute). */
  readonly store: string;
  readonly wait: boolean;
  readonly json: boolean;
  readonly ascii: boolean;
  readonly attempts: number;
  readonly backoffMs: number;
  readonly retryFailed: boolean;
  readonly name: string;
  readonly axes: readonly SweepAxisInfo[];
  readonly cells: readonly SweepCell[];
  readonly loop: SweepLoop;
  readonly source: Record<string, unknown>;
  /** Stops watching (Ctrl-C; tests). */
  readonly signal?: AbortSignal;
  readonly pollMs?: number;
}

function enqueuedText(r: EnqueueResult, target: RedisTarget, store: string): string {
  const counts = new Map<string, number>();
  for (const c of r.cells) counts.set(c.as, (counts.get(c.as) ?? 0) + 1);
  const words: Record<string, string> = { added: 'enqueued', done: 'done (in the store)', retried: 'failed, retried', completed: 'done', active: 'running', waiting: 'waiting', delayed: 'waiting to retry', failed: 'failed', prioritized: 'waiting' };
  const parts = [...counts].map(([as, n]) => `${n} ${words[as] ?? as}`);
  return `skipinit sweep: ${r.cells.length} cell${r.cells.length === 1 ? '' : 's'} on queue '${target.queue}' at ${target.shown}, store ${store}: ${parts.join(', ')}\n`;
}

function nextSteps(target: RedisTarget, o: QueuedSweepOptions): string {
  return `Train them with 'skipinit worker --queue ${target.shown}' on each machine (the store ${o.store} mounted on all);
watch with 'skipinit status --queue ${target.shown}'; the same command with --wait writes the results when all are done.
`;
}

/** Ctrl-C stops watching (the workers go on); a test's signal does the same. */
function watchSignal(io: Io, given: AbortSignal | undefined): { signal: AbortSignal; dispose: () => void } {
  if (given !== undefined) return { signal: given, dispose: () => undefined };
  const controller = new AbortController();
  const onSigint = (): void => {
    io.stderr.write('\nskipinit sweep: stopped watching; the workers carry on (run the same command to watch again)\n');
    controller.abort();
  };
  process.on('SIGINT', onSigint);
  return { signal: controller.signal, dispose: () => void process.off('SIGINT', onSigint) };
}

export async function runQueuedSweep(io: Io, o: QueuedSweepOptions): Promise<number> {
  let target: RedisTarget;
  const store = new DirStore(o.store);
  try {
    target = parseRedisUrl(o.queue);
    await probeRedis(target);
    await store.check();
  } catch (e) {
    const f = queueFailure(e);
    if (f === null) throw e;
    io.stderr.write(`skipinit sweep: ${f.message}\n`);
    return f.code;
  }
  const say = (t: string): void => (o.json ? io.stdout.write(`${JSON.stringify({ type: 'message', text: t })}\n`) : io.stderr.write(`skipinit sweep: ${t}\n`));
  const handle = openQueue(target, { onDown: (m) => say(`lost Redis (${m}): retrying until it is back`), onUp: () => say('Redis is back'), onWarning: (m) => say(`warning: ${m}`) });
  const { redis, queue } = handle;
  const watch = watchSignal(io, o.signal);
  try {
    const manifest = sweepManifest(o.name, o.axes, o.cells, o.loop, o.source);
    const enqueue = (): Promise<EnqueueResult> =>
      enqueueSweep({ redis, queue, store, manifest, cells: o.cells, attempts: o.attempts, backoffMs: o.backoffMs, retryFailed: o.retryFailed, shown: target.shown });
    const enqueued = await enqueue();
    if (o.json) io.stdout.write(`${JSON.stringify({ type: 'enqueued', queue: target.queue, redis: target.shown, store: o.store, sweep: enqueued.sweep.id, cells: enqueued.cells })}\n`);
    else io.stderr.write(enqueuedText(enqueued, target, o.store));
    if (!o.wait) {
      if (!o.json) io.stderr.write(nextSteps(target, o));
      return EXIT.ok;
    }
    return await waitAndReport(io, o, { redis, queue, store, enqueued, enqueue, signal: watch.signal, say });
  } catch (e) {
    const f = queueFailure(e);
    if (f === null) throw e;
    io.stderr.write(`skipinit sweep: ${f.message}\n`);
    return f.code;
  } finally {
    watch.dispose();
    await handle.close();
  }
}

interface Watching {
  readonly redis: QueueHandle['redis'];
  readonly queue: QueueHandle['queue'];
  readonly store: DirStore;
  readonly enqueued: EnqueueResult;
  readonly enqueue: () => Promise<EnqueueResult>;
  readonly signal: AbortSignal;
  readonly say: (t: string) => void;
}

async function waitAndReport(io: Io, o: QueuedSweepOptions, w: Watching): Promise<number> {
  let before: CellStatusRow[] | null = null;
  const width = String(o.cells.length).length;
  const result = await waitForSweep({
    redis: w.redis,
    queue: w.queue,
    sweep: w.enqueued.sweep,
    store: w.store,
    signal: w.signal,
    ...(o.pollMs !== undefined ? { pollMs: o.pollMs } : {}),
    requeue: async () => {
      w.say('the queue lost this sweep (Redis restarted without its data?): enqueueing it again; finished cells are in the store');
      await w.enqueue();
    },
    onPoll: (rows) => {
      for (const r of changedRows(before, rows)) {
        if (o.json) io.stdout.write(`${JSON.stringify({ type: 'cell', ...r })}\n`);
        else io.stderr.write(`[${String(r.index + 1).padStart(width)}/${rows.length}] ${r.key}: ${stateText(r)}\n`);
      }
      before = [...rows];
    },
  });
  if (result.interrupted) return EXIT_INTERRUPTED;
  const dir = w.store.localRoot;
  const report = sweepReport(dir);
  try {
    writeOutputFiles(dir, await sweepFiles(dir, report));
  } catch (error) {
    io.stderr.write(`skipinit sweep: cannot write the results to ${dir}: ${(error as Error).message}\n`);
    return EXIT.cantCreate;
  }
  const failed = result.rows.filter((r) => r.state === 'failed');
  if (o.json) io.stdout.write(`${JSON.stringify({ type: 'sweepEnd', dir, cells: result.rows, results: report.results })}\n`);
  else {
    io.stdout.write(`\n${sweepText(report)}`);
    if (o.ascii) io.stdout.write(`\n${sweepAscii(report)}`);
    io.stderr.write(`results, tables and plots in ${dir}/results/\n`);
  }
  for (const r of failed) io.stderr.write(`skipinit sweep: cell ${r.index} (${r.key}) failed after ${r.attempts} tries: ${r.error ?? 'no message'}\n`);
  return failed.length > 0 ? EXIT.internal : EXIT.ok;
}
