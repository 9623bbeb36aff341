// The plots of one training run directory (`skipinit plot RUN_DIR`): training curves from metrics.jsonl,
// the training dynamics when the run logged them (log_params_every: alpha per block against step, the
// gradient-norm profile over depth, weight norms per stage), and ASCII charts for a terminal.
import { basename } from 'node:path';
import { asciiChart } from '../ascii-chart';
import { dynamicsData, dynamicsSpec, spread } from '../plot/dynamics-plots';
import { trainingCurvesSpec } from '../plot/sweep-plots';
import { readMetrics } from '../sweep/results';
import { AnalysisError } from '../errors';
import type { OutputFile } from './output-file';
import { plotFiles } from './output-file';

/** curves.svg / .png / .vl.json of run directory `dir`, and dynamics.* when it logged params records. */
export async function runFiles(dir: string, label = basename(dir)): Promise<OutputFile[]> {
  const metrics = readMetrics(dir);
  if (metrics.length === 0) throw new AnalysisError(`${dir}: metrics.jsonl has no records to plot`);
  const files = await plotFiles('curves', trainingCurvesSpec([{ label, metrics }], { title: `Training curves: ${label}` }));
  const dynamics = dynamicsData(metrics);
  if (dynamics !== null) files.push(...(await plotFiles('dynamics', dynamicsSpec(dynamics, { title: `Training dynamics: ${label}` }))));
  return files;
}

/** Training loss against step (log scale) and evaluation accuracy, for a terminal. */
export function runAscii(dir: string, options: { width?: number; height?: number } = {}): string {
  const metrics = readMetrics(dir);
  const loss = metrics.filter((r) => r.type === 'step' && typeof r.loss === 'number').map((r) => ({ x: r.step, y: r.loss as number }));
  const acc = metrics.filter((r) => r.type === 'eval' && typeof r.accuracy === 'number').map((r) => ({ x: r.step, y: r.accuracy as number }));
  const charts = [
    asciiChart([{ name: 'training loss', points: loss }], { ...options, logY: true, title: 'training loss (log scale)', xLabel: 'step' }),
    asciiChart([{ name: 'evaluation accuracy', points: acc }], { ...options, title: 'evaluation accuracy', xLabel: 'step' }),
  ];
  const d = dynamicsData(metrics);
  if (d !== null) {
    const series = spread(d.blocks.length, 4).map((i) => ({ name: d.blocks[i], points: d.records.map((r) => ({ x: r.step, y: (r.alpha as number[])[i] })) }));
    charts.push(asciiChart(series, { ...options, title: 'alpha per block', xLabel: 'step' }));
  }
  return charts.join('\n');
}
