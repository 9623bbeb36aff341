// Enqueueing, status and forgetting against a real redis-server (started here, on a free loopback port).
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { openRedis, probeRedis } from '../src/connection';
import { enqueueSweep } from '../src/enqueue';
import { QueueError } from '../src/errors';
import { readQueuedSweep } from '../src/queued-sweep';
import { parseRedisUrl } from '../src/redis-url';
import { DirStore } from '../src/store/dir-store';
import { sweepStatus } from '../src/sweep-status';
import type { RedisServer } from '../src/testing/redis-server';
import { freePort, startRedisServer } from '../src/testing/redis-server';
import { forgetSweep, waitForSweep } from '../src/wait';
import { openQueue } from '../src/queue-handle';
import { tinyCells } from './cells';

let server: RedisServer;
let locked: RedisServer;
let redis: Redis;
const scratch = mkdtempSync(join(tmpdir(), 'queue-enqueue-'));
beforeAll(async () => {
  [server, locked] = await Promise.all([startRedisServer(), startRedisServer({ password: 's3cret' })]);
  redis = openRedis(parseRedisUrl(server.url));
});
afterAll(async () => {
  redis?.disconnect();
  await Promise.all([server?.stop(), locked?.stop()]);
  rmSync(scratch, { recursive: true, force: true });
});

const thrown = (p: Promise<unknown>): Promise<QueueError> =>
  p.then(
    () => {
      throw new Error('expected a QueueError');
    },
    (e: unknown) => {
      expect(e).toBeInstanceOf(QueueError);
      return e as QueueError;
    },
  );

describe('probeRedis', () => {
  test('answers with the version of a running Redis', async () => {
    expect((await probeRedis(parseRedisUrl(server.url))).version).toMatch(/^\d+\.\d+/);
    expect(locked.url).toBe(`redis://:s3cret@127.0.0.1:${locked.port}`);
    expect((await probeRedis(parseRedisUrl(locked.url))).version).toMatch(/^\d/);
  });

  test('nothing listening, no password, a wrong password: each a QueueError that says so', async () => {
    const port = await freePort();
    const none = await thrown(probeRedis(parseRedisUrl(`redis://127.0.0.1:${port}`)));
    expect(none.code).toBe('queue/unreachable');
    expect(none.message).toBe(`cannot reach Redis at redis://127.0.0.1:${port}: connect ECONNREFUSED 127.0.0.1:${port}`);
    const noPassword = await thrown(probeRedis(parseRedisUrl(`redis://127.0.0.1:${locked.port}`)));
    expect(noPassword.code).toBe('queue/auth');
    expect(noPassword.message).toMatch(/refused the connection: NOAUTH .*it wants a password/);
    const wrong = await thrown(probeRedis(parseRedisUrl(`redis://:nope@127.0.0.1:${locked.port}`)));
    expect(wrong.code).toBe('queue/auth');
    expect(wrong.message).toMatch(/^Redis at redis:\/\/:\*\*\*@127\.0\.0\.1:\d+ refused the connection: WRONGPASS .*the password \(or user\) in the URL is wrong/);
  });
});

describe('enqueueSweep', () => {
  test('adds one job per cell, keyed by its hash; again, nothing changes; another sweep is refused and nothing is lost', async () => {
    const queue = new Queue('q1', { connection: redis });
    const store = new DirStore(join(scratch, 'store1'));
    const { cells, manifest } = tinyCells([0.01, 0.1, 1]);
    const first = await enqueueSweep({ redis, queue, store, manifest, cells, shown: server.url });
    expect(first.cells.map((c) => c.as)).toEqual(['added', 'added', 'added']);
    expect(JSON.parse(readFileSync(join(store.localRoot, 'sweep.json'), 'utf8'))).toEqual(JSON.parse(JSON.stringify(manifest)));
    const ids = (await queue.getJobs(['waiting'])).map((j) => j.id).sort();
    expect(ids).toEqual(cells.map((c) => c.hash.slice('sha256:'.length)).sort());
    const record = await readQueuedSweep(redis, queue);

    const again = await enqueueSweep({ redis, queue, store, manifest, cells, shown: server.url });
    expect(again.cells.map((c) => c.as)).toEqual(['waiting', 'waiting', 'waiting']);
    expect(await queue.getJobCounts()).toMatchObject({ waiting: 3, active: 0, completed: 0, failed: 0 });
    expect(await readQueuedSweep(redis, queue)).toEqual(record);

    const other = tinyCells([0.03]);
    const refused = await thrown(enqueueSweep({ redis, queue, store: new DirStore(join(scratch, 'other')), manifest: other.manifest, cells: other.cells, shown: server.url }));
    expect(refused.code).toBe('queue/other-sweep');
    expect(refused.message).toContain(`the queue 'q1' at ${server.url} holds another sweep: tiny (3 cells, store ${store.localRoot}`);
    expect(refused.message).toContain('nothing was changed');
    expect(await queue.getJobCounts()).toMatchObject({ waiting: 3 });
    expect(await readQueuedSweep(redis, queue)).toEqual(record);

    const rows = await sweepStatus(queue, record!, store);
    expect(rows.map((r) => [r.index, r.key, r.state, r.attempts])).toEqual([
      [0, 'lr=0.01', 'waiting', 0],
      [1, 'lr=0.1', 'waiting', 0],
      [2, 'lr=1', 'waiting', 0],
    ]);
    const busy = await thrown(forgetSweep(redis, queue));
    expect(busy.code).toBe('queue/busy');
    expect(busy.message).toContain('still has 3 cells running or waiting (3 waiting)');
    await queue.close();
  });

  test('a cell whose result is in the store is not enqueued; forgetting an idle queue frees it for another sweep', async () => {
    const queue = new Queue('q2', { connection: redis });
    const store = new DirStore(join(scratch, 'store2'));
    const { cells, manifest } = tinyCells([0.01, 0.1]);
    const done = cells[1];
    await store.put(`${done.dir}/config.json`, Buffer.from(JSON.stringify({ configHash: done.hash })));
    await store.put(`${done.dir}/summary.json`, Buffer.from(JSON.stringify({ status: 'diverged', steps: 7, total_steps: 20, test_accuracy: null, train_loss: null, message: 'loss is NaN' })));
    const r = await enqueueSweep({ redis, queue, store, manifest, cells, shown: server.url });
    expect(r.cells.map((c) => c.as)).toEqual(['added', 'done']);
    const rows = await sweepStatus(queue, r.sweep, store);
    expect(rows.map((x) => [x.state, x.result?.status ?? null])).toEqual([
      ['waiting', null],
      ['done', 'diverged'],
    ]);
    await (await queue.getJob(cells[0].hash.slice(7)))!.remove();
    expect((await forgetSweep(redis, queue))?.id).toBe(r.sweep.id);
    expect(await readQueuedSweep(redis, queue)).toBeNull();
    const other = tinyCells([0.5]);
    expect((await enqueueSweep({ redis, queue, store, manifest: other.manifest, cells: other.cells, shown: server.url })).cells.map((c) => c.as)).toEqual(['added']);
    await queue.close();
  });

  test('a Redis that comes back without its data: the waiting sweep enqueues it again', async () => {
    const own = await startRedisServer();
    const handle = openQueue(parseRedisUrl(`${own.url}?queue=q3`));
    const { redis: client, queue } = handle;
    const store = new DirStore(join(scratch, 'store3'));
    const { cells, manifest } = tinyCells([0.01, 0.1]);
    const options = { redis: client, queue, store, manifest, cells, shown: own.url };
    const r = await enqueueSweep(options);
    const controller = new AbortController();
    const polls: string[][] = [];
    let requeued = 0;
    const waiting = waitForSweep({
      redis: client,
      queue,
      sweep: r.sweep,
      store,
      pollMs: 100,
      signal: controller.signal,
      requeue: async () => {
        requeued++;
        await enqueueSweep(options);
      },
      onPoll: (rows) => {
        polls.push(rows.map((x) => x.state));
        if (requeued > 0) controller.abort();
      },
    });
    await new Promise((resolve) => setTimeout(resolve, 300));
    await own.halt(); // no save: it comes back empty
    await own.start();
    const result = await waiting;
    expect(result.interrupted).toBe(true);
    expect(requeued).toBe(1);
    expect(polls.at(-1)).toEqual(['waiting', 'waiting']);
    expect(await queue.getJobCounts()).toMatchObject({ waiting: 2 });
    await handle.close();
    await own.stop();
  });
});
