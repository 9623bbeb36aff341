// Training dynamics of one run (the 'params' records of metrics.jsonl, log_params_every): each residual
// block's alpha against step, the gradient-norm profile over depth at a few steps, and each stage's weight
// norm against step. With many blocks, at most MAX_LINES evenly spaced blocks are drawn in the top panel.

import type { TopLevelSpec } from 'vega-lite';
import type { MetricRecord } from '../sweep/results';
import { PLOT_CONFIG } from './config';

const SCHEMA = 'https://vega.github.io/schema/vega-lite/v6.json';
const MAX_LINES = 48;
const PROFILE_STEPS = 6;

/** `count` indices spread evenly over [0, n), first and last included. */
export function spread(n: number, count: number): number[] {
  if (n <= count) return Array.from({ length: n }, (_, i) => i);
  return [...new Set(Array.from({ length: count }, (_, k) => Math.round((k * (n - 1)) / (count - 1))))];
}

export interface DynamicsData {
  readonly blocks: readonly string[];
  readonly records: readonly MetricRecord[];
}

/** The layout and params records of a metrics list, or null when the run logged none. */
export function dynamicsData(metrics: readonly MetricRecord[]): DynamicsData | null {
  const layout = metrics.find((r) => r.type === 'params_layout');
  const records = metrics.filter((r) => r.type === 'params');
  if (!layout || !Array.isArray(layout.blocks) || records.length === 0) return null;
  return { blocks: layout.blocks as string[], records };
}

export function dynamicsSpec(d: DynamicsData, options: { title?: string } = {}): TopLevelSpec {
  const chosen = spread(d.blocks.length, MAX_LINES);
  const alpha: Record<string, unknown>[] = [];
  for (const r of d.records) for (const i of chosen) alpha.push({ step: r.step, block: i + 1, name: d.blocks[i], alpha: (r.alpha as number[])[i] });
  const profileAt = spread(d.records.length, PROFILE_STEPS).map((k) => d.records[k]);
  const grads: Record<string, unknown>[] = [];
  for (const r of profileAt)
    (r.grad_norm as number[]).forEach((g, i) => {
      if (g > 0 && Number.isFinite(g)) grads.push({ step: r.step, block: i + 1, grad: g });
    });
  const weights: Record<string, unknown>[] = [];
  for (const r of d.records) for (const [stage, w] of Object.entries(r.weight_norm as Record<string, number>)) weights.push({ step: r.step, stage, norm: w });
  const n = d.blocks.length;
  const blockScale = { type: 'linear', domain: [1, Math.max(2, n)], scheme: 'viridis' };
  const lastStep = Math.max(...d.records.map((r) => r.step));
  return {
    $schema: SCHEMA,
    title: { text: options.title ?? 'Training dynamics', subtitle: `${n} residual block${n === 1 ? '' : 's'}${n > MAX_LINES ? ` (${chosen.length} drawn in the top panel)` : ''}; ${d.records.length} records, the last at step ${lastStep}` },
    config: PLOT_CONFIG,
    // Each panel colours by its own field (block, step, stage).
    resolve: { scale: { color: 'independent' }, legend: { color: 'independent' } },
    vconcat: [
      {
        width: 520,
        height: 220,
        title: 'alpha of each residual block (the branch scalar) against step',
        data: { values: alpha },
        mark: { type: 'line', strokeWidth: 1.3, point: d.records.length <= 30 },
        encoding: {
          x: { field: 'step', type: 'quantitative', title: 'step', axis: { format: 'd' } },
          y: { field: 'alpha', type: 'quantitative', title: 'alpha' },
          // Few blocks: one legend entry each, by name, in depth order; many: a colour ramp over depth.
          color:
            chosen.length <= 12
              ? { field: 'name', type: 'nominal', title: 'block', sort: chosen.map((i) => d.blocks[i]), scale: { domain: chosen.map((i) => d.blocks[i]), scheme: 'viridis' } }
              : { field: 'block', type: 'quantitative', title: 'block (depth)', scale: blockScale, legend: { format: 'd' } },
          detail: { field: 'name', type: 'nominal' },
          tooltip: [{ field: 'name' }, { field: 'step' }, { field: 'alpha' }],
        },
      },
      {
        width: 520,
        height: 200,
        title: "gradient norm of each block's parameters over depth, at a few steps",
        data: { values: grads },
        mark: { type: 'line', strokeWidth: 1.3, point: n <= 30 },
        encoding: {
          x: { field: 'block', type: 'quantitative', title: 'residual block (1 = nearest the input)', axis: { format: 'd', tickMinStep: 1 } },
          y: { field: 'grad', type: 'quantitative', title: '||gradient|| (log scale)', scale: { type: 'log' } },
          color: { field: 'step', type: 'ordinal', title: 'step', scale: { scheme: 'plasma' } },
        },
      },
      {
        width: 520,
        height: 160,
        title: 'weight norm of each stage (conv and dense kernels) against step',
        data: { values: weights },
        mark: { type: 'line', strokeWidth: 1.3 },
        encoding: {
          x: { field: 'step', type: 'quantitative', title: 'step', axis: { format: 'd' } },
          y: { field: 'norm', type: 'quantitative', title: '||W||', scale: { zero: false } },
          color: { field: 'stage', type: 'nominal', title: 'stage' },
        },
      },
    ],
  } as TopLevelSpec;
}
