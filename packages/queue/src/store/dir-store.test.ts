import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { QueueError } from '../errors';
import { DirStore } from './dir-store';

const scratch = mkdtempSync(join(tmpdir(), 'dir-store-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe('DirStore', () => {
  test('put, get, list and remove objects under keys with "/"; no temporary file is left behind', async () => {
    const store = new DirStore(join(scratch, 'a'));
    await store.check();
    expect(await store.get('cells/0a/config.json')).toBeNull();
    await store.put('cells/0a/config.json', Buffer.from('{"a":1}\n'));
    await store.put('cells/0a/metrics.jsonl', Buffer.from('x\n'));
    await store.put('cells/0a/config.json', Buffer.from('{"a":2}\n'));
    await store.put('sweep.json', Buffer.from('{}'));
    expect((await store.get('cells/0a/config.json'))!.toString()).toBe('{"a":2}\n');
    expect(await store.list('cells/0a/')).toEqual(['config.json', 'metrics.jsonl']);
    expect(await store.list('')).toEqual(['sweep.json']);
    expect(await store.list('cells/none/')).toEqual([]);
    expect(readdirSync(join(scratch, 'a', 'cells', '0a'))).toEqual(['config.json', 'metrics.jsonl']);
    await store.remove('cells/0a/metrics.jsonl');
    expect(await store.list('cells/0a')).toEqual(['config.json']);
    expect(store.spec).toEqual({ kind: 'dir', root: join(scratch, 'a') });
  });

  test('a key that leaves the root is refused', async () => {
    const store = new DirStore(join(scratch, 'b'));
    await expect(store.put('../x', Buffer.from(''))).rejects.toThrow(/bad key '..\/x'/);
    await expect(store.get('/etc/passwd')).rejects.toThrow(/bad key/);
    await expect(store.list('a//b')).rejects.toThrow(/bad prefix/);
  });

  test('a store that cannot be written is a QueueError that names it and says why', async () => {
    const file = join(scratch, 'a-file');
    writeFileSync(file, 'not a directory');
    for (const root of [file, join(file, 'store')]) {
      const error = await new DirStore(root).check().then(
        () => null,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(QueueError);
      expect((error as QueueError).code).toBe('store/not-writable');
      expect((error as Error).message).toContain(`the store ${root} is not writable`);
      expect((error as Error).message).toMatch(/not a directory|ENOTDIR|EEXIST/);
    }
  });
});
