// The queue worker in this process (runQueueWorker) with its cells' child processes (the fixture: analysis's
// runSweepWorker with the store's CellSync, on the reference backend), against a real redis-server.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { enqueueSweep } from '../src/enqueue';
import { jobIdOf } from '../src/queued-sweep';
import { openQueue } from '../src/queue-handle';
import type { QueueWorkerEvent } from '../src/queue-worker';
import { runQueueWorker } from '../src/queue-worker';
import { parseRedisUrl } from '../src/redis-url';
import { DirStore } from '../src/store/dir-store';
import { sweepStatus } from '../src/sweep-status';
import type { RedisServer } from '../src/testing/redis-server';
import { startRedisServer } from '../src/testing/redis-server';
import { bundleCellWorker } from './bundle-cell-worker';
import { tinyCells } from './cells';

let server: RedisServer;
let cellWorker = '';
const scratch = mkdtempSync(join(tmpdir(), 'queue-worker-'));
beforeAll(async () => {
  [server, cellWorker] = await Promise.all([startRedisServer(), bundleCellWorker()]);
});
afterAll(async () => {
  await server?.stop();
  rmSync(scratch, { recursive: true, force: true });
  rmSync(cellWorker, { force: true });
});

function startWorker(url: string, name: string, events: QueueWorkerEvent[], onEvent: (e: QueueWorkerEvent) => void = () => undefined) {
  const controller = new AbortController();
  const done = runQueueWorker({
    target: parseRedisUrl(url),
    cell: { command: process.execPath, args: [cellWorker] },
    workDir: join(scratch, `work-${name}`),
    name,
    stallMs: 2000,
    signal: controller.signal,
    onEvent: (e) => {
      events.push(e);
      onEvent(e);
    },
  });
  return { stop: () => controller.abort(), done };
}

const until = async (check: () => boolean | Promise<boolean>, ms = 60_000): Promise<void> => {
  for (const t0 = Date.now(); !(await check()); await new Promise((r) => setTimeout(r, 50))) if (Date.now() - t0 > ms) throw new Error('timed out');
};

describe('runQueueWorker', () => {
  test('trains every cell of the queue into the store; a diverged run is a result', async () => {
    const url = `${server.url}?queue=w1`;
    const handle = openQueue(parseRedisUrl(url));
    const store = new DirStore(join(scratch, 'store1'));
    const { cells, manifest } = tinyCells([0.05, 80], 40);
    const enqueued = await enqueueSweep({ redis: handle.redis, queue: handle.queue, store, manifest, cells, shown: url });
    const events: QueueWorkerEvent[] = [];
    const t0 = performance.now();
    const w = startWorker(url, 'w1', events);
    await until(async () => (await sweepStatus(handle.queue, enqueued.sweep, store)).every((r) => r.state === 'done'));
    console.log(`2 cells of 40 steps: ${((performance.now() - t0) / 1000).toFixed(1)} s`);
    w.stop();
    expect(await w.done).toEqual({ cells: 2 });
    const rows = await sweepStatus(handle.queue, enqueued.sweep, store);
    expect(rows.map((r) => [r.state, r.result?.status, r.worker, r.attempts, r.starts])).toEqual([
      ['done', 'completed', 'w1', 0, 1],
      ['done', 'diverged', 'w1', 0, 1],
    ]);
    expect(events.filter((e) => e.type === 'cellDone').map((e) => (e as { result: { status: string } }).result.status)).toEqual(['completed', 'diverged']);
    expect(events.at(-1)).toEqual({ type: 'stopped', cells: 2 });
    const summary = JSON.parse(readFileSync(join(store.localRoot, cells[0].dir, 'summary.json'), 'utf8'));
    expect(summary).toMatchObject({ status: 'completed', steps: 40 });
    expect(readFileSync(join(store.localRoot, cells[0].dir, 'worker.log'), 'utf8')).toMatch(/^--- w1, try 1, .*, exit 0\n/);
    await handle.close();
  });

  test('stopped, a worker gives its cell back with a checkpoint; with its lock lost, it stops without writing; both resume exactly', async () => {
    const { cells, manifest } = tinyCells([0.05], 120);
    const queueOf = async (name: string) => {
      const url = `${server.url}?queue=${name}`;
      const handle = openQueue(parseRedisUrl(url));
      const store = new DirStore(join(scratch, name));
      const enqueued = await enqueueSweep({ redis: handle.redis, queue: handle.queue, store, manifest, cells, shown: url });
      const finished = () => until(async () => (await sweepStatus(handle.queue, enqueued.sweep, store))[0].state === 'done');
      const file = (name: string) => readFileSync(join(store.localRoot, cells[0].dir, name), 'utf8');
      return { url, handle, store, enqueued, finished, metrics: () => file('metrics.jsonl'), timing: () => file('timing.jsonl') };
    };
    const atStep30 = (e: QueueWorkerEvent): boolean => e.type === 'cellMessage' && e.message.type === 'eval' && e.message.step === 30;
    const resumedAt = (events: QueueWorkerEvent[]): number[] =>
      events.flatMap((e) => (e.type === 'cellMessage' && e.message.type === 'begin' && e.message.resumed ? [e.message.step] : []));

    const reference = await queueOf('reference');
    const r = startWorker(reference.url, 'r', []);
    await reference.finished();
    r.stop();
    await r.done;

    const given = await queueOf('given-back');
    const first: QueueWorkerEvent[] = [];
    const a = startWorker(given.url, 'a', first, (e) => (atStep30(e) ? a.stop() : undefined));
    await a.done;
    expect(first.map((e) => e.type)).toContain('cellGivenBack');
    expect((await sweepStatus(given.handle.queue, given.enqueued.sweep, given.store))[0]).toMatchObject({ state: 'waiting', attempts: 0 });
    const second: QueueWorkerEvent[] = [];
    const b = startWorker(given.url, 'b', second);
    await given.finished();
    b.stop();
    await b.done;
    expect(resumedAt(second)[0]).toBeGreaterThanOrEqual(30);
    expect(given.metrics()).toBe(reference.metrics());
    expect(given.timing()).toContain('"status":"interrupted"'); // the stopped child pushed its checkpoint and summary

    const lost = await queueOf('lost-lock');
    const events: QueueWorkerEvent[] = [];
    const lockKey = `${lost.handle.queue.toKey(jobIdOf(cells[0].hash))}:lock`;
    const c = startWorker(lost.url, 'c', events, (e) => (atStep30(e) && events.filter(atStep30).length === 1 ? void lost.handle.redis.del(lockKey) : undefined));
    await lost.finished();
    c.stop();
    await c.done;
    expect(events.map((e) => e.type)).toContain('cellLost');
    expect(events.filter((e) => e.type === 'stalled')).toHaveLength(1);
    expect(resumedAt(events).length).toBe(1);
    expect(lost.metrics()).toBe(reference.metrics());
    // the orphaned child wrote its last checkpoint locally only: the store's log never saw it stop
    expect(lost.timing()).not.toContain('"status":"interrupted"');
    expect(lost.timing()).toMatch(/"type":"resume"/);
    for (const q of [reference, given, lost]) await q.handle.close();
  }, 120_000);
});
