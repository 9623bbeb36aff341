// config.json: the resolved configuration of a run, everything needed to reproduce or continue it, and
// the hash that ties checkpoints to it.
//
// The hash covers what decides the run's trajectory and its metrics: the graph (without source spans,
// so reformatting a spec does not change it), the resolved recipe, and the two loop settings that change
// metrics.jsonl (logEvery: which steps are logged; evalBatchSize: the evaluation's float sums). It does
// not cover how often checkpoints are written or the divergence threshold, nor the backend:
// resuming on another backend is allowed (the numbers then differ in the last bits).

import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Graph, ResolvedTrainSpec } from '@skipinit/graph';
import type { ModelIo } from './model-io';
import { RUN_FILES, RunDirectoryError } from './run-dir';

export const RUN_FORMAT = 'skipinit.run';

/** The loop's own settings (defaults in train.ts). */
export interface LoopSettings {
  /** Log a step record to metrics.jsonl every this many steps. */
  readonly logEvery: number;
  /** Write last.safetensors every this many steps, or after every evaluation ('eval'). */
  readonly checkpointEvery: number | 'eval';
  /** Examples per forward pass when evaluating. */
  readonly evalBatchSize: number;
  /** A training loss above this stops the run as diverged (non-finite losses always do). */
  readonly maxLoss: number;
}

export interface RunConfig {
  readonly format: typeof RUN_FORMAT;
  readonly version: 1;
  readonly name: string;
  readonly seed: number;
  readonly graph: Graph;
  readonly train: ResolvedTrainSpec;
  readonly loop: LoopSettings;
  /** The backend the run started on: name, mode, precision, and whatever the caller adds (selection report). */
  readonly backend: Record<string, unknown>;
  /** Node and package versions. */
  readonly versions: Record<string, string>;
  /** Where the configuration came from (spec file, --set overrides), as the caller gives it. */
  readonly source: Record<string, unknown> | null;
  /**
   * What the model takes and gives (layout, value range, normalisation, class names, every padding):
   * see model-io.ts. Absent in runs made before it was recorded. Not part of the hash (it follows from it).
   */
  readonly io?: ModelIo;
  readonly configHash: string;
}

/** JSON with object keys sorted at every level (a stable text for hashing). */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) => {
    if (v === null || typeof v !== 'object' || Array.isArray(v)) return v;
    const sorted: Record<string, unknown> = {};
    for (const k of Object.keys(v as Record<string, unknown>).sort()) sorted[k] = (v as Record<string, unknown>)[k];
    return sorted;
  });
}

/** The graph without `span` keys (where nodes came from in spec text). */
export function stripSpans<T>(value: T): T {
  return JSON.parse(JSON.stringify(value, (key, v: unknown) => (key === 'span' ? undefined : v))) as T;
}

/** 'sha256:<hex>' of the configuration that decides the trajectory. */
export function configHash(graph: Graph, train: ResolvedTrainSpec, loop: LoopSettings): string {
  const text = canonicalJson({ graph: stripSpans(graph), train, loop: { evalBatchSize: loop.evalBatchSize, logEvery: loop.logEvery } });
  return `sha256:${createHash('sha256').update(text).digest('hex')}`;
}

/** Reads and checks `<dir>/config.json`. */
export function readRunConfig(dir: string): RunConfig {
  const path = join(dir, RUN_FILES.config);
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const why =
      code === 'ENOENT'
        ? `not a run directory (no ${RUN_FILES.config})`
        : code === 'ENOTDIR'
          ? `is a file, not a run directory (a run directory holds ${RUN_FILES.config}, ${RUN_FILES.last}, ...)`
          : `cannot read ${RUN_FILES.config}: ${(error as Error).message}`;
    throw new RunDirectoryError(dir, why);
  }
  let config: RunConfig;
  try {
    config = JSON.parse(text) as RunConfig;
  } catch (error) {
    throw new RunDirectoryError(dir, `${RUN_FILES.config} is not valid JSON (${(error as Error).message})`);
  }
  const bad = (what: string): never => {
    throw new RunDirectoryError(dir, `${RUN_FILES.config}: ${what}`);
  };
  if (config === null || typeof config !== 'object' || config.format !== RUN_FORMAT) bad(`'format' is not '${RUN_FORMAT}'`);
  if (config.version !== 1) bad(`version ${JSON.stringify(config.version)} is not supported (expected 1)`);
  for (const key of ['graph', 'train', 'loop'] as const) if (config[key] === null || typeof config[key] !== 'object') bad(`'${key}' is missing`);
  const hash = configHash(config.graph, config.train, config.loop);
  if (hash !== config.configHash) bad(`the configuration was edited after the run started (its hash is ${hash}, the run's ${config.configHash})`);
  return config;
}
