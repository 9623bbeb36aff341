import { describe, expect, it } from 'vitest';
import { maxRelDiff, median, rotation, runWorkload, valueOf } from './runner';
import type { Prepared, SystemAdapter, Workload } from './types';
import { matmulWorkload } from './workloads/tensor';

// The runner on a scripted clock: each fake system advances time by its cost per run.
function clock() {
  const state = { t: 0, order: [] as string[] };
  const fake = (id: string, cost: number | number[], sample: number[] = [1, 2], side: 'ours' | 'peer' = 'ours'): SystemAdapter => {
    let calls = 0;
    const prepared = (): Prepared => ({
      run: () => {
        state.order.push(id);
        state.t += Array.isArray(cost) ? cost[Math.min(calls++, cost.length - 1)]! : cost;
      },
      sample: async () => Float32Array.from(sample),
      dispose: () => undefined,
    });
    return { id, side, label: id, details: {}, matmul: prepared, dispose: () => undefined };
  };
  return { state, fake, now: () => state.t };
}

const w: Workload = { ...matmulWorkload(100), tolerance: 1e-3 };

describe('runner', () => {
  it('median of odd and even counts', () => {
    expect(median([5, 1, 3])).toBe(3);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(() => median([])).toThrow();
  });

  it('rotates the systems each repetition', () => {
    expect([0, 1, 2, 3].map((r) => rotation(['a', 'b', 'c'], r).join(''))).toEqual(['abc', 'bca', 'cab', 'abc']);
  });

  it('turns a median time into the unit: GFLOP/s, images/s, ms', () => {
    expect(valueOf({ unit: 'GFLOP/s', perRun: 2e9 }, 1000)).toBe(2);
    expect(valueOf({ unit: 'images/s', perRun: 64 }, 500)).toBe(128);
    expect(valueOf({ unit: 'ms', perRun: 0 }, 12.5)).toBe(12.5);
  });

  it('compares samples relative to max(1, |reference|); a length mismatch or NaN never agrees', () => {
    expect(maxRelDiff(Float32Array.of(101, 0.5), Float32Array.of(100, 0.25))).toBeCloseTo(0.25);
    expect(maxRelDiff(Float32Array.of(1), Float32Array.of(1, 2))).toBe(Infinity);
    expect(maxRelDiff(Float32Array.of(NaN), Float32Array.of(1))).toBe(Infinity);
  });

  it('times each system alternating, reports medians in the unit, and keeps systems that cannot run', async () => {
    const c = clock();
    const none: SystemAdapter = { id: 'none', side: 'peer', label: 'none', details: {}, dispose: () => undefined };
    const slow: SystemAdapter = { id: 'slow', side: 'peer', label: 'slow', details: {}, matmul: () => ({ skipped: 'too slow: known' }), dispose: () => undefined };
    const res = await runWorkload(w, [c.fake('a', 2), c.fake('b', 4, [1, 2], 'peer'), none, slow], { reps: 5, warmup: 1, seed: 1, now: c.now });
    expect(c.state.order.slice(2)).toEqual(['a', 'b', 'b', 'a', 'a', 'b', 'b', 'a', 'a', 'b']);
    expect(res.map((m) => m.medianMs)).toEqual([2, 4, null, null]);
    expect(res[0]!.value).toBeCloseTo((2 * 100 ** 3) / 2e6);
    expect(res.map((m) => m.note)).toEqual([undefined, undefined, 'not supported by this system', 'too slow: known']);
    expect(res.map((m) => m.agrees)).toEqual([true, true, null, null]);
  });

  it('flags a system whose output differs beyond the tolerance', async () => {
    const c = clock();
    const res = await runWorkload(w, [c.fake('a', 1, [2.0, 3.0]), c.fake('b', 1, [2.0, 3.01])], { reps: 5, warmup: 1, seed: 1, now: c.now });
    expect(res[1]!.maxDiff).toBeCloseTo(0.01 / 3, 6);
    expect(res[1]!.agrees).toBe(false);
  });

  it('marks a system too slow when a warm-up run passes the limit, keeping the time it took', async () => {
    const c = clock();
    const res = await runWorkload(w, [c.fake('a', 1), c.fake('b', 5000)], { reps: 5, warmup: 1, seed: 1, now: c.now, maxRunMs: 1000 });
    expect(res[1]!.medianMs).toBeNull();
    expect(res[1]!.runsMs).toEqual([5000]);
    expect(res[1]!.note).toMatch(/^too slow: one run took 5\.0 s \(limit 1 s per run/);
    expect(c.state.order.filter((s) => s === 'b')).toHaveLength(1);
  });

  it('keeps a system that throws, with the error, and goes on with the others', async () => {
    const c = clock();
    const broken: SystemAdapter = {
      id: 'broken',
      side: 'peer',
      label: 'broken',
      details: {},
      matmul: () => ({ run: () => { throw new Error('kernel exploded\nstack...'); }, sample: async () => new Float32Array(1), dispose: () => undefined }),
      dispose: () => undefined,
    };
    const res = await runWorkload(w, [c.fake('a', 1), broken], { reps: 5, warmup: 1, seed: 1, now: c.now });
    expect(res[0]!.runsMs).toHaveLength(5);
    expect(res[1]!.note).toBe('failed in warm-up: kernel exploded');
    expect(res[1]!.medianMs).toBeNull();
  });
});
