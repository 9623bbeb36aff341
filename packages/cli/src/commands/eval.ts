// skipinit eval RUN_DIR: evaluate a run's checkpoint on a split of its data.
import { join, resolve } from 'node:path';
import { evaluateRun, readRunConfig } from '@skipinit/trainer';
import type { EvalSplit } from '@skipinit/trainer';
import { parseCommandArgs } from '../args';
import type { Command } from '../command';
import { EXIT, UsageError } from '../exit-codes';
import type { Io } from '../io';
import { backendLines, checkMode, checkThreads, makeEngine } from '../training/backend';
import { expectedFailure } from '../training/failure';
import { count, loss, percent } from '../training/format';
import { shown } from '../training/run-command';

const help = `usage: skipinit eval RUN_DIR [--checkpoint best|last|FILE] [--data test|validation|train] [--json] [--verbose]

Examples:
  skipinit eval runs/mnist_resnet_small/1
  skipinit eval runs/mnist_resnet_small/1 --checkpoint last --data train
  skipinit eval runs/wrn/2 --data-path ~/data/cifar-10-batches-bin --json

Evaluates a run's checkpoint (best.safetensors by default, last.safetensors when there is no best) on a
split of the run's data set, prepared as in training (same normalisation, same validation split), in
evaluation mode: mean cross-entropy and accuracy.

Flags:
  --checkpoint WHICH  best (default), last, or the path of a checkpoint file of this run
  --data SPLIT        test (default), validation (when the recipe holds one out), or train
  --data-path DIR     read the data set's files from DIR instead of the recipe's path=
  --backend MODE      auto (default), webasm, cpu, headlessgl, webgpu (without a GPU: a
                      software renderer, correct, not fast), or reference
  --threads N|auto    threads that webasm kernels split across (default auto: one per core)
  --batch N           examples per forward pass (default: the run's evaluation batch)
  --json              print the result as one JSON object on stdout
  --verbose           the backend's full selection report (every skipped mode's reason in full)
  -h, --help          show this help

Exit codes: 0 ok, 64 usage, 65 corrupt checkpoint or bad data, 66 missing run directory, checkpoint or
data file, 69 backend unavailable here, 70 internal error.
`;

const SPLITS: readonly EvalSplit[] = ['test', 'validation', 'train'];

export async function runEval(argv: string[], io: Io): Promise<number> {
  const { values, positionals } = parseCommandArgs('eval', argv, {
    checkpoint: { type: 'string' },
    data: { type: 'string' },
    'data-path': { type: 'string' },
    backend: { type: 'string' },
    threads: { type: 'string' },
    batch: { type: 'string' },
    json: { type: 'boolean' },
    verbose: { type: 'boolean' },
    help: { type: 'boolean', short: 'h' },
  });
  if (values.help) {
    io.stdout.write(help);
    return EXIT.ok;
  }
  if (positionals.length !== 1) throw new UsageError(positionals.length === 0 ? 'missing RUN_DIR (a run directory, such as runs/mnist_resnet_small/1)' : `expected one RUN_DIR, got ${positionals.length}`, 'eval');
  const split = (values.data as string | undefined) ?? 'test';
  if (!(SPLITS as readonly string[]).includes(split)) throw new UsageError(`--data must be one of ${SPLITS.join(', ')}, got '${split}'`, 'eval');
  let batchSize: number | undefined;
  if (values.batch !== undefined) {
    batchSize = Number(values.batch);
    if (!Number.isInteger(batchSize) || batchSize < 1) throw new UsageError(`--batch takes a whole number >= 1, got '${String(values.batch)}'`, 'eval');
  }
  const mode = checkMode('eval', (values.backend as string | undefined) ?? 'auto');
  const threads = checkThreads('eval', values.threads as string | undefined, mode);
  const dir = resolve(io.cwd, positionals[0]);
  const which = values.checkpoint as string | undefined;
  if (which !== undefined && which !== 'best' && which !== 'last' && !/[/\\]|\.safetensors$/.test(which)) {
    throw new UsageError(`--checkpoint takes best, last, or the path of a checkpoint file (such as ${join('runs', 'NAME', '1', 'last.safetensors')}), got '${which}'`, 'eval');
  }
  const checkpoint = which === undefined || which === 'best' || which === 'last' ? which : resolve(io.cwd, which);
  try {
    const config = readRunConfig(dir);
    const made = await makeEngine(mode, config.seed, threads);
    try {
      const r = await evaluateRun({
        runDir: dir,
        engine: made.engine,
        split: split as EvalSplit,
        ...(checkpoint !== undefined ? { checkpoint } : {}),
        ...(values['data-path'] !== undefined ? { dataPath: resolve(io.cwd, values['data-path'] as string) } : {}),
        ...(batchSize !== undefined ? { batchSize } : {}),
      });
      if (values.json) {
        const record = { type: 'eval', run_dir: dir, checkpoint: r.checkpoint, step: r.step, split: r.split, loss: Number.isFinite(r.loss) ? r.loss : null, accuracy: r.accuracy, correct: r.correct, examples: r.examples, backend: made.engine.backend.mode };
        io.stdout.write(`${JSON.stringify(record)}\n`);
      } else {
        io.stdout.write(`${r.split} accuracy ${percent(r.accuracy)} (${count(r.correct)}/${count(r.examples)}), loss ${loss(r.loss)}\n`);
        const [head, ...skipped] = backendLines(made, !!values.verbose);
        io.stdout.write(`  checkpoint ${shown(io, r.checkpoint)} (step ${r.step}); model ${config.name}; backend ${head}\n`);
        for (const l of skipped) io.stdout.write(`    ${l}\n`);
      }
      return EXIT.ok;
    } finally {
      made.engine.destroy();
    }
  } catch (error) {
    const known = expectedFailure(error);
    if (known === null) throw error;
    io.stderr.write(`skipinit eval: ${known.message}\n`);
    return known.code;
  }
}

export const evalCommand: Command = {
  name: 'eval',
  summary: "evaluate a run's checkpoint (best or last) on its test, validation or training split",
  help,
  run: (argv, io) => runEval(argv, io),
};
