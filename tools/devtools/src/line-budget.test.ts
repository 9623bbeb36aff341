import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { BUDGETS } from './line-budget.mjs';

// The script as CI runs it, on workspaces made here, against its own budget for packages/init.
const B = BUDGETS['packages/init'];
const script = join(import.meta.dirname, 'line-budget.mjs');
const scratch = mkdtempSync(join(tmpdir(), 'line-budget-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const lines = (n: number) => 'export const x = 1;\n'.repeat(n);
function workspace(name: string, files: Record<string, string>): string {
  const root = join(scratch, name);
  for (const [path, text] of Object.entries({ 'packages/init/package.json': '{}', 'tools/dev/run.mjs': lines(5), ...files })) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  }
  return root;
}
const run = (root: string, ...args: string[]) => spawnSync(process.execPath, [script, '--root', root, ...args], { encoding: 'utf8' });

describe('tools/devtools/src/line-budget.mjs', () => {
  it('counts src/ and bin/ as wc -l does, not tests, fixtures, perf/ or build output', () => {
    const root = workspace('counted', {
      'packages/init/src/a.ts': lines(300),
      'packages/init/src/b.ts': 'const a = 1;\n\n// a comment\nconst b = 2;', // 4 lines, the last without a newline
      'packages/init/bin/init.js': lines(10),
      'packages/init/src/a.test.ts': lines(500),
      'packages/init/src/fixtures/f.ts': lines(500),
      'packages/init/test/t.ts': lines(500),
      'packages/init/perf/p.ts': lines(500),
      'packages/init/dist/index.js': lines(500),
      'packages/init/tsup.config.ts': lines(500),
    });
    const rows = JSON.parse(execFileSync(process.execPath, [script, '--root', root, '--json'], { encoding: 'utf8' }));
    expect(rows).toEqual([{ package: 'packages/init', lines: 314, budget: B, over: 0 }]);
  });

  it('fails on a package over its budget, saying which and by how much', () => {
    const r = run(workspace('over', { 'packages/init/src/a.ts': lines(400), 'packages/init/src/b.ts': lines(B - 399) }));
    expect(r.status).toBe(1);
    expect(r.stdout).toMatch(new RegExp(`packages/init\\s+${(B + 1).toLocaleString('en-US')} /\\s+${B.toLocaleString('en-US')} {2}OVER by 1`));
    expect(r.stderr).toContain(`line budget: packages/init: ${B + 1} lines, over its budget of ${B} by 1`);
  });

  it('fails on a package that has no budget', () => {
    const r = run(workspace('unknown', { 'packages/init/src/a.ts': lines(1), 'packages/shiny/package.json': '{}', 'packages/shiny/src/a.ts': lines(2) }));
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('packages/shiny: no budget in tools/devtools/src/line-budget.mjs (it has 2 lines)');
  });

  it('passes within budget', () => {
    const r = run(workspace('within', { 'packages/init/src/a.ts': lines(B) }));
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toMatch(new RegExp(`packages/init\\s+${B} /\\s+${B} {2}ok`));
  });
});
