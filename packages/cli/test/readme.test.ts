// The README's commands run as written (in-process, through main) and exit as their comments say.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { COMMANDS, main } from '../src/index';
import { memoryIo } from './memory-io';

describe('README', () => {
  const readme = readFileSync(join(import.meta.dirname, '..', 'README.md'), 'utf8');
  const block = /```sh\n([\s\S]*?)```/.exec(readme)![1];
  const lines = block.split('\n').filter((l) => l.startsWith('npx skipinit '));

  it('has commands', () => expect(lines.length).toBeGreaterThanOrEqual(4));

  it('lists every command in its table', () => {
    const rows = readme.split('\n').filter((l) => l.startsWith('| `')).map((l) => /^\| `([a-z]+)/.exec(l)![1]);
    expect([...rows].sort()).toEqual(COMMANDS.map((c) => c.name).sort());
  });

  for (const line of lines) {
    it(line.replace(/\s+#.*$/, ''), async () => {
      const [command, comment = ''] = line.split(/\s+#\s+/);
      const argv = command.trim().split(/\s+/).slice(2);
      const want = Number(/exit (\d+)/.exec(comment)?.[1] ?? 0);
      const c = memoryIo();
      expect(await main(argv, c.io), c.out.stderr).toBe(want);
    });
  }
});
