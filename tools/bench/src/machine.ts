// What a report records about where it ran: the machine, its load, versions, the commit.

import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { cpus, loadavg, totalmem } from 'node:os';
import type { Machine } from './report';

export function machineInfo(): Omit<Machine, 'loadStart' | 'loadEnd'> {
  const list = cpus();
  return {
    cpu: list[0]?.model.trim() ?? 'unknown',
    cores: list.length,
    memoryGiB: Math.round(totalmem() / 2 ** 30),
    platform: `${process.platform}-${process.arch}`,
    node: process.version,
  };
}

/** The 1, 5 and 15 minute load averages, rounded to hundredths. */
export function loadAverage(): number[] {
  return loadavg().map((x) => Math.round(x * 100) / 100);
}

/** An installed package's version ('unknown' when it cannot be found). */
export function packageVersion(name: string): string {
  try {
    const require = createRequire(import.meta.url);
    return (require(`${name}/package.json`) as { version: string }).version;
  } catch {
    return 'unknown';
  }
}

/** The current commit, with ' (uncommitted changes in packages/ or tools/)' when the tree differs; null outside git. */
export function gitCommit(): string | null {
  try {
    const run = (args: string[]) => execFileSync('git', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
    const head = run(['rev-parse', '--short=12', 'HEAD']);
    const dirty = run(['status', '--porcelain', '--untracked-files=no', '--', 'packages', 'tools']).length > 0;
    return dirty ? `${head} (uncommitted changes in packages/ or tools/)` : head;
  } catch {
    return null;
  }
}
