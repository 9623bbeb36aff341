// Vega-Lite specs of sweep results: test accuracy against learning rate (one panel per batch size, a row
// per depth when the depth varies), the optimal and the largest stable learning rate against batch size,
// and training curves (training loss and test accuracy against step) of one or more runs.
import type { TopLevelSpec } from 'vega-lite';
import type { BatchRow, LrPoint } from '../sweep/derived';
import type { MetricRecord } from '../sweep/results';
import { PLOT_CONFIG } from './config';

const SCHEMA = 'https://vega.github.io/schema/vega-lite/v6.json';

/** Every scheme in a fixed (sorted) order, so a scheme has the same colour in every plot of a sweep. */
const schemeDomain = (xs: readonly { scheme: string }[]): string[] => [...new Set(xs.map((x) => x.scheme))].sort();

/** Final test accuracy against learning rate; a diverged learning rate is a cross at 0. */
export function accuracyVsLrSpec(points: readonly LrPoint[], options: { title?: string } = {}): TopLevelSpec {
  const depths = new Set(points.map((p) => p.depth));
  const rows = points
    .filter((p) => p.finished)
    .map((p) => ({
      scheme: p.scheme,
      lr: p.lr,
      batch: `batch ${p.batch}`,
      batchSize: p.batch,
      depth: `${p.depth} blocks`,
      accuracy: p.diverged ? 0 : p.accuracy,
      outcome: p.diverged ? 'diverged' : 'trained',
    }));
  const encoding = {
    x: { field: 'lr', type: 'quantitative', scale: { type: 'log' }, title: 'learning rate (log scale)' },
    y: { field: 'accuracy', type: 'quantitative', title: 'final test accuracy', axis: { format: '.0%' }, scale: { domain: [0, 1] } },
    color: { field: 'scheme', type: 'nominal', title: 'scheme', scale: { domain: schemeDomain(points) } },
  };
  return {
    $schema: SCHEMA,
    title: { text: options.title ?? 'Test accuracy against learning rate', subtitle: 'one panel per batch size; a cross at 0 marks a learning rate at which the run diverged' },
    config: PLOT_CONFIG,
    data: { values: rows },
    facet: {
      column: { field: 'batch', type: 'nominal', title: null, sort: { field: 'batchSize' } },
      ...(depths.size > 1 ? { row: { field: 'depth', type: 'nominal', title: null } } : {}),
    },
    spec: {
      width: 240,
      height: 200,
      layer: [
        { transform: [{ filter: "datum.outcome === 'trained'" }], mark: { type: 'line', point: true }, encoding },
        { transform: [{ filter: "datum.outcome === 'diverged'" }], mark: { type: 'point', shape: 'cross', size: 90, filled: true, opacity: 1 }, encoding },
      ],
    },
  } as TopLevelSpec;
}

/** The optimal (solid) and the largest stable (dashed) learning rate of each scheme against batch size. */
export function optimalLrSpec(rows: readonly BatchRow[], options: { title?: string } = {}): TopLevelSpec {
  const depths = new Set(rows.map((r) => r.depth));
  const values: Record<string, unknown>[] = [];
  for (const r of rows) {
    const scheme = depths.size > 1 ? `${r.scheme} (${r.depth} blocks)` : r.scheme;
    if (r.optimalLr !== null) values.push({ scheme, batch: r.batch, lr: r.optimalLr, kind: 'optimal lr' });
    if (r.largestStableLr !== null) values.push({ scheme, batch: r.batch, lr: r.largestStableLr, kind: 'largest stable lr' });
  }
  const batches = [...new Set(rows.map((r) => r.batch))].sort((a, b) => a - b);
  const kinds = { domain: ['optimal lr', 'largest stable lr'] };
  return {
    $schema: SCHEMA,
    title: { text: options.title ?? 'Learning rates against batch size', subtitle: 'optimal: best final test accuracy; largest stable: the largest that neither diverged nor stayed near chance' },
    config: PLOT_CONFIG,
    width: 420,
    height: 300,
    data: { values },
    mark: { type: 'line', point: { size: 60, filled: true } },
    encoding: {
      x: { field: 'batch', type: 'quantitative', scale: { type: 'log', base: 2 }, title: 'batch size (log scale)', axis: { values: batches, format: 'd' } },
      y: { field: 'lr', type: 'quantitative', scale: { type: 'log' }, title: 'learning rate (log scale)' },
      color: { field: 'scheme', type: 'nominal', title: 'scheme', scale: { domain: depths.size > 1 ? [...new Set(values.map((v) => v.scheme as string))].sort() : schemeDomain(rows) } },
      strokeDash: { field: 'kind', type: 'nominal', title: null, scale: { ...kinds, range: [[1, 0], [6, 4]] }, legend: { symbolType: 'stroke' } },
      shape: { field: 'kind', type: 'nominal', title: null, scale: { ...kinds, range: ['circle', 'triangle-up'] } },
    },
  } as TopLevelSpec;
}

export interface CurveRun {
  /** The legend label (a sweep cell's key, or a run's name). */
  readonly label: string;
  readonly metrics: readonly MetricRecord[];
}

/** At most `max` step records per run (every k-th), so long runs stay small. */
function thinSteps(records: readonly MetricRecord[], max = 1500): MetricRecord[] {
  const steps = records.filter((r) => r.type === 'step');
  if (steps.length <= max) return steps;
  const k = Math.ceil(steps.length / max);
  return steps.filter((_, i) => i % k === 0 || i === steps.length - 1);
}

/** Training loss against step (top) and evaluation accuracy against step (bottom), one line per run. */
export function trainingCurvesSpec(runs: readonly CurveRun[], options: { title?: string } = {}): TopLevelSpec {
  const loss: Record<string, unknown>[] = [];
  const acc: Record<string, unknown>[] = [];
  for (const run of runs) {
    for (const r of thinSteps(run.metrics)) if (typeof r.loss === 'number' && r.loss > 0) loss.push({ run: run.label, step: r.step, loss: r.loss });
    for (const r of run.metrics)
      if (r.type === 'eval' && typeof r.accuracy === 'number') acc.push({ run: run.label, step: r.step, accuracy: r.accuracy, split: String(r.split ?? 'test') });
  }
  const lastStep = Math.max(1, ...loss.map((r) => r.step as number), ...acc.map((r) => r.step as number));
  const x = { field: 'step', type: 'quantitative', title: 'step', scale: { domain: [0, lastStep] }, axis: { format: 'd' } };
  const color = { field: 'run', type: 'nominal', title: runs.length > 1 ? 'run' : null, legend: { labelLimit: 400, ...(runs.length > 16 ? { columns: 2 } : {}) } };
  return {
    $schema: SCHEMA,
    title: { text: options.title ?? 'Training curves' },
    config: PLOT_CONFIG,
    vconcat: [
      {
        width: 520,
        height: 220,
        data: { values: loss },
        mark: { type: 'line', strokeWidth: 1.2, opacity: 0.85 },
        encoding: {
          x,
          y: { field: 'loss', type: 'quantitative', scale: { type: 'log' }, title: 'training loss (log scale)' },
          color,
        },
      },
      {
        width: 520,
        height: 180,
        data: { values: acc },
        // filled points large enough to see: a short run has one evaluation, at the axis's end
        mark: { type: 'line', point: { filled: true, size: 50 }, clip: false },
        encoding: {
          x,
          y: { field: 'accuracy', type: 'quantitative', title: 'evaluation accuracy', axis: { format: '.0%' } },
          color,
          strokeDash: { field: 'split', type: 'nominal', title: 'split' },
        },
      },
    ],
  } as TopLevelSpec;
}
