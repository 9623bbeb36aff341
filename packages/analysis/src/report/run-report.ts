// The plots of one training run directory (`skipinit plot RUN_DIR`): training curves from metrics.jsonl,
// and the training loss as an ASCII chart.
import { basename } from 'node:path';
import { asciiChart } from '../ascii-chart';
import { trainingCurvesSpec } from '../plot/sweep-plots';
import { readMetrics } from '../sweep/results';
import { AnalysisError } from '../errors';
import type { OutputFile } from './output-file';
import { plotFiles } from './output-file';

/** curves.svg / .png / .vl.json of run directory `dir`. */
export async function runFiles(dir: string, label = basename(dir)): Promise<OutputFile[]> {
  const metrics = readMetrics(dir);
  if (metrics.length === 0) throw new AnalysisError(`${dir}: metrics.jsonl has no records to plot`);
  return plotFiles('curves', trainingCurvesSpec([{ label, metrics }], { title: `Training curves: ${label}` }));
}

/** Training loss against step (log scale) and evaluation accuracy, for a terminal. */
export function runAscii(dir: string, options: { width?: number; height?: number } = {}): string {
  const metrics = readMetrics(dir);
  const loss = metrics.filter((r) => r.type === 'step' && typeof r.loss === 'number').map((r) => ({ x: r.step, y: r.loss as number }));
  const acc = metrics.filter((r) => r.type === 'eval' && typeof r.accuracy === 'number').map((r) => ({ x: r.step, y: r.accuracy as number }));
  return [
    asciiChart([{ name: 'training loss', points: loss }], { ...options, logY: true, title: 'training loss (log scale)', xLabel: 'step' }),
    asciiChart([{ name: 'evaluation accuracy', points: acc }], { ...options, title: 'evaluation accuracy', xLabel: 'step' }),
  ].join('\n');
}
