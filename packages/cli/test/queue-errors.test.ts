// Bad input to the queue commands, through the real binary: an unreachable Redis, a wrong password, a
// store that cannot be written, another sweep on a queue that holds one. Each is a clear error that says
// what and where, an exit code from the CLI's table, and nothing is lost. And a cell that crashes: retried
// with backoff, then marked failed with its error.
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RedisServer } from '@skipinit/queue/testing';
import { freePort, startRedisServer } from '@skipinit/queue/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT } from './memory-io';
import { BUILT, run, skipinit } from './spawned';

const fixture = (name: string): string => join(ROOT, 'packages', 'cli', 'test', 'fixtures', name);
const scratch = mkdtempSync(join(tmpdir(), 'skipinit-queue-errors-'));
let open: RedisServer;
let locked: RedisServer;
beforeAll(async () => {
  [open, locked] = await Promise.all([startRedisServer(), startRedisServer({ password: 'right' })]);
});
afterAll(async () => {
  await Promise.all([open?.stop(), locked?.stop()]);
  rmSync(scratch, { recursive: true, force: true });
});

describe.skipIf(!BUILT)('queue commands: bad input (real binary, real Redis)', () => {
  it('an unreachable Redis: exit 69 with the URL and the cause, nothing written', async () => {
    const url = `redis://127.0.0.1:${await freePort()}`;
    const sweep = await run(['sweep', fixture('tiny-sweep.arch'), '--queue', url, '--store', 'never'], scratch);
    expect(sweep.code).toBe(69);
    expect(sweep.stderr).toBe(`skipinit sweep: cannot reach Redis at ${url}: connect ECONNREFUSED ${url.slice('redis://'.length)}\n`);
    expect(existsSync(join(scratch, 'never'))).toBe(false);
    for (const args of [['worker', '--queue', url]]) {
      const r = await run(args, scratch);
      expect(r.code).toBe(69);
      expect(r.stderr).toContain(`cannot reach Redis at ${url}`);
    }
  });

  it('a wrong or missing password: exit 77, the password not shown', async () => {
    const wrong = `redis://:wrong@127.0.0.1:${locked.port}`;
    for (const args of [['sweep', fixture('tiny-sweep.arch'), '--queue', wrong, '--store', 'never'], ['worker', '--queue', wrong]]) {
      const r = await run(args, scratch);
      expect(r.code).toBe(77);
      expect(r.stderr).toContain(`Redis at redis://:***@127.0.0.1:${locked.port} refused the connection: WRONGPASS`);
      expect(r.stderr).not.toContain('wrong@');
    }
    const none = await run(['status', '--queue', `redis://127.0.0.1:${locked.port}`], scratch);
    expect(none.code).toBe(77);
    expect(none.stderr).toMatch(/NOAUTH .*it wants a password: redis:\/\/:PASSWORD@HOST:PORT/);
    expect(existsSync(join(scratch, 'never'))).toBe(false);
  });

  it('a store that cannot be written: exit 73 naming it, nothing enqueued', async () => {
    writeFileSync(join(scratch, 'a-file'), 'not a directory\n');
    const url = `${open.url}/2`;
    const r = await run(['sweep', fixture('tiny-sweep.arch'), '--queue', url, '--store', 'a-file/store'], scratch);
    expect(r.code).toBe(73);
    expect(r.stderr).toBe(`skipinit sweep: the store ${join(scratch, 'a-file', 'store')} is not writable: a part of the path is a file, not a directory (ENOTDIR)\n`);
    const status = await run(['status', '--queue', url], scratch);
    expect(status.code).toBe(66);
    expect(status.stderr).toContain(`the queue 'skipinit' at ${url} holds no sweep`);
  });

  it('another sweep onto a queue that holds one: exit 75 naming the one it holds, the queue unchanged', async () => {
    const url = `${open.url}/3`;
    expect((await run(['sweep', fixture('tiny-sweep.arch'), '--queue', url, '--store', 'first'], scratch)).code).toBe(0);
    const before = await run(['status', '--queue', url, '--json'], scratch);
    const other = await run(['sweep', fixture('queue-sweep.arch'), '--queue', url, '--store', 'second'], scratch);
    expect(other.code).toBe(75);
    expect(other.stderr).toContain(`the queue 'skipinit' at ${url} holds another sweep: tiny-sweep.arch (2 cells, store ${join(scratch, 'first')}`);
    expect(other.stderr).toContain('nothing was changed');
    expect((await run(['status', '--queue', url, '--json'], scratch)).stdout).toBe(before.stdout);
    expect(existsSync(join(scratch, 'second'))).toBe(true); // checked writable (empty), nothing in it
    const bad = await run(['sweep', fixture('tiny-sweep.arch'), '--queue', 'redis://h:1/x', '--store', 'first'], scratch);
    expect(bad.code).toBe(64);
    expect(bad.stderr).toContain("--queue 'redis://h:1/x': the database 'x' is not a number from 0 to 99");
  });

  it('a cell that crashes is retried with backoff, then marked failed with its error (exit 70)', async () => {
    const url = `${open.url}/4?queue=crash`;
    const q = ['--queue', url, '--store', 'crash', '--retries', '1', '--backoff', '0.2'];
    expect((await run(['sweep', fixture('queue-crash.arch'), ...q], scratch)).code).toBe(0);
    const worker = skipinit(['worker', '--queue', url, '--threads', '1', '--stall-timeout', '5'], scratch);
    const wait = await run(['sweep', fixture('queue-crash.arch'), ...q, '--wait'], scratch);
    expect(wait.code, wait.stderr).toBe(70);
    expect(wait.stderr).toMatch(/skipinit sweep: cell 0 \(lr=0\.1\) failed after 2 tries: .*\/nonexistent\/cifar-10-batches-bin/);
    await worker.line(/FAILED: no tries left/);
    worker.child.kill('SIGTERM');
    expect(await worker.exit).toBe(130);
    expect(worker.out.stderr).toMatch(/\[cell 0 lr=0\.1\] crashed \(try 1 of 2\): .*nonexistent.*; retried in 0\.2 s/);
    expect(worker.out.stderr).toMatch(/\[cell 0 lr=0\.1\] crashed \(try 2 of 2\): .*nonexistent.*; FAILED: no tries left/);
    const status = JSON.parse((await run(['status', '--queue', url, '--json'], scratch)).stdout) as { cells: { state: string; attempts: number; error: string }[] };
    expect(status.cells).toMatchObject([{ state: 'failed', attempts: 2 }]);
    expect(status.cells[0].error).toMatch(/nonexistent/);
    expect(existsSync(join(scratch, 'crash', 'results', 'results.csv'))).toBe(true);
  });
});
