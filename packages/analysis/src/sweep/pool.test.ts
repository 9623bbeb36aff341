import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import type { PoolJob } from './pool';
import { runPool } from './pool';

// A stand-in worker in plain JavaScript: reads its task line, then does what the task says.
const WORKER = `
let buf = '';
process.stdin.setEncoding('utf8');
process.stdin.on('data', (c) => {
  buf += c;
  const nl = buf.indexOf('\\n');
  if (nl < 0 || globalThis.task) return;
  const task = (globalThis.task = JSON.parse(buf.slice(0, nl)));
  if (task.waitForStop) {
    process.stdin.on('end', () => { console.log(JSON.stringify({ type: 'stopping' })); process.exit(130); });
    process.on('SIGTERM', () => {});
  }
  console.log(JSON.stringify({ type: 'hello', id: task.id }));
  if (task.text) console.log(task.text);
  if (task.stderr) process.stderr.write(task.stderr + '\\n');
  if (task.waitForStop) return;
  setTimeout(() => process.exit(task.exit ?? 0), task.sleep ?? 0);
});
`;

const job = (id: string, task: Record<string, unknown>, extra: Partial<PoolJob> = {}): PoolJob => ({
  id,
  command: process.execPath,
  args: ['-e', WORKER],
  input: JSON.stringify({ id, ...task }),
  ...extra,
});

describe('runPool', () => {
  test('runs every job, never more than `parallel` at once, and passes their JSON lines on', async () => {
    let running = 0;
    let most = 0;
    const messages: unknown[] = [];
    const jobs = ['a', 'b', 'c', 'd', 'e'].map((id) => job(id, { sleep: 150 }));
    const out = await runPool(jobs, {
      parallel: 2,
      onStart: () => (most = Math.max(most, ++running)),
      onExit: () => running--,
      onMessage: (id, m) => messages.push([id, m]),
    });
    expect(most).toBe(2);
    expect(out.map((o) => [o.id, o.code, o.started])).toEqual(['a', 'b', 'c', 'd', 'e'].map((id) => [id, 0, true]));
    expect(messages).toContainEqual(['c', { type: 'hello', id: 'c' }]);
    expect(messages).toHaveLength(5);
  });

  test('a line that is not JSON comes as text; a failing child reports its exit code and its stderr, kept in the log', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pool-'));
    const messages: unknown[] = [];
    const [o] = await runPool([job('x', { text: 'plain words', stderr: 'something broke', exit: 3 }, { logPath: join(dir, 'worker.log') })], {
      parallel: 1,
      onMessage: (_id, m) => messages.push(m),
    });
    expect(messages).toContainEqual({ type: 'text', text: 'plain words' });
    expect(o).toMatchObject({ code: 3, signal: null, error: 'something broke', started: true });
    expect(readFileSync(join(dir, 'worker.log'), 'utf8')).toBe('something broke\n');
  });

  test('abort: running children are asked to stop (stdin closed) and waited for; the rest never start', async () => {
    const controller = new AbortController();
    const messages: unknown[] = [];
    const jobs = ['a', 'b', 'c'].map((id) => job(id, { waitForStop: true }));
    const done = runPool(jobs, {
      parallel: 2,
      signal: controller.signal,
      onMessage: (id, m) => {
        messages.push([id, m]);
        if (messages.filter((x) => (x as [string, { type: string }])[1].type === 'hello').length === 2) controller.abort();
      },
    });
    const out = await done;
    expect(out.map((o) => [o.id, o.code, o.started])).toEqual([
      ['a', 130, true],
      ['b', 130, true],
      ['c', null, false],
    ]);
    expect(messages).toContainEqual(['a', { type: 'stopping' }]);
  });

  test('a child that ignores the request to stop is killed after the grace period', async () => {
    const controller = new AbortController();
    const stubborn = `process.on('SIGTERM', () => {}); process.stdin.on('data', () => console.log('{"type":"up"}')); setInterval(() => {}, 1000);`;
    const out = await runPool([{ id: 's', command: process.execPath, args: ['-e', stubborn], input: '{}' }], {
      parallel: 1,
      signal: controller.signal,
      graceMs: 300,
      onMessage: () => controller.abort(),
    });
    expect(out[0]).toMatchObject({ code: null, signal: 'SIGKILL' });
  });

  test('a command that cannot start is an outcome with the reason, not a crash', async () => {
    const [o] = await runPool([{ id: 'n', command: '/nonexistent/worker', args: [], input: '{}' }], { parallel: 1 });
    expect(o.error).toMatch(/cannot start '\/nonexistent\/worker': spawn \/nonexistent\/worker ENOENT/);
    expect(o.started).toBe(false);
  });

  test('parallel must be a positive integer', async () => {
    await expect(runPool([], { parallel: 0 })).rejects.toThrow('parallel must be an integer >= 1, got 0');
  });
});
