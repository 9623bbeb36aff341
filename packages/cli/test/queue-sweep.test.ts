// A sweep on the queue, through the real binary (bin/skipinit.js over the built packages) and a real
// redis-server on a free loopback port: six cells, three workers, one of them killed with SIGKILL mid-cell.
// The sweep completes, its results.csv (and every cell's metrics.jsonl) equals the local pool's byte for
// byte, and enqueueing a second time changes nothing. Then Redis goes away mid-sweep and comes back.
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RedisServer } from '@skipinit/queue/testing';
import { startRedisServer } from '@skipinit/queue/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT } from './memory-io';
import type { Spawned } from './spawned';
import { alive, BUILT, firstLine, run, skipinit } from './spawned';

const spec = join(ROOT, 'packages', 'cli', 'test', 'fixtures', 'queue-sweep.arch');
const scratch = mkdtempSync(join(tmpdir(), 'skipinit-queue-sweep-'));
let redis: RedisServer;
beforeAll(async () => {
  redis = await startRedisServer();
});
afterAll(async () => {
  await redis?.stop();
  rmSync(scratch, { recursive: true, force: true });
});

const ENGINE = ['--backend', 'webasm', '--threads', '1'];
const read = (...p: string[]): string => readFileSync(join(scratch, ...p), 'utf8');
const cellDirs = (sweep: string): string[] => readdirSync(join(scratch, sweep, 'cells')).sort();
const worker = (url: string, stall: number): Spawned => skipinit(['worker', '--queue', url, ...ENGINE, '--stall-timeout', String(stall)], scratch);

async function stopAll(workers: readonly Spawned[]): Promise<(number | null)[]> {
  for (const w of workers) if (w.child.exitCode === null && w.child.signalCode === null) w.child.kill('SIGTERM');
  return Promise.all(workers.map((w) => w.exit));
}

async function gone(pid: number, ms = 30_000): Promise<boolean> {
  for (const t0 = Date.now(); Date.now() - t0 < ms; await new Promise((r) => setTimeout(r, 100))) if (!alive(pid)) return true;
  return false;
}

interface StatusJson {
  cells: { index: number; state: string; attempts: number; starts: number; result: { status: string } | null }[];
}

describe.skipIf(!BUILT)('skipinit sweep --queue and skipinit worker (real binary, real Redis)', () => {
  it('3 workers, one killed mid-cell: the sweep completes with results byte-identical to the local pool', async () => {
    const t0 = performance.now();
    const local = await run(['sweep', spec, '--out', 'local', '--parallel', '2', ...ENGINE], scratch);
    expect(local.code, local.stderr).toBe(0);
    const localSeconds = (performance.now() - t0) / 1000;

    const q = ['--queue', redis.url, '--store', 'store'];
    const enqueued = await run(['sweep', spec, ...q], scratch);
    expect(enqueued.code, enqueued.stderr).toBe(0);
    expect(enqueued.stderr).toContain(`6 cells on queue 'skipinit' at ${redis.url}, store ${join(scratch, 'store')}: 6 enqueued`);
    // enqueueing again finds the same six jobs and adds nothing (packages/queue/test/enqueue.test.ts checks the
    // queue's jobs and record are unchanged)
    const again = await run(['sweep', spec, ...q], scratch);
    expect(again.code).toBe(0);
    expect(again.stderr).toContain(': 6 waiting\n');

    const t1 = performance.now();
    const workers = [0, 1, 2].map(() => worker(redis.url, 3));
    const wait = skipinit(['sweep', spec, ...q, '--wait'], scratch);
    // the first worker that passes a cell's second checkpoint (step 40 of 60) is killed outright
    const first = await firstLine(workers, /\[cell (\d+) (\S+)\] step 40: eval/);
    const hit = { i: first.index, index: first.match[1], key: first.match[2] };
    const victim = workers[hit.i];
    const childPid = Number(victim.out.stderr.match(new RegExp(`\\[cell ${hit.index} [^\\]]+\\] try \\d+: starting \\(process (\\d+)\\)`))![1]);
    victim.child.kill('SIGKILL');
    const code = await wait.exit;
    const queueSeconds = (performance.now() - t1) / 1000;
    expect(code, wait.out.stderr).toBe(0);

    expect(read('store', 'results', 'results.csv')).toBe(read('local', 'results', 'results.csv'));
    expect(cellDirs('store')).toEqual(cellDirs('local'));
    for (const c of cellDirs('local')) expect(read('store', 'cells', c, 'metrics.jsonl'), c).toBe(read('local', 'cells', c, 'metrics.jsonl'));
    const survivors = workers.filter((_, i) => i !== hit.i);
    const said = survivors.map((w) => w.out.stderr).join('\n');
    expect(said).toMatch(/found cell [0-9a-f]{16} abandoned by its worker: it is back in the queue/);
    expect(said).toMatch(new RegExp(`\\[cell ${hit.index} ${hit.key.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\] continues from the store's checkpoint at step (20|40|60) of 60`));
    expect(await gone(childPid), 'the killed worker left its training process running').toBe(true);
    const status = JSON.parse((await run(['status', '--queue', redis.url, '--json'], scratch)).stdout) as StatusJson;
    expect(status.cells.map((c) => c.state)).toEqual(Array(6).fill('done'));
    expect(status.cells.map((c) => c.result?.status)).toEqual(['completed', 'completed', 'diverged', 'completed', 'completed', 'diverged']);
    expect(status.cells.map((c) => c.attempts)).toEqual(Array(6).fill(0)); // a lost worker uses up no try
    // 7 starts: each cell once, the killed one twice (more only if a worker too slow to renew its lock lost one)
    const starts = status.cells.map((c) => c.starts);
    expect(starts[Number(hit.index)]).toBeGreaterThanOrEqual(2);
    expect(starts.reduce((a, b) => a + b, 0)).toBeGreaterThanOrEqual(7);

    expect(await stopAll(survivors)).toEqual([130, 130]);
    for (const w of survivors) expect(w.out.stderr).toMatch(/skipinit worker: stopped after \d+ cells?/);
    console.log(
      `queue sweep: 6 cells, 3 workers (1 killed at step 40 of cell ${hit.index}), starts ${starts.join(',')}: ${queueSeconds.toFixed(1)} s; local pool (1 process): ${localSeconds.toFixed(1)} s; results.csv identical`,
    );
  }, 400_000); // about a minute on a quiet 2-core machine; minutes when other jobs load it

  it('Redis goes away mid-sweep: workers and the waiting sweep say so, keep retrying, and finish when it is back', async () => {
    const url = `${redis.url}/1`;
    const q = ['--queue', url, '--store', 'store-restart'];
    expect((await run(['sweep', spec, ...q], scratch)).code).toBe(0);
    const workers = [worker(url, 10), worker(url, 10)];
    const wait = skipinit(['sweep', spec, ...q, '--wait'], scratch);
    await firstLine(workers, /step 20: eval/);
    await redis.halt({ save: true });
    await Promise.all([...workers, wait].map((w) => w.line(/lost Redis \(.*\): retrying until it is back/, 30_000)));
    await new Promise((r) => setTimeout(r, 1000));
    await redis.start();
    const code = await wait.exit;
    expect(code, wait.out.stderr).toBe(0);
    expect(wait.out.stderr).toContain('skipinit sweep: Redis is back');
    for (const w of workers) expect(w.out.stderr).toContain('Redis is back');
    expect(read('store-restart', 'results', 'results.csv')).toBe(read('local', 'results', 'results.csv'));
    expect(await stopAll(workers)).toEqual([130, 130]);
  }, 300_000);
});
