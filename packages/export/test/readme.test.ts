import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';

// The README's example is test/readme-example.ts verbatim (typechecked with the package), except that the
// file imports '../src' where the README imports '@skipinit/export'. Running it must print what its comments say.
const dir = join(import.meta.dirname, '..');

describe('README example', () => {
  afterEach(() => vi.restoreAllMocks());

  it('is the file test/readme-example.ts, and prints what its comments say', async () => {
    const readme = readFileSync(join(dir, 'README.md'), 'utf8');
    const block = /```ts\n([\s\S]*?)```/.exec(readme)?.[1];
    const example = readFileSync(join(dir, 'test', 'readme-example.ts'), 'utf8');
    expect(example).toContain("from '../src';");
    expect(block).toBe(example.replace("from '../src';", "from '@skipinit/export';"));
    const expected = example
      .split('\n')
      .filter((line) => line.startsWith('console.log('))
      .map((line) => line.slice(line.lastIndexOf('// ') + 3));
    const printed: string[] = [];
    vi.spyOn(console, 'log').mockImplementation((...args: unknown[]) => {
      printed.push(args.map(String).join(' '));
    });
    await import('./readme-example');
    expect(printed).toEqual(expected);
    expect(expected).toHaveLength(5);
  });
});
