// Speed-ups of ours over the peers: their median time / our median time for the same workload, so
// above 1 means we are faster (for a rate such as GFLOP/s or images/s it is our rate / their rate).

import type { Measurement } from './types';

/** speedup[workload][our system][peer system]: null where either side has no median. */
export type Speedups = Record<string, Record<string, Record<string, number | null>>>;

export function speedup(ours: Pick<Measurement, 'medianMs'>, theirs: Pick<Measurement, 'medianMs'>): number | null {
  if (ours.medianMs === null || theirs.medianMs === null || !(ours.medianMs > 0)) return null;
  return theirs.medianMs / ours.medianMs;
}

export function speedups(results: readonly Measurement[]): Speedups {
  const out: Speedups = {};
  const byWorkload = new Map<string, Measurement[]>();
  for (const m of results) byWorkload.set(m.workload, [...(byWorkload.get(m.workload) ?? []), m]);
  for (const [workload, rows] of byWorkload) {
    const peers = rows.filter((m) => m.side === 'peer');
    if (peers.length === 0) continue;
    out[workload] = {};
    for (const ours of rows.filter((m) => m.side === 'ours')) {
      out[workload][ours.system] = Object.fromEntries(peers.map((p) => [p.system, speedup(ours, p)]));
    }
  }
  return out;
}

/** "2.31x", or "-" for null. */
export function formatSpeedup(x: number | null): string {
  if (x === null) return '-';
  return `${x >= 10 ? x.toFixed(1) : x.toFixed(2)}x`;
}
