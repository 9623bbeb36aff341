// The plots of one training run directory (`skipinit plot RUN_DIR`): training curves from metrics.jsonl,
// the training dynamics when the run logged them (log_params_every: alpha per block against step, the
// gradient-norm profile over depth, weight norms per stage), and ASCII charts for a terminal.
import { readFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { asciiChart } from '../ascii-chart';
import { dynamicsData, dynamicsSpec, spread } from '../plot/dynamics-plots';
import { trainingCurvesSpec } from '../plot/sweep-plots';
import { readMetrics } from '../sweep/results';
import { AnalysisError } from '../errors';
import type { OutputFile } from './output-file';
import { plotFiles } from './output-file';

/**
 * The run's name for titles: its model's name (config.json) and its number, as in 'mnist_resnet_small/1';
 * the directory's own name where there is no config.json.
 */
export function runLabel(dir: string): string {
  try {
    const config = JSON.parse(readFileSync(join(dir, 'config.json'), 'utf8')) as { name?: unknown };
    if (typeof config.name === 'string' && config.name !== '') return `${config.name}/${basename(dir)}`;
  } catch {
    // no readable config.json: the directory's names say what there is
  }
  const parent = basename(dirname(dir));
  return parent && parent !== basename(dir) ? `${parent}/${basename(dir)}` : basename(dir);
}

/** curves.svg / .png / .vl.json of run directory `dir`, and dynamics.* when it logged params records. */
export async function runFiles(dir: string, label = runLabel(dir)): Promise<OutputFile[]> {
  const metrics = readMetrics(dir);
  if (metrics.length === 0) throw new AnalysisError(`${dir}: metrics.jsonl has no records to plot`);
  const files = await plotFiles('curves', trainingCurvesSpec([{ label, metrics }], { title: `Training curves: ${label}` }));
  const dynamics = dynamicsData(metrics);
  if (dynamics !== null) files.push(...(await plotFiles('dynamics', dynamicsSpec(dynamics, { title: `Training dynamics: ${label}` }))));
  return files;
}

/** Training loss against step (log scale) and evaluation accuracy (0 to 100%), for a terminal. Steps start at 0. */
export function runAscii(dir: string, options: { width?: number; height?: number } = {}): string {
  const metrics = readMetrics(dir);
  const loss = metrics.filter((r) => r.type === 'step' && typeof r.loss === 'number').map((r) => ({ x: r.step, y: r.loss as number }));
  const acc = metrics.filter((r) => r.type === 'eval' && typeof r.accuracy === 'number').map((r) => ({ x: r.step, y: r.accuracy as number }));
  const label = runLabel(dir);
  const charts = [
    asciiChart([{ name: 'training loss', points: loss }], { ...options, logY: true, title: `${label}: training loss (log scale)`, xLabel: 'step', xFrom: 0 }),
    asciiChart([{ name: 'evaluation accuracy', points: acc }], { ...options, title: `${label}: evaluation accuracy`, xLabel: 'step', xFrom: 0, yFrom: 0, yTo: 1 }),
  ];
  const d = dynamicsData(metrics);
  if (d !== null) {
    const series = spread(d.blocks.length, 4).map((i) => ({ name: d.blocks[i], points: d.records.map((r) => ({ x: r.step, y: (r.alpha as number[])[i] })) }));
    charts.push(asciiChart(series, { ...options, title: `${label}: alpha per block`, xLabel: 'step', xFrom: 0 }));
  }
  return charts.join('\n');
}
