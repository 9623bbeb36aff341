// skipinit worker --queue URL: takes the cells of a queued sweep (skipinit sweep FILE --queue URL) one at a
// time and trains each in a child process, on any number of machines; the run directories live in the
// store the sweep named (or --store, where this machine mounts it). `skipinit worker --cell` is that child
// (it reads one cell task on stdin) and is started by the worker, not by people.
import { hostname, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { runSweepWorker } from '@skipinit/analysis/node';
import type { RedisTarget } from '@skipinit/queue';
import { parseCommandArgs } from '../args';
import type { Command } from '../command';
import { EXIT, UsageError } from '../exit-codes';
import type { Io } from '../io';
import { queueFailure } from '../queue/queue-exit';
import type { BackendMode, Threads } from '../training/backend';
import { checkMode, checkThreads, makeEngine } from '../training/backend';
import { EXIT_INTERRUPTED } from '../training/failure';
import { removeIfEmpty } from '../training/run-command';
import { docsUrl } from '../package-info';

const help = `usage: skipinit worker --queue redis://HOST:PORT[/DB][?queue=NAME] [--store DIR] [--threads N|auto]
                       [--backend MODE] [--work DIR] [--stall-timeout SECONDS] [--json]

Examples:
  skipinit worker --queue redis://queue-host:6379
  skipinit worker --queue redis://:PASSWORD@queue-host:6379 --store /mnt/shared/sweeps/resnet --threads 4

Takes the cells of the sweep on the queue (enqueued by 'skipinit sweep FILE --queue URL'), one at a time,
and trains each in a child process, so that training never holds up the job's lock renewal. Each run
directory lives in the store, a directory every machine mounts: the child trains in a local copy under
--work, and writes its checkpoint to the store after every checkpoint and its result at the end. Run one
worker per machine (or several, each with --threads), as many machines as you like; see ${docsUrl('distributed.md')}.

When a worker dies mid-cell (kill -9, a lost machine), its lock on the cell expires and another worker
takes the cell and resumes it from its last checkpoint in the store, exactly. A crash of the training
process is retried with backoff, then the cell is marked failed with its error; a diverged run is a result.
If Redis goes away, the worker says so and keeps retrying until it is back.

Flags:
  --queue URL              the queue (as given to skipinit sweep --queue)
  --store DIR              where this machine mounts the store (default: the directory the sweep gave)
  --threads N|auto         threads of the webasm engine for each cell (default auto: one per core)
  --backend MODE           auto (default), webasm, cpu, headlessgl, webgpu (without a GPU:
                           a software renderer, correct, not fast), or reference
  --work DIR               scratch space for the cell being trained (default: a directory in $TMPDIR)
  --stall-timeout SECONDS  how long a cell's lock lasts without renewal (default 30); a dead worker's cell
                           returns to the queue after about twice this. Give every worker the same value
  --json                   one JSON object per event on stdout instead of lines on stderr
  --cell                   internal: be the child process of one cell (reads its task on stdin)
  -h, --help               show this help

SIGTERM or Ctrl-C: the cell being trained saves a checkpoint to the store and goes back to the queue, then
the worker exits (130). Exit codes: 130 stopped, 64 usage (or a bad --queue URL), 69 Redis unreachable or
the backend unavailable, 77 Redis refused the password, 73 --store cannot be written.
`;

// The queue (BullMQ, ioredis) loads when a worker starts, not with every command (about 0.6 s).
const queue = () => import('@skipinit/queue');

async function runCell(backend: BackendMode, threads: Threads): Promise<number> {
  const { storeCellSync } = await queue();
  return runSweepWorker({
    createEngine: async (task) => (await makeEngine(backend, task.train.seed, threads)).engine,
    backendMeta: (engine) => ({ mode: engine.backend.mode }),
    sync: storeCellSync,
  });
}

/** SIGINT and SIGTERM stop the worker (the cell goes back); a second Ctrl-C quits at once. */
function stopSignal(io: Io): { signal: AbortSignal; dispose: () => void } {
  const controller = new AbortController();
  const onSignal = (name: string) => (): void => {
    if (controller.signal.aborted) {
      if (name === 'SIGINT') process.exit(EXIT_INTERRUPTED);
      return;
    }
    io.stderr.write(`skipinit worker: ${name}: saving the current cell's checkpoint and giving it back to the queue\n`);
    controller.abort();
  };
  const int = onSignal('SIGINT');
  const term = onSignal('SIGTERM');
  process.on('SIGINT', int);
  process.on('SIGTERM', term);
  return { signal: controller.signal, dispose: () => void (process.off('SIGINT', int), process.off('SIGTERM', term)) };
}

function stallMs(value: unknown): number | undefined {
  if (value === undefined) return undefined;
  const s = Number(value);
  if (!Number.isFinite(s) || s < 1) throw new UsageError(`--stall-timeout takes seconds >= 1, got '${String(value)}'`, 'worker');
  return Math.round(s * 1000);
}

export async function runWorkerCli(argv: string[], io: Io, options: { signal?: AbortSignal } = {}): Promise<number> {
  const { values, positionals } = parseCommandArgs('worker', argv, {
    queue: { type: 'string' },
    store: { type: 'string' },
    threads: { type: 'string' },
    backend: { type: 'string' },
    work: { type: 'string' },
    'stall-timeout': { type: 'string' },
    json: { type: 'boolean' },
    cell: { type: 'boolean' },
    help: { type: 'boolean', short: 'h' },
  });
  if (values.help) {
    io.stdout.write(help);
    return EXIT.ok;
  }
  if (positionals.length > 0) throw new UsageError(`unexpected argument '${positionals[0]}' (the worker takes its cells from --queue)`, 'worker');
  const backend = checkMode('worker', (values.backend as string | undefined) ?? 'auto');
  const threads = checkThreads('worker', values.threads as string | undefined, backend);
  if (values.cell) return runCell(backend, threads);
  if (values.queue === undefined) throw new UsageError('missing --queue redis://HOST:PORT (the queue the sweep was enqueued on)', 'worker');
  const stall = stallMs(values['stall-timeout']);
  const [{ parseRedisUrl, runQueueWorker }, { workerDisplay }] = await Promise.all([queue(), import('../queue/queue-display')]);
  let target: RedisTarget;
  try {
    target = parseRedisUrl(String(values.queue));
  } catch (e) {
    throw new UsageError((e as Error).message, 'worker');
  }
  const name = `${hostname()}:${process.pid}`;
  const workDir = resolve(io.cwd, (values.work as string | undefined) ?? join(tmpdir(), `skipinit-worker-${process.pid}`));
  const stop = options.signal ? { signal: options.signal, dispose: () => undefined } : stopSignal(io);
  try {
    await runQueueWorker({
      target,
      name,
      cell: { command: process.execPath, args: [...process.execArgv, process.argv[1], 'worker', '--cell', '--backend', backend, '--threads', String(threads)] },
      workDir,
      ...(values.store !== undefined ? { store: { kind: 'dir' as const, root: resolve(io.cwd, String(values.store)) } } : {}),
      ...(stall !== undefined ? { stallMs: stall } : {}),
      signal: stop.signal,
      onEvent: workerDisplay(io, !!values.json),
    });
  } catch (e) {
    const f = queueFailure(e);
    if (f === null) throw e;
    io.stderr.write(`skipinit worker: ${f.message}\n`);
    return f.code;
  } finally {
    stop.dispose();
    removeIfEmpty(workDir);
  }
  return EXIT_INTERRUPTED;
}

export const workerCommand: Command = {
  name: 'worker',
  summary: 'take the cells of a queued sweep (sweep --queue) and train them, on any number of machines',
  help,
  run: (argv, io) => runWorkerCli(argv, io),
};
