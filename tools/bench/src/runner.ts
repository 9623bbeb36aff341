// Runs workloads on systems: warm-up, then timed repetitions that alternate the systems' order so
// drift on a shared machine hits every system alike; reports medians.

import type { Measurement, Prepared, SystemAdapter, Workload } from './types';

export interface RunOptions {
  /** Timed repetitions per (workload, system); at least 5 for a median worth quoting. */
  readonly reps: number;
  readonly warmup: number;
  readonly seed: number;
  /** Monotonic clock in ms (injected so tests need no wall clock). */
  readonly now: () => number;
  readonly onProgress?: (line: string) => void;
}

export function median(xs: readonly number[]): number {
  if (xs.length === 0) throw new RangeError('median of no values');
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 === 1 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

/** The order of systems in repetition `rep`: rotated by one each time. */
export function rotation<T>(items: readonly T[], rep: number): T[] {
  if (items.length === 0) return [];
  const k = rep % items.length;
  return [...items.slice(k), ...items.slice(0, k)];
}

async function timeOnce(p: Prepared, now: () => number): Promise<number> {
  const t0 = now();
  await p.run();
  return now() - t0;
}

export async function runWorkload(workload: Workload, systems: readonly SystemAdapter[], options: RunOptions): Promise<Measurement[]> {
  const prepared = new Map<SystemAdapter, Prepared>();
  const notes = new Map<SystemAdapter, string>();
  for (const s of systems) {
    try {
      const p = workload.prepare(s, options.seed);
      if (p) prepared.set(s, p);
      else notes.set(s, 'not supported by this system');
    } catch (error) {
      notes.set(s, `failed: ${(error as Error).message}`);
    }
  }
  const runs = new Map<SystemAdapter, number[]>();
  const active = systems.filter((s) => prepared.has(s));
  for (const s of active) {
    runs.set(s, []);
    for (let i = 0; i < options.warmup; i++) await prepared.get(s)!.run();
  }
  for (let rep = 0; rep < options.reps; rep++) {
    for (const s of rotation(active, rep)) runs.get(s)!.push(await timeOnce(prepared.get(s)!, options.now));
  }
  // every system computed the same thing: the first values of each output against the first system's
  const samples = new Map<SystemAdapter, Float32Array>();
  for (const s of active) samples.set(s, await prepared.get(s)!.sample());
  const first = active.length > 0 ? samples.get(active[0]!)! : null;
  const out: Measurement[] = systems.map((s) => {
    const r = runs.get(s) ?? [];
    const med = r.length > 0 ? median(r) : null;
    return {
      suite: workload.suite,
      workload: workload.id,
      title: workload.title,
      system: s.id,
      label: s.label,
      medianMs: med,
      gflops: med === null ? null : workload.flops / (med * 1e6),
      runsMs: r,
      maxDiff: first && samples.has(s) ? maxRelDiff(samples.get(s)!, first) : null,
      ...(notes.has(s) ? { note: notes.get(s)! } : {}),
    };
  });
  for (const p of prepared.values()) p.dispose();
  for (const m of out) options.onProgress?.(`${m.title} on ${m.label}: ${m.medianMs === null ? m.note : `${m.medianMs.toFixed(2)} ms`}`);
  return out;
}

/** Largest |a - b| / max(1, |b|) over the shared prefix. */
export function maxRelDiff(a: Float32Array, b: Float32Array): number {
  let worst = 0;
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) worst = Math.max(worst, Math.abs(a[i]! - b[i]!) / Math.max(1, Math.abs(b[i]!)));
  return worst;
}
