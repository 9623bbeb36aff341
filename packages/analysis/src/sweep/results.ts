// Reading a sweep back from its directory: the manifest (sweep.json) and each cell's run files
// (summary.json, metrics.jsonl), into one result per cell and the results table.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { SweepValue } from '@skipinit/graph';
import { formatSweepValue } from '@skipinit/graph';
import type { TrainSummary } from '@skipinit/trainer';
import { RUN_FILES } from '@skipinit/trainer';
import { AnalysisError } from '../errors';
import type { Column, Table } from '../table';
import type { SweepManifest } from './plan';
import { SWEEP_FILES, SWEEP_FORMAT } from './plan';

export type CellStatus = 'completed' | 'diverged' | 'interrupted' | 'not started';

export interface CellResult {
  readonly index: number;
  readonly key: string;
  readonly values: Readonly<Record<string, SweepValue>>;
  readonly hash: string;
  readonly dir: string;
  readonly depth: number;
  /** Classes of the network (null in a manifest written before it was recorded). */
  readonly classes: number | null;
  readonly lr: number;
  readonly batch: number;
  readonly seed: number;
  readonly status: CellStatus;
  /** The final evaluation on the test set (null unless completed). */
  readonly finalTestAccuracy: number | null;
  /** The best evaluation on the test set during the run (null when none ran). */
  readonly bestTestAccuracy: number | null;
  /** Mean training loss over the last epoch (or the part of it done). */
  readonly finalTrainLoss: number | null;
  readonly diverged: boolean;
  /** The step where it diverged (null: it did not). */
  readonly divergedAt: number | null;
  readonly steps: number;
  readonly totalSteps: number | null;
}

/** One record of metrics.jsonl (the trainer's: step, eval, epoch, diverged). */
export interface MetricRecord {
  readonly type: string;
  readonly step: number;
  readonly [field: string]: unknown;
}

/** The records of a metrics.jsonl text; a last line cut short (a run killed mid-write) is left out. */
export function parseMetrics(text: string): MetricRecord[] {
  const out: MetricRecord[] = [];
  const lines = text.split('\n');
  lines.forEach((line, i) => {
    if (line.trim() === '') return;
    try {
      out.push(JSON.parse(line) as MetricRecord);
    } catch (e) {
      if (i < lines.length - 1 && lines.slice(i + 1).some((l) => l.trim() !== ''))
        throw new AnalysisError(`metrics line ${i + 1} is not valid JSON (${(e as Error).message})`);
    }
  });
  return out;
}

/** The metrics of run directory `dir` ([] when it has none). */
export function readMetrics(dir: string): MetricRecord[] {
  const path = join(dir, RUN_FILES.metrics);
  if (!existsSync(path)) return [];
  try {
    return parseMetrics(readFileSync(path, 'utf8'));
  } catch (e) {
    throw new AnalysisError(`${path}: ${(e as Error).message}`);
  }
}

/** The sweep manifest of `dir`. */
export function readManifest(dir: string): SweepManifest {
  const path = join(dir, SWEEP_FILES.manifest);
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new AnalysisError(code === 'ENOENT' ? `${dir} is not a sweep directory (no ${SWEEP_FILES.manifest})` : `cannot read ${path}: ${(e as Error).message}`);
  }
  let m: SweepManifest;
  try {
    m = JSON.parse(text) as SweepManifest;
  } catch (e) {
    throw new AnalysisError(`${path}: not valid JSON (${(e as Error).message})`);
  }
  if (m === null || typeof m !== 'object' || m.format !== SWEEP_FORMAT) throw new AnalysisError(`${path}: 'format' is not '${SWEEP_FORMAT}'`);
  if (m.version !== 1) throw new AnalysisError(`${path}: version ${JSON.stringify(m.version)} is not supported (expected 1)`);
  if (!Array.isArray(m.cells) || !Array.isArray(m.axes)) throw new AnalysisError(`${path}: 'cells' and 'axes' must be lists`);
  return m;
}

function readSummaryFile(dir: string): TrainSummary | null {
  const path = join(dir, RUN_FILES.summary);
  if (!existsSync(path)) return null;
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as TrainSummary;
  } catch (e) {
    throw new AnalysisError(`${path}: not valid JSON (${(e as Error).message})`);
  }
}

/** The result of one cell, from its run directory `runDir`. */
export function cellResult(cell: SweepManifest['cells'][number], runDir: string): CellResult {
  const summary = readSummaryFile(runDir);
  const metrics = readMetrics(runDir);
  let best: number | null = null;
  let lastStep = 0;
  for (const r of metrics) {
    if (typeof r.step === 'number') lastStep = Math.max(lastStep, r.step);
    if (r.type === 'eval' && r.split === 'test' && typeof r.accuracy === 'number') best = best === null ? r.accuracy : Math.max(best, r.accuracy);
  }
  const status: CellStatus = summary === null ? (metrics.length > 0 ? 'interrupted' : 'not started') : summary.status;
  return {
    index: cell.index,
    key: cell.key,
    values: cell.values,
    hash: cell.hash,
    dir: cell.dir,
    depth: cell.depth,
    classes: (cell as { classes?: number }).classes ?? null,
    lr: cell.lr,
    batch: cell.batch,
    seed: cell.seed,
    status,
    finalTestAccuracy: summary?.status === 'completed' ? summary.test_accuracy : null,
    bestTestAccuracy: best,
    finalTrainLoss: summary?.train_loss ?? null,
    diverged: summary?.diverged === true,
    divergedAt: summary?.divergence?.step ?? null,
    steps: summary?.steps ?? lastStep,
    totalSteps: summary?.total_steps ?? null,
  };
}

/** The manifest of sweep directory `dir` and every cell's result, in the manifest's order. */
export function readSweep(dir: string): { manifest: SweepManifest; results: CellResult[] } {
  const manifest = readManifest(dir);
  return { manifest, results: manifest.cells.map((c) => cellResult(c, join(dir, c.dir))) };
}

/** The resolved learning rate and batch size are columns of their own unless an axis of that name shows them. */
const DERIVED_SETTINGS = ['lr', 'batch'] as const;

/** One row per cell: its settings, final and best test accuracy, final training loss, diverged or not. */
export function resultsTable(manifest: Pick<SweepManifest, 'axes'>, results: readonly CellResult[]): Table {
  const axisNames = manifest.axes.map((a) => a.name);
  const extra = DERIVED_SETTINGS.filter((s) => !axisNames.includes(s));
  const columns: Column[] = [
    { key: 'cell', kind: 'text' },
    ...axisNames.map((name): Column => ({ key: name, kind: 'text' })),
    ...extra.map((s): Column => ({ key: s, kind: 'number' })),
    { key: 'blocks', kind: 'number' },
    { key: 'status', kind: 'text' },
    { key: 'test_accuracy', title: 'final test acc', kind: 'percent' },
    { key: 'best_test_accuracy', title: 'best test acc', kind: 'percent' },
    { key: 'train_loss', title: 'final train loss', kind: 'number' },
    { key: 'diverged', kind: 'boolean' },
    { key: 'steps', kind: 'number' },
  ];
  const rows = results.map((r) => {
    const row: Record<string, string | number | boolean | null> = { cell: r.index };
    for (const name of axisNames) row[name] = r.values[name] === undefined ? null : formatSweepValue(r.values[name]);
    for (const s of extra) row[s] = r[s];
    row.blocks = r.depth;
    row.status = r.status;
    row.test_accuracy = r.finalTestAccuracy;
    row.best_test_accuracy = r.bestTestAccuracy;
    row.train_loss = r.finalTrainLoss;
    row.diverged = r.diverged;
    row.steps = r.steps;
    return row;
  });
  return { columns, rows };
}
