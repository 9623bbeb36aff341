// skipinit status --queue URL: every cell of the sweep on the queue: done (with its result), running (on
// which worker, at which step), waiting, waiting to retry after a crash, or failed with its error.
import type { CellStatusRow } from '@skipinit/queue';
import type { openQueue } from '@skipinit/queue';
import { existsSync } from 'node:fs';
import { parseCommandArgs } from '../args';
import type { Command } from '../command';
import { EXIT, UsageError } from '../exit-codes';
import type { Io } from '../io';
import { queueFailure } from '../queue/queue-exit';

const help = `usage: skipinit status --queue redis://HOST:PORT[/DB][?queue=NAME] [--json] [--forget]

Examples:
  skipinit status --queue redis://queue-host:6379
  watch -n 10 skipinit status --queue redis://queue-host:6379
  skipinit status --queue redis://queue-host:6379 --json | jq '.cells[] | select(.state == "failed")'
  skipinit status --queue redis://queue-host:6379 --forget    # take a finished sweep off the queue

Shows every cell of the sweep on the queue (enqueued by 'skipinit sweep FILE --queue URL'): done with its
result (completed or diverged, and the test accuracy), running on which worker at which step, waiting,
waiting to retry after a crash (with the error), or failed after its tries (with the error).

Flags:
  --queue URL   the queue
  --json        {"sweep":..., "cells":[...]} on stdout
  --forget      take the sweep off the queue once no cell is running or waiting (its results stay in its
                store); the queue can then take another sweep
  -h, --help    show this help

Exit codes: 0 ok, 66 the queue holds no sweep, 64 a bad --queue URL, 69 Redis unreachable, 77 Redis refused
the password, 75 --forget while cells are still running or waiting.
`;

export async function runStatusCli(argv: string[], io: Io): Promise<number> {
  const { values, positionals } = parseCommandArgs('status', argv, { queue: { type: 'string' }, json: { type: 'boolean' }, forget: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } });
  if (values.help) {
    io.stdout.write(help);
    return EXIT.ok;
  }
  if (positionals.length > 0) throw new UsageError(`unexpected argument '${positionals[0]}'`, 'status');
  if (values.queue === undefined) throw new UsageError('missing --queue redis://HOST:PORT', 'status');
  // the queue (BullMQ, ioredis: about 0.6 s) loads here, not with every command
  const [{ DirStore, forgetSweep, openQueue: open, parseRedisUrl, probeRedis, QueueError, readQueuedSweep, sweepStatus }, { statusText }] = await Promise.all([import('@skipinit/queue'), import('../queue/queue-display')]);
  let handle: ReturnType<typeof openQueue> | null = null;
  try {
    const target = parseRedisUrl(String(values.queue));
    await probeRedis(target);
    handle = open(target);
    const sweep = await readQueuedSweep(handle.redis, handle.queue);
    if (sweep === null) throw new QueueError('queue/no-sweep', `the queue '${target.queue}' at ${target.shown} holds no sweep (enqueue one with skipinit sweep FILE --queue ${target.shown})`);
    if (values.forget) {
      await forgetSweep(handle.redis, handle.queue);
      io.stderr.write(`skipinit status: took the sweep ${sweep.name} off the queue '${target.queue}'; its results stay in ${sweep.store.root}\n`);
      return EXIT.ok;
    }
    // the store as the sweep named it, where this machine sees it (cells done before they were enqueued)
    const store = existsSync(sweep.store.root) ? new DirStore(sweep.store.root) : null;
    const rows: CellStatusRow[] = await sweepStatus(handle.queue, sweep, store);
    if (values.json) io.stdout.write(`${JSON.stringify({ sweep: { id: sweep.id, name: sweep.name, store: sweep.store, created: sweep.created }, cells: rows })}\n`);
    else io.stdout.write(`# ${sweep.name} on queue '${target.queue}' at ${target.shown} (store ${sweep.store.root})\n\n${statusText(rows)}`);
    return EXIT.ok;
  } catch (e) {
    const f = queueFailure(e);
    if (f === null) throw e;
    io.stderr.write(`skipinit status: ${f.message}\n`);
    return f.code;
  } finally {
    await handle?.close();
  }
}

export const statusCommand: Command = {
  name: 'status',
  summary: 'every cell of the sweep on a queue: done, running (where, which step), waiting or failed',
  help,
  run: (argv, io) => runStatusCli(argv, io),
};
