import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { nodeIo } from './io';

const dir = mkdtempSync(join(tmpdir(), 'cli-io-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('nodeIo().writeFile', () => {
  it('replaces the file with the whole text and leaves no temporary file beside it', async () => {
    const path = join(dir, 'spec.arch');
    writeFileSync(path, 'old text, longer than the new one\n');
    await nodeIo().writeFile(path, 'model m {\n  input 784\n  head 10\n}\n');
    expect(readFileSync(path, 'utf8')).toBe('model m {\n  input 784\n  head 10\n}\n');
    expect(readdirSync(dir)).toEqual(['spec.arch']);
  });

  it('fails where the directory does not exist, writing nothing', async () => {
    await expect(nodeIo().writeFile(join(dir, 'missing', 'x.arch'), 'text')).rejects.toMatchObject({ code: 'ENOENT' });
    expect(readdirSync(dir)).toEqual(['spec.arch']);
  });
});
