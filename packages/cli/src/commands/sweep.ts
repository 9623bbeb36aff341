// skipinit sweep FILE: every cell of the spec's sweep block as its own resumable training run, in a local
// pool of worker processes, then the results table, the derived tables and the plots.
// `skipinit sweep --worker` is the worker process itself: it reads one cell task on stdin (see
// @skipinit/analysis's worker.ts) and is started by the sweep, not by people.
import { basename, resolve } from 'node:path';
import type { SweepCell as PlannedCell, SweepCellInput, SweepEvent, SweepLoop, SweepRun, WorkerCommand } from '@skipinit/analysis/node';
import { AnalysisError, DEFAULT_SWEEP_LOOP, planSweep, runSweep, runSweepWorker, sweepAscii, sweepFiles, sweepReport, sweepText, writeOutputFiles } from '@skipinit/analysis/node';
import { cellOverrides, compile } from '@skipinit/dsl';
import { expandSweep, GraphError, resolveTrainSpec } from '@skipinit/graph';
import type { SweepSpec, TrainSpec } from '@skipinit/graph';
import { oneFile, parseCommandArgs, parseSets } from '../args';
import type { Command } from '../command';
import { EXIT } from '../exit-codes';
import type { Io } from '../io';
import { compileSpec, printProblems } from '../spec-file';
import type { BackendMode, Threads } from '../training/backend';
import { checkMode, checkThreads, makeEngine, threadsPerWorker } from '../training/backend';
import { EXIT_INTERRUPTED, interruptSignal } from '../training/failure';
import { shown } from '../training/run-command';
import { positiveInt } from '../analysis/display';
import { sweepDisplay } from '../analysis/sweep-display';
import { defaultSweepDir, otherSweepIn } from '../analysis/sweep-dir';
import { QUEUE_EXIT_HELP } from '../queue/queue-exit';
import { QUEUE_SWEEP_FLAGS, QUEUE_SWEEP_HELP, QUEUE_SWEEP_USAGE, queueSweepArgs } from '../queue/sweep-flags';
import { docsUrl } from '../package-info';

/** Some cells are run by another live process (EX_TEMPFAIL: run the sweep again later). */
export const EXIT_CELLS_BUSY = 75;

const help = `usage: skipinit sweep FILE [--set name=value]... [--parallel N] [--out DIR] [--backend MODE] [--threads N]
                      [--checkpoint-every N] [--json] [--ascii]
                      ${QUEUE_SWEEP_USAGE}

Examples:
  skipinit sweep examples/mnist-resnet-small.arch --parallel 2
  skipinit sweep examples/deep-mlp.arch --set depth=100 --set steps=300 --out runs/sweeps/deep-mlp-100
  skipinit sweep examples/mnist-resnet-small.arch --json > sweep-events.jsonl
  skipinit plot runs/sweeps/deep-mlp-100 --ascii      # the tables and plots again, from the saved results
  skipinit sweep examples/mnist-resnet-small.arch --queue redis://queue-host:6379 --store /shared/sweeps/resnet --wait

Runs every cell of the spec's sweep block (one per combination of the axes' values) as its own training
run, at most N at a time, each in a worker process. A cell's run directory is keyed by the hash of its
resolved configuration (DIR/cells/<hash>/), so running the same sweep again skips the finished cells and
continues the interrupted ones from their last checkpoint, exactly. At the end DIR/results/ holds:
  results.csv, results.md     per cell: its settings, final and best test accuracy, final training loss,
                              diverged or not
  by-batch.csv, by-batch.md   per batch size: each scheme's optimal and largest stable learning rate
  by-depth.csv, by-depth.md   per depth: each scheme's accuracy at its optimal learning rate
  accuracy-vs-lr, lr-vs-batch, curves (.svg, .png, .vl.json)
A scheme is a cell's values on the axes other than lr, batch, seed and depth. Beyond one machine, hand
the same cells to a job queue with --queue (each is resumable and keyed by its hash; ${docsUrl('distributed.md')}).

Flags:
  --set name=value      replace a let of the file or a training setting for every cell; repeatable
  --parallel N          worker processes at a time (default 1; they share the cores out, see --threads)
  --out DIR             the sweep directory (default runs/<model name>-sweep, followed by the --set
                        overrides: runs/lr_batch-sweep-norm=bn-init=plain); a directory that holds
                        another sweep (another spec file or other overrides) is refused, exit 73
  --backend MODE        the workers' engine: auto (default), webasm, cpu, headlessgl, webgpu
                        (without a GPU: a software renderer, correct, not fast), or reference
  --threads N|auto      threads per worker for webasm kernels (default auto: the cores shared out
                        among the --parallel workers, at least 1 each)
  --checkpoint-every N  each run writes last.safetensors every N steps (default: at every evaluation)
  --json                one JSON object per event on stdout (plan, cellStart, cellMessage, cellEnd), then
                        {"type":"sweepEnd",...} with every cell's result; nothing else on stdout
  --ascii               also print test accuracy against learning rate as terminal charts
${QUEUE_SWEEP_HELP}
  --worker              internal: be one worker process (reads a cell task on stdin)
  -h, --help            show this help

Ctrl-C stops every worker after its current step with a checkpoint; run the same command to continue.

Exit codes: 0 every cell has a result (a diverged run is a result), 130 interrupted, 64 usage, 65 errors
in the spec (or no sweep/train section), 66 missing file, 69 backend unavailable, 70 some cells failed
(their errors are printed; each cell's worker.log has the rest), 73 DIR cannot be written or holds another sweep, 75 some cells
are being run by another process. With --queue: 0 enqueued (with --wait: every cell has a result), 70 some
cells failed, 130 stopped watching,
${QUEUE_EXIT_HELP}.
`;

export interface SweepRunOptions {
  /** How to start a worker (default: this program again, `skipinit sweep --worker`). */
  readonly worker?: WorkerCommand;
  /** Stops the sweep as Ctrl-C does (tests). */
  readonly signal?: AbortSignal;
}

/** This program again, as a worker: the same node, node flags and script. */
function selfWorker(backend: BackendMode, threads: number): WorkerCommand {
  return { command: process.execPath, args: [...process.execArgv, process.argv[1], 'sweep', '--worker', '--backend', backend, '--threads', String(threads)] };
}

async function runWorker(backend: BackendMode, threads: Threads): Promise<number> {
  return runSweepWorker({
    createEngine: async (task) => {
      const made = await makeEngine(backend, task.train.seed, threads);
      return made.engine;
    },
    backendMeta: (engine) => ({ mode: engine.backend.mode }),
  });
}

export async function runSweepCli(argv: string[], io: Io, options: SweepRunOptions = {}): Promise<number> {
  const { values, positionals } = parseCommandArgs('sweep', argv, {
    set: { type: 'string', multiple: true },
    parallel: { type: 'string' },
    out: { type: 'string' },
    backend: { type: 'string' },
    threads: { type: 'string' },
    'checkpoint-every': { type: 'string' },
    json: { type: 'boolean' },
    ascii: { type: 'boolean' },
    worker: { type: 'boolean' },
    help: { type: 'boolean', short: 'h' },
    ...QUEUE_SWEEP_FLAGS,
  });
  if (values.help) {
    io.stdout.write(help);
    return EXIT.ok;
  }
  const backend = checkMode('sweep', (values.backend as string | undefined) ?? 'auto');
  const threads = checkThreads('sweep', values.threads as string | undefined, backend);
  if (values.worker) return runWorker(backend, threads);
  const file = oneFile('sweep', positionals);
  const queued = queueSweepArgs(values, io.cwd);
  const parallel = positiveInt('sweep', 'parallel', values.parallel) ?? 1;
  const checkpointEvery = positiveInt('sweep', 'checkpoint-every', values['checkpoint-every']);
  const sets = parseSets('sweep', values.set as string[] | undefined);
  const json = !!values.json;
  const loaded = await compileSpec(io, 'sweep', file, sets);
  if (!loaded.ok) return loaded.code;
  const { source, result } = loaded.value;
  if (result.sweep === null || result.train === null) {
    io.stderr.write(`skipinit sweep: ${file} has no ${result.train === null ? 'train' : 'sweep'} section; a sweep needs both, e.g.\n  sweep {\n    init = [skipinit, plain]\n    lr = [0.01, 0.1]\n  }\n`);
    return EXIT.spec;
  }

  const loop = { ...DEFAULT_SWEEP_LOOP, ...(checkpointEvery !== undefined ? { checkpointEvery } : {}) };
  const cells = planCells(io, file, source, result.sweep, result.train, sets, loop);
  if (typeof cells === 'number') return cells;
  const dir = resolve(io.cwd, (values.out as string | undefined) ?? defaultSweepDir(result.graph!.name, sets));
  const axes = result.sweep.axes.map((a) => ({ name: a.name, values: a.values }));
  const name = `${basename(file)}${Object.keys(sets).length ? ` (${Object.entries(sets).map(([k, v]) => `${k}=${v}`).join(', ')})` : ''}`;
  if (queued !== null) {
    const { runQueuedSweep } = await import('../queue/queued-sweep'); // BullMQ and ioredis load only for a queued sweep
    return runQueuedSweep(io, { ...queued, store: queued.store ?? dir, json, ascii: !!values.ascii, name, axes, cells, loop, source: { file, overrides: sets }, ...(options.signal ? { signal: options.signal } : {}) });
  }
  const other = otherSweepIn(dir, name);
  if (other !== null) {
    io.stderr.write(`skipinit sweep: ${shown(io, dir)} holds another sweep, ${other}; this one is ${name}. Give it a directory of its own with --out DIR (or remove ${shown(io, dir)})\n`);
    return EXIT.cantCreate;
  }
  const display = sweepDisplay(io, { json, total: cells.length, dir: shown(io, dir) });
  const sigint = options.signal ? null : interruptSignal(io);
  let run: SweepRun;
  try {
    run = await runSweep({
      dir,
      name,
      axes,
      cells,
      loop,
      parallel,
      worker: options.worker ?? selfWorker(backend, threadsPerWorker(threads, parallel)),
      source: { file, overrides: sets },
      signal: options.signal ?? sigint!.signal,
      onEvent: (e: SweepEvent) => display.event(e),
    });
  } catch (error) {
    if (!(error instanceof AnalysisError) && (error as NodeJS.ErrnoException).code === undefined) throw error;
    io.stderr.write(`skipinit sweep: ${(error as Error).message}\n`);
    return error instanceof AnalysisError ? EXIT.spec : EXIT.cantCreate;
  } finally {
    sigint?.dispose();
  }

  return finish(io, dir, run, { json, ascii: !!values.ascii });
}

/** Every cell compiled with its values (its own graph and resolved recipe), then planned; an exit code where one does not compile. */
function planCells(io: Io, file: string, source: string, sweep: SweepSpec, train: TrainSpec, sets: Record<string, string>, loop: SweepLoop): PlannedCell[] | number {
  try {
    const inputs: SweepCellInput[] = expandSweep(sweep, train).map((cell) => {
      const c = compile(source, { file, overrides: { ...sets, ...cellOverrides(cell) }, checkSweep: false });
      if (c.errors.length > 0 || c.graph === null || c.train === null) {
        printProblems(io, c.errors, c.sources);
        throw new AnalysisError(`sweep cell ${cell.index} (${cell.key}) does not compile`);
      }
      return { index: cell.index, key: cell.key, values: cell.values, graph: c.graph, train: resolveTrainSpec(c.train) };
    });
    return planSweep(inputs, loop);
  } catch (error) {
    if (!(error instanceof AnalysisError) && !(error instanceof GraphError)) throw error;
    io.stderr.write(`skipinit sweep: ${file}: ${error.message}\n`);
    return EXIT.spec;
  }
}

/** The tables and plots of a finished (or interrupted) sweep, what it prints, and its exit code. */
async function finish(io: Io, dir: string, run: SweepRun, o: { json: boolean; ascii: boolean }): Promise<number> {
  const report = sweepReport(dir);
  try {
    writeOutputFiles(dir, await sweepFiles(dir, report));
  } catch (error) {
    io.stderr.write(`skipinit sweep: cannot write the results to ${shown(io, dir)}: ${(error as Error).message}\n`);
    return EXIT.cantCreate;
  }
  if (o.json) {
    io.stdout.write(`${JSON.stringify({ type: 'sweepEnd', dir, complete: run.complete, interrupted: run.interrupted, cells: run.cells, results: report.results })}\n`);
  } else {
    io.stdout.write(`\n${sweepText(report)}`);
    if (o.ascii) io.stdout.write(`\n${sweepAscii(report)}`);
    io.stderr.write(`results, tables and plots in ${shown(io, dir)}/results/\n`);
  }
  const failed = run.cells.filter((c) => c.outcome === 'failed' || c.outcome === 'locked');
  for (const c of failed) io.stderr.write(`skipinit sweep: cell ${c.index} (${c.key}) failed: ${c.error ?? 'no message'}\n`);
  if (run.interrupted) return EXIT_INTERRUPTED;
  if (failed.length > 0) return EXIT.internal;
  if (run.cells.some((c) => c.outcome === 'running')) return EXIT_CELLS_BUSY;
  return EXIT.ok;
}

export const sweepCommand: Command = {
  name: 'sweep',
  summary: "run every cell of the spec's sweep in worker processes (resumable), then tables and plots",
  help,
  run: (argv, io) => runSweepCli(argv, io),
};
