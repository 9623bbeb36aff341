// skipinit resume RUN_DIR: continue an interrupted or crashed run from its last checkpoint, exactly.
import { resolve } from 'node:path';
import { readRunConfig, resumeRun } from '@skipinit/trainer';
import { parseCommandArgs } from '../args';
import type { Command } from '../command';
import { EXIT, UsageError } from '../exit-codes';
import type { Io } from '../io';
import { BackendUnavailableError, backendLines, checkMode, checkThreads, makeEngine } from '../training/backend';
import type { BackendMode } from '../training/backend';
import { checkTrainingMemory, modeOf } from '../training/memory-check';
import { reporter } from '../training/report';
import { runTraining } from '../training/run-command';
import { cliVersions } from '../training/versions';

const help = `usage: skipinit resume RUN_DIR [--backend MODE] [--threads N] [--checkpoint-every N] [--json] [--verbose]

Examples:
  skipinit resume runs/mnist_resnet_small/1
  skipinit resume runs/deep_mlp/3 --json > more-events.jsonl

Continues a run from RUN_DIR/last.safetensors with the configuration in RUN_DIR/config.json. Everything
random (data order, augmentation, dropout) is restored with it, so the resumed run's losses equal, step for
step, those of a run that was never interrupted; metrics.jsonl is first cut back to what the checkpoint
covers. Resuming a finished run only repeats its final evaluation.

Flags:
  --backend MODE        the mode to continue on (default: the one the run started on; another mode
                        continues the run but not bit for bit)
  --threads N|auto      threads that webasm kernels split across (default auto: one per core, at most 8;
                        results are the same for any count; on a busy machine --threads 1 can be faster)
  --checkpoint-every N  write last.safetensors every N steps (default: the run's setting)
  --no-memory-check     continue even when the memory estimate exceeds what this machine offers
  --json                one JSON object per event on stdout, as skipinit train --json
  --verbose             the backend's full selection report (every skipped mode's reason in full)
  -h, --help            show this help

Exit codes: 0 trained, 3 diverged, 130 interrupted again, 64 usage, 65 corrupt checkpoint or data (or a
model that cannot fit in memory here), 66 RUN_DIR is not a run directory or has no checkpoint, 69 backend
unavailable here, 70 internal error.
`;

export async function runResume(argv: string[], io: Io, options: { signal?: AbortSignal } = {}): Promise<number> {
  const { values, positionals } = parseCommandArgs('resume', argv, {
    backend: { type: 'string' },
    threads: { type: 'string' },
    'checkpoint-every': { type: 'string' },
    'no-memory-check': { type: 'boolean' },
    json: { type: 'boolean' },
    verbose: { type: 'boolean' },
    help: { type: 'boolean', short: 'h' },
  });
  if (values.help) {
    io.stdout.write(help);
    return EXIT.ok;
  }
  if (positionals.length !== 1) throw new UsageError(positionals.length === 0 ? 'missing RUN_DIR (a run directory, such as runs/mnist_resnet_small/1)' : `expected one RUN_DIR, got ${positionals.length}`, 'resume');
  const given = positionals[0];
  const dir = resolve(io.cwd, given);
  const every = values['checkpoint-every'];
  let checkpointEvery: number | undefined;
  if (every !== undefined) {
    checkpointEvery = Number(every);
    if (!Number.isInteger(checkpointEvery) || checkpointEvery < 1) throw new UsageError(`--checkpoint-every takes a whole number >= 1, got '${String(every)}'`, 'resume');
  }
  const requested = values.backend === undefined ? undefined : checkMode('resume', values.backend as string);
  const threads = checkThreads('resume', values.threads as string | undefined, requested ?? 'auto');
  const json = !!values.json;
  return runTraining(
    io,
    'resume',
    async (signal) => {
      const config = readRunConfig(dir);
      const m = String(config.backend.mode ?? 'auto');
      const recorded: BackendMode = m === 'reference' ? 'reference' : ((['webasm', 'cpu', 'headlessgl', 'webgpu'] as const).find((x) => x === m) ?? 'auto');
      let made: Awaited<ReturnType<typeof makeEngine>>;
      try {
        made = await makeEngine(requested ?? recorded, config.seed, threads);
      } catch (error) {
        if (error instanceof BackendUnavailableError && requested === undefined) {
          throw new BackendUnavailableError(`${error.message} (the run started on '${m}'; continue on another mode with --backend)`);
        }
        throw error;
      }
      try {
        const memory = checkTrainingMemory(config.graph, config.train, modeOf(made.meta), !!values['no-memory-check']);
        const show = reporter(io, { json, backend: backendLines(made, !!values.verbose), memory, command: 'resume', target: given });
        return await resumeRun({
          runDir: dir,
          engine: made.engine,
          signal,
          callbacks: show.callbacks,
          ...(checkpointEvery !== undefined ? { checkpointEvery } : {}),
          meta: { backend: { ...made.meta, description: made.description }, versions: cliVersions() },
        });
      } finally {
        made.engine.destroy();
      }
    },
    options.signal ? { signal: options.signal } : {},
  );
}

export const resumeCommand: Command = {
  name: 'resume',
  summary: 'continue a run from its last checkpoint (same losses as an uninterrupted run)',
  help,
  run: (argv, io) => runResume(argv, io),
};
