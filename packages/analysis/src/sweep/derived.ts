// The tables that answer the paper's questions from a sweep's results (claims P3-P6 of docs/reproduction.md):
//
//   per batch size   each scheme's optimal learning rate (the highest final test accuracy among the runs that
//                    did not fail), the largest stable learning rate (the largest that did not fail) and the
//                    smallest that failed
//   per depth        each scheme's accuracy at its optimal learning rate
//
// A run FAILS when it diverged (the trainer stopped it: a non-finite or exploding loss) or when it completed
// without learning: final test accuracy at most twice chance (2 / classes). A batch-norm network at a huge
// learning rate does the latter: its scale invariance keeps the loss finite while the weights stop improving.
//
// A cell's "scheme" is its values on the axes other than the learning rate, the batch size, the seed and
// the depth (an axis whose values set the number of residual blocks), e.g. "skipinit" or "norm=bn init=plain".
// The learning rate, batch size and depth come from the resolved configuration, swept or not. Cells that
// differ only by seed are replicates: their accuracies are averaged, and a learning rate counts as
// diverged when any replicate diverged.
import { formatSweepValue } from '@skipinit/graph';
import type { Cell, Column, Table } from '../table';
import type { SweepManifest } from './plan';
import type { CellResult } from './results';

const NOT_SCHEME = new Set(['lr', 'batch', 'seed']);

/** Axes that set the depth: each value gives one block count, and not all the same. */
export function depthAxes(manifest: Pick<SweepManifest, 'axes'>, results: readonly CellResult[]): string[] {
  return manifest.axes
    .filter((a) => {
      const byValue = new Map<string, Set<number>>();
      for (const r of results) {
        const v = r.values[a.name];
        if (v === undefined) continue;
        const k = formatSweepValue(v);
        if (!byValue.has(k)) byValue.set(k, new Set());
        byValue.get(k)!.add(r.depth);
      }
      const all = new Set([...byValue.values()].flatMap((s) => [...s]));
      return all.size > 1 && [...byValue.values()].every((s) => s.size === 1);
    })
    .map((a) => a.name);
}

/** The scheme label of each result (see the file comment). */
export function schemeLabels(manifest: Pick<SweepManifest, 'axes'>, results: readonly CellResult[]): string[] {
  const depth = new Set(depthAxes(manifest, results));
  const axes = manifest.axes.map((a) => a.name).filter((n) => !NOT_SCHEME.has(n) && !depth.has(n));
  return results.map((r) => {
    if (axes.length === 0) return 'all';
    if (axes.length === 1) return r.values[axes[0]] === undefined ? '-' : formatSweepValue(r.values[axes[0]]);
    return axes.map((a) => `${a}=${r.values[a] === undefined ? '-' : formatSweepValue(r.values[a])}`).join(' ');
  });
}

/** Replicates (cells differing by seed only) merged: one point per (scheme, depth, batch, lr). */
export interface LrPoint {
  readonly scheme: string;
  readonly depth: number;
  readonly batch: number;
  readonly lr: number;
  /** Mean final test accuracy of the replicates that completed (null: none did). */
  readonly accuracy: number | null;
  /** Some replicate diverged. */
  readonly diverged: boolean;
  /** Some replicate completed without learning (final test accuracy <= 2 / classes). */
  readonly stalled: boolean;
  /** Every replicate has a final result (completed or diverged). */
  readonly finished: boolean;
  readonly replicates: number;
}

export function lrPoints(manifest: Pick<SweepManifest, 'axes'>, results: readonly CellResult[]): LrPoint[] {
  const labels = schemeLabels(manifest, results);
  const groups = new Map<string, { scheme: string; r: CellResult[] }>();
  results.forEach((r, i) => {
    const k = JSON.stringify([labels[i], r.depth, r.batch, r.lr]);
    if (!groups.has(k)) groups.set(k, { scheme: labels[i], r: [] });
    groups.get(k)!.r.push(r);
  });
  return [...groups.values()].map(({ scheme, r }) => {
    const acc = r.map((x) => x.finalTestAccuracy).filter((a): a is number => a !== null);
    return {
      scheme,
      depth: r[0].depth,
      batch: r[0].batch,
      lr: r[0].lr,
      accuracy: acc.length > 0 ? acc.reduce((a, b) => a + b, 0) / acc.length : null,
      diverged: r.some((x) => x.diverged),
      stalled: r.some((x) => x.status === 'completed' && x.classes !== null && x.finalTestAccuracy !== null && x.finalTestAccuracy <= 2 / x.classes),
      finished: r.every((x) => x.status === 'completed' || x.status === 'diverged'),
      replicates: r.length,
    };
  });
}

export interface BatchRow {
  readonly depth: number;
  readonly batch: number;
  readonly scheme: string;
  readonly lrs: number;
  readonly optimalLr: number | null;
  readonly optimalAccuracy: number | null;
  readonly largestStableLr: number | null;
  /** The smallest learning rate at which a run diverged or stalled. */
  readonly smallestFailedLr: number | null;
}

const uniq = <T>(xs: readonly T[]): T[] => [...new Set(xs)];
const byNumber = (a: number, b: number): number => a - b;

/** Per (depth, batch size, scheme): the optimal and the largest stable learning rate. */
export function batchRows(points: readonly LrPoint[]): BatchRow[] {
  const rows: BatchRow[] = [];
  for (const depth of uniq(points.map((p) => p.depth)).sort(byNumber))
    for (const batch of uniq(points.map((p) => p.batch)).sort(byNumber))
      for (const scheme of uniq(points.map((p) => p.scheme))) {
        const ps = points.filter((p) => p.depth === depth && p.batch === batch && p.scheme === scheme).sort((a, b) => a.lr - b.lr);
        if (ps.length === 0) continue;
        const stable = ps.filter((p) => !p.diverged && !p.stalled && p.finished);
        const scored = stable.filter((p) => p.accuracy !== null);
        // The best accuracy; a tie goes to the smaller learning rate.
        const best = scored.reduce<LrPoint | null>((b, p) => (b === null || p.accuracy! > b.accuracy! ? p : b), null);
        const failed = ps.filter((p) => p.diverged || p.stalled);
        rows.push({
          depth,
          batch,
          scheme,
          lrs: ps.length,
          optimalLr: best?.lr ?? null,
          optimalAccuracy: best?.accuracy ?? null,
          largestStableLr: stable.length > 0 ? stable[stable.length - 1].lr : null,
          smallestFailedLr: failed.length > 0 ? failed[0].lr : null,
        });
      }
  return rows;
}

/** The per-batch-size table (a depth column only when the depth varies). */
export function batchTable(rows: readonly BatchRow[]): Table {
  const depths = uniq(rows.map((r) => r.depth));
  const columns: Column[] = [
    ...(depths.length > 1 ? [{ key: 'blocks', kind: 'number' } as Column] : []),
    { key: 'batch', kind: 'number' },
    { key: 'scheme', kind: 'text' },
    { key: 'lrs', title: 'lrs tried', kind: 'number' },
    { key: 'optimal_lr', title: 'optimal lr', kind: 'number' },
    { key: 'optimal_accuracy', title: 'test acc at optimal lr', kind: 'percent' },
    { key: 'largest_stable_lr', title: 'largest stable lr', kind: 'number' },
    { key: 'smallest_failed_lr', title: 'smallest failed lr', kind: 'number' },
  ];
  return {
    columns,
    rows: rows.map((r) => ({
      blocks: r.depth,
      batch: r.batch,
      scheme: r.scheme,
      lrs: r.lrs,
      optimal_lr: r.optimalLr,
      optimal_accuracy: r.optimalAccuracy,
      largest_stable_lr: r.largestStableLr,
      smallest_failed_lr: r.smallestFailedLr,
    })),
  };
}

/** Per depth (and batch size, when it varies): each scheme's accuracy at its optimal learning rate; 'failed' when every learning rate failed. */
export function depthTable(rows: readonly BatchRow[]): Table {
  const schemes = uniq(rows.map((r) => r.scheme));
  const batches = uniq(rows.map((r) => r.batch));
  const columns: Column[] = [
    { key: 'blocks', kind: 'number' },
    ...(batches.length > 1 ? [{ key: 'batch', kind: 'number' } as Column] : []),
    ...schemes.map((s): Column => ({ key: s, kind: 'percent' })),
  ];
  const out: Record<string, Cell>[] = [];
  for (const depth of uniq(rows.map((r) => r.depth)).sort(byNumber))
    for (const batch of batches.sort(byNumber)) {
      const these = rows.filter((r) => r.depth === depth && r.batch === batch);
      if (these.length === 0) continue;
      const row: Record<string, Cell> = { blocks: depth, batch };
      for (const s of schemes) {
        const r = these.find((x) => x.scheme === s);
        row[s] = r === undefined ? null : r.optimalAccuracy ?? (r.smallestFailedLr !== null && r.largestStableLr === null ? 'failed' : null);
      }
      out.push(row);
    }
  return { columns, rows: out };
}
