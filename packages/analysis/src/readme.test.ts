// The README's example, run as it stands (its import lines bound to the packages' sources).
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import * as graphPackage from '@skipinit/graph';
import * as tensorPackage from '@skipinit/tensor';
import { expect, it } from 'vitest';
import * as analysisPackage from './index';

it('the README example runs and prints what it says', async () => {
  const readme = readFileSync(fileURLToPath(new URL('../README.md', import.meta.url)), 'utf8');
  const block = /```ts\n([\s\S]*?)```/.exec(readme)![1];
  const packages: Record<string, unknown> = { graph: graphPackage, tensor: tensorPackage, analysis: analysisPackage };
  const body = block
    .replace(/^import \{([^}]*)\} from '@skipinit\/(\w+)';$/gm, (_, names: string, pkg: string) => `const {${names}} = packages.${pkg};`)
    .replace(/ as const/g, '');
  expect(body).not.toMatch(/^import /m);
  const logs: unknown[][] = [];
  const run = new Function('packages', 'console', `return (async () => {\n${body}\n})();`);
  await run(packages, { log: (...args: unknown[]) => logs.push(args) });
  const [plain, bn, skip, scaled] = logs;
  expect(plain.slice(0, 2)).toEqual(['plain', 'q_{l+1} = 2 q_l']);
  expect(Number(plain[2])).toBeCloseTo(Math.LN2, 0);
  expect(bn.slice(0, 2)).toEqual(['bn', 'q_{l+1} = q_l + 1']);
  expect(skip).toEqual(['skipinit', 'q_{l+1} = q_l (exactly the identity)', '0.00', true, '1.00']);
  expect(scaled.slice(0, 2)).toEqual(['scaled', 'q_{l+1} = 1.02 q_l']);
  expect(Number(scaled[4])).toBeLessThan(Math.E);
  // the comment lines of the README say what these print
  const printed = logs.slice(0, 4).map((l) => l.join(' '));
  for (const line of printed) expect(block.replace(/\s+/g, ' ')).toContain(line.replace(/\s+/g, ' '));
  expect(String(logs[4][0])).toContain('* y = x^2');
});
