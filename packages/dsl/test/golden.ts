// Golden files: compare with the checked-in text, or rewrite it with UPDATE_GOLDEN=1.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { expect } from 'vitest';

export const UPDATE = process.env.UPDATE_GOLDEN === '1';

export function expectGolden(path: string, actual: string): void {
  if (UPDATE) {
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, actual);
    return;
  }
  if (!existsSync(path)) throw new Error(`missing golden file ${path}; run the tests with UPDATE_GOLDEN=1 to create it`);
  expect(actual, `${path} differs (UPDATE_GOLDEN=1 rewrites it after you check the change)`).toBe(readFileSync(path, 'utf8'));
}

/** `# golden: --set a=1 --set b=he` on a spec's first lines -> compile overrides. */
export function goldenOverrides(source: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const m of source.matchAll(/^# golden:(.*)$/gm)) {
    for (const set of m[1].matchAll(/--set\s+([A-Za-z_]\w*)=(\S+)/g)) out[set[1]] = set[2];
  }
  return out;
}
