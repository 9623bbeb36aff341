// P5-P6: learning rate x batch size at a fixed budget of epochs, batch norm against SkipInit: one sweep per
// scheme of tools/reproduce/specs/lr-batch.arch (each cell a resumable run), then the two combined.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { BatchRow, LrPoint, Table } from '@skipinit/analysis/node';
import { accuracyVsLrSpec, batchRows, batchTable, lrPoints, optimalLrSpec, plotFiles, sweepReport } from '@skipinit/analysis/node';
import type { Paths, Timings } from './outputs';
import { figureFiles } from './outputs';
import { ROOT, shownCommand, skipinit } from './run-cli';
import type { Settings } from './settings';

export interface BatchOutcome {
  readonly commands: readonly string[];
  readonly points: readonly LrPoint[];
  readonly rows: readonly BatchRow[];
  readonly table: Table;
  readonly accuracy: string;
  readonly lrs: string;
  readonly cells: number;
  readonly spec: string;
}

const SPEC = 'tools/reproduce/specs/lr-batch.arch';
const SCHEMES = [
  { scheme: 'bn', sets: ['norm=bn', 'init=plain'] },
  { scheme: 'skipinit', sets: ['norm=none', 'init=skipinit'] },
] as const;

/** The spec the sweep runs: the file as it is for the full run, a copy with other sizes for the quick one. */
function specFor(s: Settings, p: Paths): string {
  if (s.name === 'full') return SPEC;
  const b = s.batch;
  const text = readFileSync(join(ROOT, SPEC), 'utf8')
    .replace(/lr = \[[^\]]*\]/, `lr = [${b.lrs.join(', ')}]`)
    .replace(/batch = \[[^\]]*\]/, `batch = [${b.batches.join(', ')}]`)
    .replace(/limit=\d+/, `limit=${b.limit}`)
    .replace(/epochs \d+/, `epochs ${b.epochs}`)
    .replace(/let depth = \d+/, `let depth = ${b.depth}`);
  mkdirSync(join(p.runs, 'specs'), { recursive: true });
  writeFileSync(join(p.runs, 'specs', 'lr-batch.arch'), text);
  return `${p.rel}/specs/lr-batch.arch`;
}

/** Cells of the sweep in `dir` that have a final result (0 when there is no sweep there yet). */
function finishedCells(dir: string): number {
  if (!existsSync(join(dir, 'sweep.json'))) return 0;
  return sweepReport(dir).results.filter((r) => r.status === 'completed' || r.status === 'diverged').length;
}

export async function batchStep(s: Settings, p: Paths, timings: Timings): Promise<BatchOutcome> {
  const spec = specFor(s, p);
  const commands: string[] = [];
  const points: LrPoint[] = [];
  for (const x of SCHEMES) {
    const dir = join(p.runs, 'p5-p6', x.scheme);
    const args = ['sweep', spec, ...x.sets.flatMap((v) => ['--set', v]), '--parallel', String(s.parallel)];
    commands.push(shownCommand([...args, '--out', `${p.rel}/p5-p6/${x.scheme}`]));
    // Finished cells are skipped by the sweep itself, so running it again costs only what is left (and
    // its time counts only when it had cells left to run).
    const before = finishedCells(dir);
    const r = await skipinit([...args, '--out', dir], join(p.runs, 'p5-p6', `${x.scheme}.stdout.txt`));
    if (r.code !== 0) throw new Error(`${commands[commands.length - 1]} exited ${r.code}`);
    const report = sweepReport(dir);
    if (before < report.results.length) timings.ran(`p5-p6 ${x.scheme}`, r.seconds, 'add');
    points.push(...lrPoints(report.manifest, report.results).map((pt) => ({ ...pt, scheme: x.scheme })));
  }
  const rows = batchRows(points);
  const accuracy = figureFiles(p, 'p6-accuracy-vs-lr', await plotFiles('a', accuracyVsLrSpec(points, { title: 'P5-P6: final test accuracy against learning rate, batch norm and SkipInit' })));
  const lrs = figureFiles(p, 'p6-lr-vs-batch', await plotFiles('b', optimalLrSpec(rows, { title: 'P6: optimal and largest stable learning rate against batch size' })));
  return { commands, points, rows, table: batchTable(rows), accuracy, lrs, cells: points.length, spec };
}
