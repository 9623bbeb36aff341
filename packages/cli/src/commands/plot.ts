// skipinit plot DIR: the plots (and tables) again, from saved results: a sweep directory, a training run
// directory, or the output directory of `skipinit analyze --out`.
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { OutputFile, SignalFile } from '@skipinit/analysis/node';
import { AnalysisError, runAscii, runFiles, SIGNAL_FORMAT, signalAscii, signalFiles, SWEEP_FILES, sweepAscii, sweepFiles, sweepReport, sweepText, writeOutputFiles } from '@skipinit/analysis/node';
import { RUN_FILES } from '@skipinit/trainer';
import { parseCommandArgs } from '../args';
import type { Command } from '../command';
import { EXIT, UsageError } from '../exit-codes';
import type { Io } from '../io';
import { shown } from '../training/run-command';

const help = `usage: skipinit plot DIR [--out DIR] [--ascii]

Examples:
  skipinit plot runs/deep_mlp-sweep
  skipinit plot runs/mnist_resnet_small/1 --ascii     # curves.png, dynamics.png
  skipinit plot runs/analysis/deep-mlp --out docs/figures

Draws the plots again from what DIR holds, without running anything:
  a sweep directory (sweep.json)        results/: the tables (CSV, Markdown) and accuracy-vs-lr,
                                        lr-vs-batch, curves
  a training run directory (config.json) curves: training loss and evaluation accuracy against step;
                                        dynamics (when the run logged log_params_every): alpha of each
                                        block against step, gradient norms over depth, weight norms
  an analysis directory (signal.json)   variance, signal-panels (from skipinit analyze --out)
Each plot is written as .svg, .png and its Vega-Lite spec (.vl.json).

Flags:
  --out DIR    write the plots here instead of into DIR
  --ascii      also print the charts for a terminal
  -h, --help   show this help

Exit codes: 0 ok, 64 usage, 65 DIR holds unreadable results, 66 DIR is missing or holds no results,
73 the plots cannot be written.
`;

type Kind = 'sweep' | 'run' | 'signal';

function kindOf(dir: string): Kind | null {
  if (existsSync(join(dir, SWEEP_FILES.manifest))) return 'sweep';
  if (existsSync(join(dir, 'signal.json'))) return 'signal';
  if (existsSync(join(dir, RUN_FILES.config)) || existsSync(join(dir, RUN_FILES.metrics))) return 'run';
  return null;
}

function readSignal(dir: string): SignalFile {
  const path = join(dir, 'signal.json');
  let f: SignalFile;
  try {
    f = JSON.parse(readFileSync(path, 'utf8')) as SignalFile;
  } catch (e) {
    throw new AnalysisError(`${path}: not valid JSON (${(e as Error).message})`);
  }
  if (f?.format !== SIGNAL_FORMAT || !Array.isArray(f.reports)) throw new AnalysisError(`${path}: 'format' is not '${SIGNAL_FORMAT}'`);
  return f;
}

export async function runPlot(argv: string[], io: Io): Promise<number> {
  const { values, positionals } = parseCommandArgs('plot', argv, {
    out: { type: 'string' },
    ascii: { type: 'boolean' },
    help: { type: 'boolean', short: 'h' },
  });
  if (values.help) {
    io.stdout.write(help);
    return EXIT.ok;
  }
  if (positionals.length !== 1) throw new UsageError(positionals.length === 0 ? 'missing DIR (a sweep, run or analysis directory)' : `expected one DIR, got ${positionals.length}`, 'plot');
  const dir = resolve(io.cwd, positionals[0]);
  if (!existsSync(dir)) {
    io.stderr.write(`skipinit plot: '${positionals[0]}': no such directory\n`);
    return EXIT.noInput;
  }
  const kind = kindOf(dir);
  if (kind === null) {
    io.stderr.write(`skipinit plot: '${positionals[0]}' holds no results: expected ${SWEEP_FILES.manifest} (a sweep), ${RUN_FILES.config} (a training run) or signal.json (skipinit analyze --out)\n`);
    return EXIT.noInput;
  }
  let files: OutputFile[];
  let ascii = '';
  try {
    if (kind === 'sweep') {
      const report = sweepReport(dir);
      files = await sweepFiles(dir, report);
      io.stdout.write(sweepText(report));
      if (values.ascii) ascii = sweepAscii(report);
    } else if (kind === 'signal') {
      const f = readSignal(dir);
      files = (await signalFiles(f.reports)).filter((x) => x.name !== 'signal.json' || values.out !== undefined);
      if (values.ascii) ascii = signalAscii(f.reports);
    } else {
      files = await runFiles(dir);
      if (values.ascii) ascii = runAscii(dir);
    }
  } catch (error) {
    if (!(error instanceof AnalysisError)) throw error;
    io.stderr.write(`skipinit plot: ${error.message}\n`);
    return EXIT.spec;
  }
  const out = values.out !== undefined ? resolve(io.cwd, values.out as string) : dir;
  let written: string[];
  try {
    written = writeOutputFiles(out, files);
  } catch (error) {
    io.stderr.write(`skipinit plot: cannot write to ${shown(io, out)}: ${(error as Error).message}\n`);
    return EXIT.cantCreate;
  }
  if (ascii) io.stdout.write(`${ascii}`);
  io.stderr.write(`skipinit plot: ${kind} ${shown(io, dir)}: wrote ${written.filter((p) => p.endsWith('.png')).map((p) => shown(io, p)).join(', ')}\n`);
  return EXIT.ok;
}

export const plotCommand: Command = {
  name: 'plot',
  summary: 'draw the plots again from a sweep, run or analysis directory (SVG, PNG; --ascii for a terminal)',
  help,
  run: (argv, io) => runPlot(argv, io),
};
