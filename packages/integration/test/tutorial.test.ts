// docs/tutorial.md's program (step 8, 'From code') runs as written and prints what the tutorial says it shows.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it, vi } from 'vitest';

const root = fileURLToPath(new URL('../../..', import.meta.url));
const tutorial = readFileSync(join(root, 'docs/tutorial.md'), 'utf8');
const block = /## \d+\. From code[\s\S]*?```ts\n([\s\S]*?)```/.exec(tutorial)?.[1];

describe('docs/tutorial.md, step 8 (from code)', () => {
  const dir = mkdtempSync(join(fileURLToPath(new URL('.', import.meta.url)), '.tutorial-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('has a program', () => {
    expect(block).toBeTruthy();
  });

  it('runs: the plain network overflows float32, SkipInit keeps the variance of its input', async () => {
    const file = join(dir, 'program.ts');
    writeFileSync(file, block!);
    const lines: string[] = [];
    const log = vi.spyOn(console, 'log').mockImplementation((...args: unknown[]) => void lines.push(args.join(' ')));
    const cwd = process.cwd();
    process.chdir(root);
    try {
      await import(/* @vite-ignore */ file);
    } finally {
      process.chdir(cwd);
      log.mockRestore();
    }
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(/^plain overflows at block\d+$/);
    expect(lines[1]).toMatch(/^skipinit last block variance \d/);
  });
});
