// Where a local sweep writes, and the check that it does not write over another sweep's results.
// The default directory names the --set overrides, so the tutorial's two runs of one spec (norm=bn, then
// norm=none) land side by side instead of the second replacing the first's sweep.json and results/.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { SWEEP_FILES } from '@skipinit/analysis/node';

/** runs/<model>-sweep, or runs/<model>-sweep-<name>=<value>-... when --set overrides are given. */
export function defaultSweepDir(model: string, sets: Readonly<Record<string, string>>): string {
  const parts = Object.entries(sets).map(([k, v]) => `${k}=${v}`.replace(/[^A-Za-z0-9._=+-]+/g, '_'));
  return `runs/${[`${model}-sweep`, ...parts].join('-')}`;
}

/** The name of the other sweep that `dir` holds (a sweep.json of another spec or other overrides), or null. */
export function otherSweepIn(dir: string, name: string): string | null {
  const path = join(dir, SWEEP_FILES.manifest);
  if (!existsSync(path)) return null;
  let held: unknown;
  try {
    held = JSON.parse(readFileSync(path, 'utf8'));
  } catch {
    return `something that is not a sweep manifest (${path} is not valid JSON)`;
  }
  const heldName = (held as { name?: unknown } | null)?.name;
  if (typeof heldName !== 'string') return `something that is not a sweep manifest (${path} has no name)`;
  return heldName === name ? null : heldName;
}
