// A run's metrics.jsonl as one table for spreadsheets and pandas: one row per step that has a record,
// merging what was logged at that step. Columns:
//   step, epoch, batch, loss, accuracy, lr                  the training step record
//   eval_split, eval_loss, eval_accuracy                    an evaluation at that step
//   alpha.<block>, grad_norm.<block>, <scalar name>         a params record (log_params_every), per block
//   weight_norm.<stage>                                     ... and per stage
// `type` picks one kind of record instead: its fields as columns ('epoch', 'eval', 'diverged' or 'params').

import type { MetricRecord } from '../sweep/results';
import type { Cell, Column, Table } from '../table';

export const METRIC_TABLES = ['steps', 'step', 'eval', 'epoch', 'params', 'diverged'] as const;
export type MetricTableName = (typeof METRIC_TABLES)[number];

interface Layout {
  readonly blocks: readonly string[];
  readonly scalars: readonly (readonly string[])[];
  readonly stages: readonly string[];
}

function layoutOf(records: readonly MetricRecord[]): Layout | null {
  const l = records.find((r) => r.type === 'params_layout') as (MetricRecord & Partial<Layout>) | undefined;
  if (!l || !Array.isArray(l.blocks) || !Array.isArray(l.scalars) || !Array.isArray(l.stages)) return null;
  return { blocks: l.blocks, scalars: l.scalars, stages: l.stages };
}

/** The columns and cells of a params record, by the layout's names. */
function paramCells(r: MetricRecord, layout: Layout): Record<string, Cell> {
  const out: Record<string, Cell> = {};
  const alpha = r.alpha as number[];
  const grad = r.grad_norm as number[];
  const scalars = r.scalars as number[][];
  const weight = r.weight_norm as Record<string, number>;
  layout.blocks.forEach((b, i) => {
    out[`alpha.${b}`] = alpha?.[i] ?? null;
    out[`grad_norm.${b}`] = grad?.[i] ?? null;
    layout.scalars[i].forEach((name, k) => (out[name] = scalars?.[i]?.[k] ?? null));
  });
  for (const s of layout.stages) out[`weight_norm.${s}`] = weight?.[s] ?? null;
  return out;
}

function paramColumns(layout: Layout): Column[] {
  return [
    ...layout.blocks.map((b) => ({ key: `alpha.${b}`, kind: 'number' as const })),
    ...layout.blocks.map((b) => ({ key: `grad_norm.${b}`, kind: 'number' as const })),
    ...layout.scalars.flat().map((key) => ({ key, kind: 'number' as const })),
    ...layout.stages.map((s) => ({ key: `weight_norm.${s}`, kind: 'number' as const })),
  ];
}

const flat = (v: unknown): Cell => (v === null || typeof v === 'number' || typeof v === 'string' || typeof v === 'boolean' ? v : JSON.stringify(v));

/** One kind of record, its scalar fields as columns in first-seen order (lists as JSON). */
function recordTable(records: readonly MetricRecord[], type: string): Table {
  const rows = records.filter((r) => r.type === type);
  const keys: string[] = [];
  for (const r of rows) for (const k of Object.keys(r)) if (k !== 'type' && !keys.includes(k)) keys.push(k);
  return { columns: keys.map((key) => ({ key })), rows: rows.map((r) => Object.fromEntries(keys.map((k) => [k, flat(r[k])]))) };
}

/** The metrics as a table (see the file comment). */
export function metricsTable(records: readonly MetricRecord[], table: MetricTableName = 'steps'): Table {
  const layout = layoutOf(records);
  if (table === 'params' && layout !== null) {
    const rows = records.filter((r) => r.type === 'params').map((r) => ({ step: r.step, epoch: flat(r.epoch), ...paramCells(r, layout) }));
    return { columns: [{ key: 'step' }, { key: 'epoch' }, ...paramColumns(layout)], rows };
  }
  if (table !== 'steps') return recordTable(records, table);
  const byStep = new Map<number, Record<string, Cell>>();
  const row = (step: number): Record<string, Cell> => byStep.get(step) ?? byStep.set(step, { step }).get(step)!;
  for (const r of records) {
    if (r.type === 'step') Object.assign(row(r.step), { epoch: flat(r.epoch), batch: flat(r.batch), loss: flat(r.loss), accuracy: flat(r.accuracy), lr: flat(r.lr) });
    else if (r.type === 'eval') Object.assign(row(r.step), { eval_split: flat(r.split), eval_loss: flat(r.loss), eval_accuracy: flat(r.accuracy) });
    else if (r.type === 'params' && layout !== null) Object.assign(row(r.step), paramCells(r, layout));
  }
  const base = ['step', 'epoch', 'batch', 'loss', 'accuracy', 'lr', 'eval_split', 'eval_loss', 'eval_accuracy'].map((key) => ({ key }));
  return { columns: [...base, ...(layout !== null ? paramColumns(layout) : [])], rows: [...byStep.values()].sort((a, b) => (a.step as number) - (b.step as number)) };
}
