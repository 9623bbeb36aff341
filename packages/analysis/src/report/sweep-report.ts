// The outputs of a sweep directory (`skipinit sweep`, `skipinit plot SWEEP_DIR`): the results table, the
// derived tables, the plots, and ASCII charts of accuracy against learning rate.
import { join } from 'node:path';
import { asciiChart } from '../ascii-chart';
import { accuracyVsLrSpec, optimalLrSpec, trainingCurvesSpec } from '../plot/sweep-plots';
import type { BatchRow, LrPoint } from '../sweep/derived';
import { batchRows, batchTable, depthTable, lrPoints } from '../sweep/derived';
import type { SweepManifest } from '../sweep/plan';
import type { CellResult } from '../sweep/results';
import { readMetrics, readSweep, resultsTable } from '../sweep/results';
import type { Table } from '../table';
import { toCsv, toMarkdown } from '../table';
import type { OutputFile } from './output-file';
import { plotFiles } from './output-file';

export interface SweepReport {
  readonly manifest: SweepManifest;
  readonly results: readonly CellResult[];
  readonly points: readonly LrPoint[];
  readonly rows: readonly BatchRow[];
  readonly tables: { readonly results: Table; readonly byBatch: Table; readonly byDepth: Table };
}

/** Reads sweep directory `dir` and derives its tables. */
export function sweepReport(dir: string): SweepReport {
  const { manifest, results } = readSweep(dir);
  const points = lrPoints(manifest, results);
  const rows = batchRows(points);
  return { manifest, results, points, rows, tables: { results: resultsTable(manifest, results), byBatch: batchTable(rows), byDepth: depthTable(rows) } };
}

/** The tables as Markdown, with headings (what `skipinit sweep` prints at the end). */
export function sweepText(report: SweepReport): string {
  const done = report.results.filter((r) => r.status === 'completed' || r.status === 'diverged').length;
  return [
    `# Sweep ${report.manifest.name}: ${done} of ${report.results.length} cells finished`,
    '',
    toMarkdown(report.tables.results).trimEnd(),
    '',
    '## Per batch size: optimal and largest stable learning rate of each scheme',
    '',
    toMarkdown(report.tables.byBatch).trimEnd(),
    '',
    '## Per depth: test accuracy of each scheme at its optimal learning rate',
    '',
    toMarkdown(report.tables.byDepth).trimEnd(),
    '',
  ].join('\n');
}

/** Test accuracy against learning rate, one ASCII chart per batch size. */
export function sweepAscii(report: SweepReport, options: { width?: number; height?: number } = {}): string {
  const batches = [...new Set(report.points.map((p) => p.batch))].sort((a, b) => a - b);
  const depths = [...new Set(report.points.map((p) => p.depth))].sort((a, b) => a - b);
  const charts: string[] = [];
  for (const depth of depths)
    for (const batch of batches) {
      const ps = report.points.filter((p) => p.batch === batch && p.depth === depth && p.finished);
      if (ps.length === 0) continue;
      const schemes = [...new Set(ps.map((p) => p.scheme))];
      const series = schemes.map((s) => ({
        name: s,
        points: ps.filter((p) => p.scheme === s).map((p) => ({ x: p.lr, y: p.diverged ? 0 : p.accuracy })),
      }));
      const title = `final test accuracy vs learning rate, batch ${batch}${depths.length > 1 ? `, ${depth} blocks` : ''} (diverged = 0)`;
      charts.push(asciiChart(series, { ...options, logX: true, title, xLabel: 'learning rate' }));
    }
  return charts.join('\n');
}

/** The files of a sweep's report: tables (CSV and Markdown) and plots, under results/. */
export async function sweepFiles(dir: string, report: SweepReport = sweepReport(dir)): Promise<OutputFile[]> {
  const t = report.tables;
  const files: OutputFile[] = [
    { name: 'results.csv', content: toCsv(t.results) },
    { name: 'results.md', content: toMarkdown(t.results) },
    { name: 'by-batch.csv', content: toCsv(t.byBatch) },
    { name: 'by-batch.md', content: toMarkdown(t.byBatch) },
    { name: 'by-depth.csv', content: toCsv(t.byDepth) },
    { name: 'by-depth.md', content: toMarkdown(t.byDepth) },
    { name: 'summary.md', content: sweepText(report) },
  ];
  if (report.points.some((p) => p.finished)) {
    files.push(...(await plotFiles('accuracy-vs-lr', accuracyVsLrSpec(report.points, { title: `${report.manifest.name}: test accuracy against learning rate` }))));
    files.push(...(await plotFiles('lr-vs-batch', optimalLrSpec(report.rows, { title: `${report.manifest.name}: learning rates against batch size` }))));
  }
  const runs = report.results
    .filter((r) => r.status !== 'not started')
    .map((r) => ({ label: r.key, metrics: readMetrics(join(dir, r.dir)) }))
    .filter((r) => r.metrics.length > 0);
  if (runs.length > 0) files.push(...(await plotFiles('curves', trainingCurvesSpec(runs, { title: `${report.manifest.name}: training curves of every cell` }))));
  return files.map((f) => ({ ...f, name: `results/${f.name}` }));
}
