// The README's example, run as it stands (its import line bound to this package's source).
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';
import * as graphPackage from './index';

it('the README example runs and prints what it says', async () => {
  const readme = readFileSync(fileURLToPath(new URL('../README.md', import.meta.url)), 'utf8');
  const block = /```ts\n([\s\S]*?)```/.exec(readme)![1];
  const importLine = /^import \{([^}]*)\} from '@skipinit\/graph';$/m;
  expect(block).toMatch(importLine);
  const body = block.replace(importLine, (_, names: string) => `const {${names}} = pkg;`);
  const logs: unknown[][] = [];
  const fakeConsole = { log: (...args: unknown[]) => logs.push(args) };
  const run = new Function('pkg', 'console', `return (async () => {\n${body}\n})();`);
  await run(graphPackage, fakeConsole);
  expect(logs[0]).toEqual([true, [10], 32_870_770, 1000]);
  expect(logs[1]).toEqual([{ init: 0, learnable: true }]);
  expect(logs[2][0]).toContain('resblock x 1000 (mlp 128, norm none, skipinit)');
  expect(logs[2][0]).toContain('32,769,000');
});
