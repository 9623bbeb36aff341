import { describe, expect, it } from 'vitest';
import { createGpuJsBackend } from '@skipinit/backend-gpujs';
import { parseArgs } from './cli';
import { formatTable } from './report';
import { median, rotation, runWorkload } from './runner';
import { GpuJsSystem } from './systems/gpujs';
import type { Prepared, SystemAdapter } from './types';
import { convWorkload, matmulWorkload } from './workloads/tensor';

describe('runner', () => {
  it('median of odd and even counts', () => {
    expect(median([5, 1, 3])).toBe(3);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(() => median([])).toThrow();
  });

  it('rotates the systems each repetition', () => {
    expect([0, 1, 2, 3].map((r) => rotation(['a', 'b', 'c'], r).join(''))).toEqual(['abc', 'bca', 'cab', 'abc']);
  });

  it('times each system on a scripted clock, alternating, and reports medians and GFLOP/s', async () => {
    const order: string[] = [];
    let t = 0;
    const fake = (id: string, cost: number): SystemAdapter => ({
      id,
      label: id,
      details: {},
      matmul: (): Prepared => ({
        run: () => {
          order.push(id);
          t += cost;
        },
        sample: async () => new Float32Array([1, 2]),
        dispose: () => undefined,
      }),
      dispose: () => undefined,
    });
    const none: SystemAdapter = { id: 'none', label: 'none', details: {}, dispose: () => undefined };
    const res = await runWorkload(matmulWorkload(100), [fake('a', 2), fake('b', 4), none], { reps: 5, warmup: 1, seed: 1, now: () => t });
    expect(order.slice(2)).toEqual(['a', 'b', 'b', 'a', 'a', 'b', 'b', 'a', 'a', 'b']);
    expect(res.map((m) => m.medianMs)).toEqual([2, 4, null]);
    expect(res[0]!.gflops).toBeCloseTo((2 * 100 ** 3) / 2e6);
    expect(res[2]!.note).toBe('not supported by this system');
    expect(res[1]!.maxDiff).toBe(0);
  });

  it('runs the real engine on a small matmul and conv, and both modes agree', async () => {
    const systems = [new GpuJsSystem(createGpuJsBackend({ mode: 'webasm' })), new GpuJsSystem(createGpuJsBackend({ mode: 'cpu' }))];
    let t = 0;
    const opts = { reps: 5, warmup: 1, seed: 3, now: () => ++t };
    const mm = await runWorkload(matmulWorkload(12), systems, opts);
    const conv = await runWorkload(convWorkload({ batch: 2, inChannels: 3, outChannels: 5, height: 6, width: 7, kernel: 3, padding: 1, stride: 1 }, true), systems, opts);
    for (const m of [...mm, ...conv]) {
      expect(m.runsMs).toHaveLength(5);
      expect(m.maxDiff).toBeLessThan(1e-5);
    }
    expect(mm[0]!.label).toBe('skipinit gpu.js webasm, 1 thread');
    const table = formatTable({ suite: 'tensor', date: 'today', machine: { cpus: 2 }, reps: 5, systems: [], skipped: ['headlessgl: no gl'], results: [...mm, ...conv] });
    expect(table).toContain('matmul 12x12x12');
    expect(table).toContain('not run: headlessgl: no gl');
    systems.forEach((s) => s.dispose());
  });
});

describe('arguments', () => {
  it('parses the suite and options', () => {
    expect(parseArgs(['tensor', '--json', '--reps', '7', '--modes', 'webasm'])).toMatchObject({ suite: 'tensor', json: true, reps: 7, modes: ['webasm'] });
    expect(parseArgs([])).toMatchObject({ suite: 'tensor', json: false, reps: 5, threads: true });
  });

  it('rejects what it does not know, and medians of fewer than 5 runs', () => {
    expect(() => parseArgs(['tensor', '--reps', '3'])).toThrow(/--reps must be an integer >= 5/);
    expect(() => parseArgs(['models'])).toThrow(/unknown suite 'models'/);
    expect(() => parseArgs(['--fast'])).toThrow(/unknown option --fast/);
  });
});
