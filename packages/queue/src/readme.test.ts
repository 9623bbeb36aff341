// The README's example, run as it stands (its import lines bound to the packages' sources), against a real
// redis-server.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import * as analysisPackage from '@skipinit/analysis/node';
import * as graphPackage from '@skipinit/graph';
import { expect, it } from 'vitest';
import * as queuePackage from './index';
import * as testingPackage from './testing/index';

it('the README example runs and prints what it says', async () => {
  const readme = readFileSync(fileURLToPath(new URL('../README.md', import.meta.url)), 'utf8');
  const block = /```ts\n([\s\S]*?)```/.exec(readme)![1];
  const packages: Record<string, unknown> = {
    'node:fs': fs,
    'node:os': os,
    'node:path': path,
    '@skipinit/analysis/node': analysisPackage,
    '@skipinit/graph': graphPackage,
    '@skipinit/queue': queuePackage,
    '@skipinit/queue/testing': testingPackage,
  };
  const body = block.replace(/^import \{([^}]*)\} from '([^']+)';$/gm, (_, names: string, pkg: string) => {
    expect(packages[pkg], pkg).toBeDefined();
    return `const {${names}} = packages[${JSON.stringify(pkg)}];`;
  });
  expect(body).not.toMatch(/^import /m);
  const logs: unknown[][] = [];
  const run = new Function('packages', 'console', `return (async () => {\n${body}\n})();`);
  await run(packages, { log: (...args: unknown[]) => logs.push(args) });
  expect(logs).toEqual([[['added', 'added']], [['waiting', 'waiting']], [['lr=0.01: waiting', 'lr=0.1: waiting']]]);
  // the comments say what each line prints
  const printed = [...block.matchAll(/console\.log\(.*\); \/\/ (\[[^\]]*\])/g)].map((m) => m[1]);
  expect(printed).toEqual(logs.map(([a]) => `[ ${(a as string[]).map((s) => `'${s}'`).join(', ')} ]`));
});
