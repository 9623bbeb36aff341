// skipinit metrics RUN_DIR: a run's metrics.jsonl as CSV, for spreadsheets and pandas.
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { AnalysisError, METRIC_TABLES, metricsTable, readMetrics, toCsv } from '@skipinit/analysis/node';
import type { MetricTableName } from '@skipinit/analysis';
import { RUN_FILES, writeFileAtomic } from '@skipinit/trainer';
import { parseCommandArgs } from '../args';
import type { Command } from '../command';
import { EXIT, UsageError } from '../exit-codes';
import type { Io } from '../io';
import { shown } from '../training/run-command';

const help = `usage: skipinit metrics RUN_DIR [--table steps|step|eval|epoch|params|diverged] [--out FILE]

Examples:
  skipinit metrics runs/mnist_resnet_small/1 > metrics.csv
  skipinit metrics runs/deep_mlp/1 --table params --out params.csv
  python -c "import pandas as pd; print(pd.read_csv('metrics.csv').tail())"

Prints a run's metrics.jsonl as CSV (RFC 4180, numbers at full precision, empty cells where nothing was
logged). The default table has one row per logged step, merging what was logged there: the training
step (epoch, batch, loss, accuracy, lr), an evaluation (eval_split, eval_loss, eval_accuracy) and the
training dynamics (log_params_every: alpha.<block>, grad_norm.<block>, Fixup's <block>.biasN,
weight_norm.<stage>). --table picks one kind of record instead.

Flags:
  --table NAME   steps (default, merged), step, eval, epoch, params or diverged
  --out FILE     write the CSV to FILE (atomically) instead of stdout
  -h, --help     show this help

Exit codes: 0 ok, 64 usage, 65 unreadable metrics.jsonl, 66 missing run directory or metrics.jsonl,
73 the file cannot be written.
`;

export async function runMetrics(argv: string[], io: Io): Promise<number> {
  const { values, positionals } = parseCommandArgs('metrics', argv, {
    table: { type: 'string' },
    out: { type: 'string' },
    help: { type: 'boolean', short: 'h' },
  });
  if (values.help) {
    io.stdout.write(help);
    return EXIT.ok;
  }
  if (positionals.length !== 1) throw new UsageError(positionals.length === 0 ? 'missing RUN_DIR (a run directory, such as runs/mnist_resnet_small/1)' : `expected one RUN_DIR, got ${positionals.length}`, 'metrics');
  const table = (values.table as string | undefined) ?? 'steps';
  if (!(METRIC_TABLES as readonly string[]).includes(table)) throw new UsageError(`--table must be one of ${METRIC_TABLES.join(', ')}, got '${table}'`, 'metrics');
  const dir = resolve(io.cwd, positionals[0]);
  if (!existsSync(join(dir, RUN_FILES.metrics))) {
    io.stderr.write(`skipinit metrics: ${positionals[0]}: no ${RUN_FILES.metrics} (not a run directory, or the run has not started)\n`);
    return EXIT.noInput;
  }
  let csv: string;
  try {
    csv = toCsv(metricsTable(readMetrics(dir), table as MetricTableName));
  } catch (error) {
    if (!(error instanceof AnalysisError)) throw error;
    io.stderr.write(`skipinit metrics: ${error.message}\n`);
    return EXIT.spec;
  }
  if (values.out === undefined) {
    io.stdout.write(csv);
    return EXIT.ok;
  }
  const out = resolve(io.cwd, values.out as string);
  try {
    writeFileAtomic(out, Buffer.from(csv));
  } catch (error) {
    io.stderr.write(`skipinit metrics: cannot write ${shown(io, out)}: ${(error as Error).message}\n`);
    return EXIT.cantCreate;
  }
  io.stderr.write(`skipinit metrics: wrote ${csv.split('\n').length - 2} rows to ${shown(io, out)}\n`);
  return EXIT.ok;
}

export const metricsCommand: Command = {
  name: 'metrics',
  summary: "a run's metrics.jsonl as CSV (training steps, evaluations, alpha and gradient norms per block)",
  help,
  run: (argv, io) => runMetrics(argv, io),
};
