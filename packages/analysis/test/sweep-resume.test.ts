// A tiny sweep on synthetic data (gaussian blobs), run in worker processes: completes, skips finished cells
// when repeated, and when interrupted (the sweep aborted, or a worker killed outright) resumes to exactly the
// results of the uninterrupted sweep.
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ResolvedTrainSpec } from '@skipinit/graph';
import { resolveTrainSpec } from '@skipinit/graph';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { sweepFiles, sweepReport } from '../src/report/sweep-report';
import { cellState } from '../src/sweep/cell-state';
import type { SweepCell } from '../src/sweep/plan';
import { planSweep } from '../src/sweep/plan';
import type { RunSweepOptions, SweepEvent } from '../src/sweep/run';
import { runSweep } from '../src/sweep/run';
import { toCsv } from '../src/table';
import { bundleSweepWorker } from './bundle-worker';
import { mlp } from './nets';

let worker = '';
const scratch = mkdtempSync(join(tmpdir(), 'sweep-test-'));
beforeAll(async () => {
  worker = await bundleSweepWorker();
});
afterAll(() => {
  rmSync(scratch, { recursive: true, force: true });
  rmSync(worker, { force: true });
});

const axes = [
  { name: 'init', values: ['skipinit', 'plain'] },
  { name: 'lr', values: [0.02, 0.2] },
];
function cells(): SweepCell[] {
  const train = (lr: number): ResolvedTrainSpec =>
    resolveTrainSpec({ data: { name: 'blobs', batch: 32, limit: 640 }, optimizer: { name: 'sgd', lr, momentum: 0.9 }, steps: 40, evalEvery: 10, seed: 3 });
  const out = [];
  for (const init of ['skipinit', 'plain'] as const)
    for (const lr of [0.02, 0.2]) out.push({ index: out.length, key: `init=${init},lr=${lr}`, values: { init, lr }, graph: mlp(3, { width: 16, init }), train: train(lr) });
  return planSweep(out);
}

const sweep = (dir: string, extra: Partial<RunSweepOptions> = {}) =>
  runSweep({ dir, name: 'tiny', axes, cells: cells(), loop: { logEvery: 1, evalBatchSize: 500, checkpointEvery: 'eval' }, worker: { command: process.execPath, args: [worker] }, parallel: 2, ...extra });

const table = (dir: string): string => toCsv(sweepReport(dir).tables.results);
const metrics = (dir: string, cell: SweepCell): string => readFileSync(join(dir, cell.dir, 'metrics.jsonl'), 'utf8');

describe('a sweep in worker processes', () => {
  const reference = join(scratch, 'reference');

  test('runs every cell to a result; run again, it skips them all', async () => {
    const events: SweepEvent[] = [];
    const first = await sweep(reference, { onEvent: (e) => events.push(e) });
    expect(first.cells.map((c) => [c.before, c.outcome, c.error])).toEqual(Array(4).fill(['new', 'done', null]));
    expect(first.complete).toBe(true);
    expect(events[0]).toMatchObject({ type: 'plan', cells: 4, states: { new: 4, done: 0 } });
    const report = sweepReport(reference);
    expect(report.results.map((r) => r.status)).toEqual(['completed', 'completed', 'completed', 'completed']);
    // ten gaussian blobs (chance 10%): skipinit learns them within 40 steps at both learning rates
    expect(report.results.filter((r) => r.values.init === 'skipinit').map((r) => r.finalTestAccuracy! > 0.5)).toEqual([true, true]);
    for (const r of report.results) {
      expect(r.finalTrainLoss).toBeLessThan(Math.log(10) + 0.1);
      expect(r.bestTestAccuracy).toBeGreaterThanOrEqual(r.finalTestAccuracy!);
      expect(r.steps).toBe(40);
    }

    const again: SweepEvent[] = [];
    const second = await sweep(reference, { onEvent: (e) => again.push(e) });
    expect(second.cells.map((c) => [c.before, c.outcome])).toEqual(Array(4).fill(['done', 'done']));
    expect(again.filter((e) => e.type === 'cellStart')).toEqual([]);

    const files = await sweepFiles(reference);
    expect(files.map((f) => f.name)).toEqual(
      expect.arrayContaining(['results/results.csv', 'results/by-batch.md', 'results/accuracy-vs-lr.png', 'results/lr-vs-batch.svg', 'results/curves.png']),
    );
  });

  test('aborted mid-run, the workers checkpoint and stop; run again, it resumes to the same results, byte for byte', async () => {
    const dir = join(scratch, 'aborted');
    const controller = new AbortController();
    const stopped = await sweep(dir, {
      signal: controller.signal,
      onEvent: (e) => {
        if (e.type === 'cellMessage' && e.message.type === 'eval' && e.message.step === 20) controller.abort();
      },
    });
    expect(stopped.interrupted).toBe(true);
    expect(stopped.cells.some((c) => c.outcome === 'interrupted')).toBe(true);
    expect(stopped.cells.some((c) => c.outcome === 'skipped')).toBe(true);
    const cs = cells();
    const states = cs.map((c) => cellState(join(dir, c.dir), c.hash));
    expect(states).toContain('resume');

    const resumed = await sweep(dir);
    expect(resumed.complete).toBe(true);
    expect(resumed.cells.map((c) => c.before)).toEqual(states);
    expect(table(dir)).toBe(table(reference));
    for (const c of cs) expect(metrics(dir, c)).toBe(metrics(reference, c));
  });

  test('a worker killed outright (SIGKILL, no checkpoint on the way out) resumes from its last checkpoint', async () => {
    const dir = join(scratch, 'killed');
    const pids = new Map<number, number>();
    const killed = await sweep(dir, {
      parallel: 1,
      onEvent: (e) => {
        if (e.type === 'cellMessage' && e.message.type === 'begin') pids.set(e.index, lockPid(dir, e.index));
        if (e.type === 'cellMessage' && e.message.type === 'eval' && e.message.step === 30 && e.index === 0) process.kill(pids.get(0)!, 'SIGKILL');
      },
    });
    expect(killed.cells[0].outcome).toBe('failed');
    expect(killed.cells.slice(1).map((c) => c.outcome)).toEqual(['done', 'done', 'done']);
    const c0 = cells()[0];
    expect(existsSync(join(dir, c0.dir, 'worker.lock'))).toBe(true); // left behind by the dead worker
    expect(cellState(join(dir, c0.dir), c0.hash)).toBe('resume'); // its pid is dead: the lock is stale

    const resumed = await sweep(dir);
    expect(resumed.cells.map((c) => [c.before, c.outcome])).toEqual([['resume', 'done'], ...Array(3).fill(['done', 'done'])]);
    expect(table(dir)).toBe(table(reference));
    expect(metrics(dir, c0)).toBe(metrics(reference, c0));
  });
});

function lockPid(dir: string, index: number): number {
  const c = cells()[index];
  return Number.parseInt(readFileSync(join(dir, c.dir, 'worker.lock'), 'utf8'), 10);
}
