// Run directories: `runs/<name>/<n>/` with n the next free integer (1, 2, ...), or a directory the user
// names. What a run directory holds (RUN_FILES):
//
//   spec.arch         the spec source, as given (the CLI writes it)
//   config.json       the resolved configuration: graph, training recipe, seed, backend, versions
//   metrics.jsonl     one JSON object per logged step and evaluation; deterministic (no wall-clock values)
//   timing.jsonl      the wall-clock side: examples/s, elapsed seconds, start and end times
//   summary.json      the final result (written at the end, on divergence and on interruption)
//   last.safetensors  the latest checkpoint; best.safetensors the best by evaluation accuracy

import { existsSync, mkdirSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

export const RUN_FILES = {
  spec: 'spec.arch',
  config: 'config.json',
  metrics: 'metrics.jsonl',
  timing: 'timing.jsonl',
  summary: 'summary.json',
  last: 'last.safetensors',
  best: 'best.safetensors',
} as const;

/** A name safe as one path component: letters, digits, '-', '_' and '.'; anything else becomes '_'. */
export function safeRunName(name: string): string {
  const s = name.replace(/[^A-Za-z0-9._-]/g, '_').replace(/^\.+/, '_');
  return s.length === 0 ? 'run' : s;
}

/**
 * Makes and returns `<root>/<name>/<n>` with n the smallest integer >= 1 not taken. Claiming uses a
 * non-recursive mkdir, which fails if the directory exists, so two runs started at once never share one.
 */
export function createRunDirectory(root: string, name: string): string {
  const parent = join(root, safeRunName(name));
  mkdirSync(parent, { recursive: true });
  const taken = new Set(readdirSync(parent).filter((e) => /^[1-9][0-9]*$/.test(e)).map(Number));
  for (let n = 1; ; n++) {
    if (taken.has(n)) continue;
    const dir = join(parent, String(n));
    try {
      mkdirSync(dir);
      return dir;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
  }
}

/**
 * Prepares a directory the user named (`--out DIR`) for a new run: creates it, or accepts an existing
 * one that holds no run yet. A directory with a config.json already holds a run: that is an error
 * (continue it with resume, or choose another directory).
 */
export function claimRunDirectory(dir: string): string {
  if (existsSync(join(dir, RUN_FILES.config))) {
    throw new RunDirectoryError(dir, `already holds a run (${RUN_FILES.config} exists): continue it with \`skipinit resume ${dir}\` or choose another directory`);
  }
  mkdirSync(dir, { recursive: true });
  return dir;
}

export class RunDirectoryError extends Error {
  override readonly name = 'RunDirectoryError';
  constructor(
    readonly dir: string,
    detail: string,
  ) {
    super(`${dir}: ${detail}`);
  }
}
