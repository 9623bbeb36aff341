// Runs a workload on every system: prepare each, warm up, then timed repetitions that alternate the
// systems' order so drift on a shared machine hits every system alike; reports medians, and checks
// that every system computed what the first one did.
//
// Nothing is dropped: a system that lacks the capability, refuses it as too slow, fails, or whose
// warm-up run exceeds the per-run limit keeps its row, with the reason.

import { isSkipped, type Measurement, type Prepared, type SystemAdapter, type Workload } from './types';

export interface RunOptions {
  /** Timed repetitions per (workload, system); at least 5 for a median worth quoting. */
  readonly reps: number;
  readonly warmup: number;
  readonly seed: number;
  /** Monotonic clock in ms (injected so tests need no wall clock). */
  readonly now: () => number;
  /** A warm-up run longer than this marks the system "too slow" for the workload (default: no limit). */
  readonly maxRunMs?: number;
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

/** Largest |a - b| / max(1, |b|); a length mismatch or a non-finite value is an infinite difference. */
export function maxRelDiff(a: Float32Array, b: Float32Array): number {
  if (a.length !== b.length || a.length === 0) return Infinity;
  let worst = 0;
  for (let i = 0; i < a.length; i++) {
    const d = Math.abs(a[i]! - b[i]!) / Math.max(1, Math.abs(b[i]!));
    if (!Number.isFinite(d)) return Infinity;
    worst = Math.max(worst, d);
  }
  return worst;
}

/** The workload's number from a median time: a rate (per run / time) or the time itself. */
export function valueOf(workload: Pick<Workload, 'unit' | 'perRun'>, ms: number): number {
  if (workload.unit === 'ms') return ms;
  if (workload.unit === 'GFLOP/s') return workload.perRun / (ms * 1e6);
  return workload.perRun / (ms / 1000);
}

const message = (e: unknown): string => (e instanceof Error ? e.message : String(e)).split('\n')[0]!;

async function timeOnce(p: Prepared, now: () => number): Promise<number> {
  await p.activate?.();
  const t0 = now();
  await p.run();
  return now() - t0;
}

/** One system's row: its median and value (when it was timed), its runs, its agreement and why it has no number. */
function measurement(workload: Workload, s: SystemAdapter, o: { timed: number[]; runs: number[]; diff: number | null; note: string | undefined }): Measurement {
  const med = o.timed.length > 0 ? median(o.timed) : null;
  return {
    group: workload.group,
    workload: workload.id,
    title: workload.title,
    unit: workload.unit,
    system: s.id,
    side: s.side,
    label: s.label,
    medianMs: med,
    value: med === null ? null : valueOf(workload, med),
    runsMs: o.runs,
    maxDiff: o.diff,
    agrees: o.diff === null ? null : o.diff <= workload.tolerance,
    ...(o.note !== undefined ? { note: o.note } : {}),
  };
}

export async function runWorkload(workload: Workload, systems: readonly SystemAdapter[], options: RunOptions): Promise<Measurement[]> {
  const log = options.onProgress ?? (() => undefined);
  const prepared = new Map<SystemAdapter, Prepared>();
  const notes = new Map<SystemAdapter, string>();
  const runs = new Map<SystemAdapter, number[]>();
  const drop = (s: SystemAdapter, note: string): void => {
    notes.set(s, note);
    prepared.get(s)?.dispose();
    prepared.delete(s);
  };
  try {
    for (const s of systems) {
      try {
        const p = await workload.prepare(s, options.seed);
        if (p === null) notes.set(s, 'not supported by this system');
        else if (isSkipped(p)) notes.set(s, p.skipped);
        else prepared.set(s, p);
      } catch (error) {
        notes.set(s, `failed: ${message(error)}`);
      }
    }
    for (const s of [...prepared.keys()]) {
      runs.set(s, []);
      try {
        for (let i = 0; i < options.warmup; i++) {
          const ms = await timeOnce(prepared.get(s)!, options.now);
          if (options.maxRunMs !== undefined && ms > options.maxRunMs) {
            runs.set(s, [ms]);
            drop(s, `too slow: one run took ${(ms / 1000).toFixed(1)} s (limit ${(options.maxRunMs / 1000).toFixed(0)} s per run; raise --max-run-s to time it)`);
            break;
          }
        }
      } catch (error) {
        drop(s, `failed in warm-up: ${message(error)}`);
      }
      log(`  ${workload.id} on ${s.label}: ${notes.get(s) ?? 'warmed up'}`);
    }
    for (let rep = 0; rep < options.reps; rep++) {
      for (const s of rotation([...prepared.keys()], rep)) {
        try {
          const ms = await timeOnce(prepared.get(s)!, options.now);
          runs.get(s)!.push(ms);
          if (ms > 1000) log(`  ${workload.id} run ${rep + 1}/${options.reps} on ${s.label}: ${(ms / 1000).toFixed(1)} s`);
        } catch (error) {
          drop(s, `failed in run ${rep + 1}: ${message(error)}`);
        }
      }
    }
    // every system computed the same thing: its sample against the first system's
    const samples = new Map<SystemAdapter, Float32Array>();
    for (const [s, p] of prepared) {
      try {
        await p.activate?.();
        samples.set(s, await p.sample());
      } catch (error) {
        drop(s, `failed reading its output: ${message(error)}`);
      }
    }
    const reference = systems.find((s) => samples.has(s));
    const out: Measurement[] = systems.map((s) =>
      measurement(workload, s, {
        timed: prepared.has(s) ? runs.get(s)! : [],
        runs: runs.get(s) ?? [],
        diff: reference && samples.has(s) ? maxRelDiff(samples.get(s)!, samples.get(reference)!) : null,
        note: notes.get(s),
      }),
    );
    for (const m of out) {
      const what = m.value === null ? m.note : `${m.value.toPrecision(4)} ${m.unit} (median ${m.medianMs!.toFixed(1)} ms)`;
      log(`${m.title} on ${m.label}: ${what}${m.agrees === false ? ` — DISAGREES with ${reference!.label} (diff ${m.maxDiff!.toExponential(2)})` : ''}`);
    }
    return out;
  } finally {
    for (const p of prepared.values()) p.dispose();
    workload.dispose?.();
  }
}
