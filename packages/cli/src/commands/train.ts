// skipinit train FILE: train the model of a spec file by its train section, into a run directory.
import { writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { resolveTrainSpec } from '@skipinit/graph';
import { claimRunDirectory, createRunDirectory, RUN_FILES, train } from '@skipinit/trainer';
import type { TrainCallbacks } from '@skipinit/trainer';
import { oneFile, parseCommandArgs, parseSets } from '../args';
import type { Command } from '../command';
import { docsUrl } from '../package-info';
import { EXIT, UsageError } from '../exit-codes';
import type { Io } from '../io';
import { backendLines, checkMode, checkThreads, makeEngine } from '../training/backend';
import { checkTrainingMemory, MemoryRefusal, modeOf } from '../training/memory-check';
import { reporter } from '../training/report';
import { compileSpec, specName } from '../spec-file';
import { combine, removeIfEmpty, runTraining } from '../training/run-command';
import { cliVersions } from '../training/versions';

const help = `usage: skipinit train FILE [--set name=value]... [--backend MODE] [--threads N] [--out DIR] [--json] [--verbose]

Examples:
  skipinit train examples/mnist-resnet-small.arch
  skipinit train examples/mnist-resnet-small.arch --set norm=none --set init=skipinit
  skipinit train examples/deep-mlp.arch --set steps=300 --set eval_every=100
  skipinit train examples/mnist-resnet-small.arch --json > events.jsonl
  skipinit resume runs/mnist_resnet_small/1          # after Ctrl-C or a crash

Trains the model of FILE by its train section: a run directory (runs/<model>/<n>/ by default) gets the spec,
config.json, metrics.jsonl, timing.jsonl, summary.json and the checkpoints last.safetensors and
best.safetensors. A progress bar on a terminal, one line per epoch and evaluation otherwise.

Flags:
  --set name=value      replace a let of the file or a training setting (lr, batch, epochs, steps, seed,
                        warmup, eval_every, ...); repeatable
  --backend MODE        auto (default: the best gpu.js mode here), webasm, cpu, headlessgl, webgpu, or
                        reference (the float64 oracle: exact, very slow); webgpu runs on the adapter Dawn
                        finds (without a GPU: Mesa's llvmpipe, a software renderer: correct, not fast;
                        auto takes webgpu only on a hardware adapter)
  --threads N|auto      threads that webasm kernels split across (default auto: one per core, at most 8;
                        results are the same for any count; on a busy machine --threads 1 can be faster)
  --out DIR             the run directory (default runs/<model name>/<n>, n the next free number)
  --runs DIR            where default run directories go (default runs)
  --checkpoint-every N  write last.safetensors every N steps (default: at every evaluation)
  --log-every N         write every Nth step's record to metrics.jsonl (default 1)
  --no-memory-check     train even when the memory estimate (in the run header: parameters, gradients,
                        optimizer state, activations, data) exceeds what this machine or backend offers
  --json                one JSON object per event on stdout (trainBegin, batchEnd, epochEnd, eval,
                        checkpoint, end); the last, {"type":"end",...}, has the final metrics, including
                        test_accuracy and diverged. Nothing else goes to stdout.
  --verbose             the backend's full selection report (every skipped mode's reason in full)
  -h, --help            show this help

Ctrl-C stops after the current step, saves a checkpoint and exits 130; a second Ctrl-C quits at once.

A tutorial that reproduces the paper: ${docsUrl('tutorial.md')}

Exit codes: 0 trained, 3 diverged (a NaN, infinite or exploding loss; the message says what to try and the
last finite checkpoint is kept), 130 interrupted, 64 usage (bad flag or --set), 65 errors in the spec or
the data, or a model that cannot fit in memory here (refused before anything is allocated), 66 missing
file, 69 backend unavailable here, 73 the --out directory already holds a run, 70 internal error.
`;

export interface TrainRunOptions {
  /** Stops the run as Ctrl-C does (tests, embedding); default: SIGINT. */
  readonly signal?: AbortSignal;
  /** More listeners, after the display. */
  readonly callbacks?: TrainCallbacks;
}

function positive(command: string, flag: string, value: unknown): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new UsageError(`--${flag} takes a whole number >= 1, got '${String(value)}'`, command);
  return n;
}

export async function runTrain(argv: string[], io: Io, options: TrainRunOptions = {}): Promise<number> {
  const { values, positionals } = parseCommandArgs('train', argv, {
    set: { type: 'string', multiple: true },
    backend: { type: 'string' },
    threads: { type: 'string' },
    out: { type: 'string' },
    runs: { type: 'string' },
    'checkpoint-every': { type: 'string' },
    'log-every': { type: 'string' },
    'no-memory-check': { type: 'boolean' },
    json: { type: 'boolean' },
    verbose: { type: 'boolean' },
    help: { type: 'boolean', short: 'h' },
  });
  if (values.help) {
    io.stdout.write(help);
    return EXIT.ok;
  }
  const file = oneFile('train', positionals);
  const name = specName(file);
  const mode = checkMode('train', (values.backend as string | undefined) ?? 'auto');
  const threads = checkThreads('train', values.threads as string | undefined, mode);
  const checkpointEvery = positive('train', 'checkpoint-every', values['checkpoint-every']);
  const logEvery = positive('train', 'log-every', values['log-every']);
  const sets = parseSets('train', values.set as string[] | undefined);
  const loaded = await compileSpec(io, 'train', file, sets);
  if (!loaded.ok) return loaded.code;
  const { source, result } = loaded.value;
  const graph = result.graph!;
  if (result.train === null) {
    io.stderr.write(`skipinit train: ${name} has no train section; add one, e.g.\n  train {\n    data mnist, batch=64\n    sgd lr=0.05, momentum=0.9\n    epochs 2\n  }\n`);
    return EXIT.spec;
  }
  const spec = resolveTrainSpec(result.train);
  const force = !!values['no-memory-check'];
  try {
    // before any engine, data or directory: a run that cannot fit is refused at once ('auto' is checked
    // as webasm here, and again against the mode it picks)
    checkTrainingMemory(graph, spec, mode === 'auto' ? 'webasm' : mode, force);
  } catch (error) {
    if (!(error instanceof MemoryRefusal)) throw error;
    io.stderr.write(`skipinit train: ${error.message}\n`);
    return EXIT.spec;
  }
  let dir: string;
  try {
    dir = values.out !== undefined ? claimRunDirectory(resolve(io.cwd, values.out as string)) : createRunDirectory(resolve(io.cwd, (values.runs as string | undefined) ?? 'runs'), graph.name);
  } catch (error) {
    io.stderr.write(`skipinit train: cannot use the run directory: ${(error as Error).message}\n`);
    return EXIT.cantCreate;
  }
  const json = !!values.json;
  return runTraining(
    io,
    'train',
    async (signal) => {
      const made = await makeEngine(mode, spec.seed, threads);
      try {
        const memory = checkTrainingMemory(graph, spec, modeOf(made.meta), force);
        const show = reporter(io, { json, backend: backendLines(made, !!values.verbose), memory, command: 'train', target: name });
        return await train({
          graph,
          train: spec,
          engine: made.engine,
          runDir: dir,
          signal,
          ...(checkpointEvery !== undefined ? { checkpointEvery } : {}),
          ...(logEvery !== undefined ? { logEvery } : {}),
          meta: { backend: { ...made.meta, description: made.description }, versions: cliVersions(), source: { file: name, overrides: sets, lets: result.lets } },
          callbacks: combine({ trainBegin: () => writeFileSync(join(dir, RUN_FILES.spec), source) }, show.callbacks, options.callbacks ?? {}),
        });
      } finally {
        made.engine.destroy();
      }
    },
    { ...(options.signal ? { signal: options.signal } : {}), cleanup: () => removeIfEmpty(dir) },
  );
}

export const trainCommand: Command = {
  name: 'train',
  summary: 'train the model of a spec file into a run directory (checkpoints, metrics, exact resume)',
  help,
  run: (argv, io) => runTrain(argv, io),
};
