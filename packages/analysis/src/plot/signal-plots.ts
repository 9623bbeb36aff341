// Vega-Lite specs of signal-propagation reports: the skip path's variance against block index on a log
// scale, one line per scheme with the theory dashed beside it and each overflow marked; and the four-panel
// signal-propagation plot (average channel squared mean, average channel variance, residual branch
// variance, branch/skip ratio).
import type { TopLevelSpec } from 'vega-lite';
import type { SignalReport } from '../signal';
import { FLOAT32_MAX } from '../channel-stats';
import { PLOT_CONFIG } from './config';

/** The label of a report in legends: its scheme, or the graph's name. */
export const reportLabel = (r: SignalReport): string => r.scheme ?? r.graph;

const measured = 'measured';
const predicted = 'theory';

const positive = (v: number | null | undefined): v is number => typeof v === 'number' && Number.isFinite(v) && v > 0;

/** At most `max` points per series: every k-th block (the first and last kept), so a 100000-block plot stays small. */
function thin<T>(xs: readonly T[], max = 2000): T[] {
  if (xs.length <= max) return [...xs];
  const k = Math.ceil(xs.length / max);
  return xs.filter((_, i) => i % k === 0 || i === xs.length - 1);
}

/** Theory values beyond this (float32's largest value, squared: the std passes float32's range) are not drawn. */
const THEORY_CAP = FLOAT32_MAX * FLOAT32_MAX;
/** A scheme whose measured variance stays below this is also drawn in the zoomed panel. */
const BOUNDED = 1e6;

/**
 * The variance (about zero) of the residual stream after each block, E[x_l^2] = average channel variance +
 * average channel squared mean (the theory's quantity), measured (solid) and predicted (dashed), against
 * the block index (0 = the input of the first block), each overflow marked. When some schemes grow far more
 * than others, a second panel zooms in on the ones that stay bounded. (signalPanelsSpec shows the channel
 * variance and squared mean apart.)
 */
export function variancePlotSpec(reports: readonly SignalReport[], options: { title?: string } = {}): TopLevelSpec {
  const rows: Record<string, unknown>[] = [];
  const marks: Record<string, unknown>[] = [];
  const bounded: string[] = [];
  for (const r of reports) {
    const scheme = reportLabel(r);
    const first = r.records[0];
    let max = 0;
    const push = (block: number, value: number | null | undefined, series: string): void => {
      if (!positive(value) || (series === predicted && value > THEORY_CAP)) return;
      rows.push({ scheme, block, value, series });
      if (series === measured) max = Math.max(max, value);
    };
    if (first) push(0, first.input.secondMoment, measured);
    if (first?.theory) push(0, first.theory.input, predicted);
    for (const b of thin(r.records)) {
      push(b.index + 1, b.output.secondMoment, measured);
      if (b.theory) push(b.index + 1, b.theory.output, predicted);
    }
    if (r.overflow) {
      const block = r.overflow.index + 1;
      marks.push({ scheme, block, label: `${scheme} overflows float32 at block ${block}`, align: block > r.blocks / 2 ? 'right' : 'left' });
    }
    else if (max < BOUNDED) bounded.push(scheme);
  }
  const first = reports[0];
  const subtitle = first
    ? `${first.graph}: ${first.blocks} residual blocks, ${first.mode === 'train' ? 'training-mode (batch statistics)' : 'eval-mode'} forward pass at initialisation, batch ${first.batch}, seed ${first.seed}`
    : '';
  const x = { field: 'block', type: 'quantitative', title: 'residual block l' } as const;
  const color = { field: 'scheme', type: 'nominal', title: 'scheme' } as const;
  const lines = (title: string) =>
    ({
      mark: { type: 'line', strokeWidth: 2, clip: true },
      encoding: {
        x,
        y: { field: 'value', type: 'quantitative', scale: { type: 'log' }, title, axis: { format: '.0e' } },
        color,
        strokeDash: { field: 'series', type: 'nominal', title: 'line', scale: { domain: [measured, predicted], range: [[1, 0], [6, 4]] } },
      },
    }) as const;
  const rule = {
    data: { values: marks },
    mark: { type: 'rule', strokeDash: [2, 2], opacity: 0.8 },
    encoding: { x, color },
  } as const;
  const text = (align: 'left' | 'right') =>
    ({
      data: { values: marks.filter((m) => m.align === align) },
      mark: { type: 'text', align, baseline: 'top', dx: align === 'left' ? 4 : -4, dy: 4, fontSize: 11 },
      encoding: { x, y: { value: 0 }, text: { field: 'label' }, color },
    }) as const;
  const main = {
    width: 520,
    height: 340,
    title: 'all schemes',
    layer: [{ data: { values: rows }, ...lines('skip-path variance E[x_l^2] (log scale)') }, ...(marks.length > 0 ? [rule, text('left'), text('right')] : [])],
  };
  const zoom = {
    width: 360,
    height: 340,
    title: 'zoom: the schemes that stay bounded',
    data: { values: rows.filter((r) => bounded.includes(r.scheme as string)) },
    ...lines('E[x_l^2] (log scale)'),
  };
  const showZoom = bounded.length > 0 && bounded.length < reports.length;
  const { title: _panel, ...single } = main;
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    config: { ...PLOT_CONFIG, legend: { ...PLOT_CONFIG.legend, labelLimit: 320 } },
    ...(showZoom ? { hconcat: [main, zoom] } : single),
    title: { text: options.title ?? 'Signal propagation at initialisation', subtitle },
  } as TopLevelSpec;
}

const METRICS = [
  { key: 'squaredMean', title: 'avg channel squared mean' },
  { key: 'variance', title: 'avg channel variance' },
  { key: 'branch', title: 'residual branch variance' },
  { key: 'ratio', title: 'branch/skip ratio' },
] as const;

/** The four signal-propagation panels, x = block index, y on log scales, one line per scheme. */
export function signalPanelsSpec(reports: readonly SignalReport[], options: { title?: string } = {}): TopLevelSpec {
  const rows: Record<string, unknown>[] = [];
  for (const r of reports) {
    const scheme = reportLabel(r);
    for (const b of thin(r.records)) {
      const values: Record<(typeof METRICS)[number]['key'], number | null> = {
        squaredMean: b.output.squaredMean,
        variance: b.output.variance,
        branch: b.branch.variance,
        ratio: b.ratio,
      };
      for (const m of METRICS) if (positive(values[m.key])) rows.push({ scheme, block: b.index + 1, metric: m.title, value: values[m.key] });
    }
  }
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: { text: options.title ?? 'Signal propagation plots', subtitle: 'per residual block at initialisation; ratio = |alpha| x std(branch) / std(skip)' },
    config: PLOT_CONFIG,
    data: { values: rows },
    facet: { column: { field: 'metric', type: 'nominal', title: null, sort: METRICS.map((m) => m.title) } },
    spec: {
      width: 220,
      height: 200,
      mark: { type: 'line', strokeWidth: 1.5 },
      encoding: {
        x: { field: 'block', type: 'quantitative', title: 'block l' },
        y: { field: 'value', type: 'quantitative', scale: { type: 'log' }, title: null, axis: { format: '.0e' } },
        color: { field: 'scheme', type: 'nominal', title: 'scheme' },
      },
    },
    resolve: { scale: { y: 'independent' } },
  } as TopLevelSpec;
}
