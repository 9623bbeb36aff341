// The files of one run (see run-dir.ts for the layout) and the listeners: config.json at the start,
// metrics.jsonl and timing.jsonl as the run goes, checkpoints (last, best), summary.json at the end.
// With no directory the run keeps nothing on disk and only the listeners hear about it.

import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import type { BatchLoader } from '@skipinit/data';
import type { Graph, ResolvedTrainSpec } from '@skipinit/graph';
import type { Engine } from '@skipinit/tensor';
import { writeFileAtomic } from './atomic-write';
import { readCheckpoint, writeCheckpoint } from './checkpoint';
import type { Checkpoint } from './checkpoint';
import type { TrainCallbacks, TrainEvent, TrainSummary } from './events';
import { JsonLines } from './json-lines';
import type { ModelIo } from './model-io';
import type { TrainableModel } from './model';
import { configHash, readRunConfig, RUN_FORMAT } from './run-config';
import type { LoopSettings, RunConfig } from './run-config';
import { RUN_FILES, RunDirectoryError } from './run-dir';
import { captureState, restoreState } from './run-state';
import type { Progress } from './run-state';
import type { Optimizer } from './optimizer';

/** Versions of Node and of the packages the trainer runs on (what it can see from here). */
export function packageVersions(): Record<string, string> {
  // Outside Node (a page's Web Worker) there is no package resolution to ask: the caller passes meta.versions.
  if (typeof process === 'undefined' || process.versions?.node === undefined) return {};
  const require = createRequire(import.meta.url);
  const out: Record<string, string> = { node: process.version };
  for (const name of ['@skipinit/trainer', '@skipinit/tensor', '@skipinit/graph', '@skipinit/layers', '@skipinit/data']) {
    try {
      out[name] = (require(`${name}/package.json`) as { version: string }).version;
    } catch {
      out[name] = 'unknown';
    }
  }
  return out;
}

interface CaptureArgs {
  readonly model: TrainableModel;
  readonly optimizer: Optimizer;
  readonly loader: BatchLoader;
  readonly step: number;
  readonly progress: Progress;
  readonly graph: Graph;
}

export class RunFiles {
  private metrics: JsonLines | null = null;
  private timingLog: JsonLines | null = null;
  private hash = '';
  private last: { path: string; step: number } | null = null;
  private bestPath: string | null = null;
  private cached: { step: number; bytes: number; checkpoint: Checkpoint } | null = null;
  private io: ModelIo | undefined;

  constructor(
    readonly dir: string | null,
    private readonly callbacks: TrainCallbacks | undefined,
  ) {}

  /** The resolved configuration of this run. */
  config(args: {
    readonly graph: Graph;
    readonly spec: ResolvedTrainSpec;
    readonly loop: LoopSettings;
    readonly engine: Engine;
    readonly meta: { readonly backend?: Record<string, unknown>; readonly versions?: Record<string, string>; readonly source?: Record<string, unknown> };
    readonly io?: ModelIo;
  }): RunConfig {
    const b = args.engine.backend;
    this.hash = configHash(args.graph, args.spec, args.loop);
    this.io = args.io;
    return {
      format: RUN_FORMAT,
      version: 1,
      name: args.graph.name,
      seed: args.spec.seed,
      graph: args.graph,
      train: args.spec,
      loop: args.loop,
      backend: { name: b.name, mode: b.mode, precision: b.precision, ...(args.meta.backend ?? {}) },
      versions: { ...packageVersions(), ...(args.meta.versions ?? {}) },
      source: args.meta.source ?? null,
      ...(args.io !== undefined ? { io: args.io } : {}),
      configHash: this.hash,
    };
  }

  /** A new run: writes config.json and opens the logs. */
  start(config: RunConfig): void {
    if (this.dir === null) return;
    if (existsSync(join(this.dir, RUN_FILES.config))) {
      throw new RunDirectoryError(this.dir, `already holds a run (${RUN_FILES.config} exists): resume it or choose another directory`);
    }
    writeFileAtomic(join(this.dir, RUN_FILES.config), Buffer.from(JSON.stringify(config, null, 2) + '\n'));
    this.metrics = new JsonLines(join(this.dir, RUN_FILES.metrics), { truncateTo: 0 });
    this.timingLog = new JsonLines(join(this.dir, RUN_FILES.timing), { truncateTo: 0 });
    this.timing({ type: 'start', time: new Date().toISOString(), step: 0, backend: config.backend.mode });
  }

  /** Continues the run: checks the configuration, restores last.safetensors, cuts the logs back to it. */
  resume(config: RunConfig, objects: { model: TrainableModel; optimizer: Optimizer; loader: BatchLoader }): { progress: Progress; step: number } {
    if (this.dir === null) throw new RangeError('train: resume needs the run directory (runDir)');
    const stored = readRunConfig(this.dir);
    if (stored.configHash !== config.configHash) {
      throw new RunDirectoryError(this.dir, `the configuration differs from the run's ${RUN_FILES.config} (hash ${config.configHash}, the run's ${stored.configHash}): resume with the run's own settings`);
    }
    const path = join(this.dir, RUN_FILES.last);
    if (!existsSync(path)) {
      throw new RunDirectoryError(this.dir, `has no ${RUN_FILES.last}: the run stopped before its first checkpoint, so there is nothing to continue (start it again with skipinit train)`);
    }
    const checkpoint = readCheckpoint(path);
    const progress = restoreState(checkpoint, path, { ...objects, configHash: this.hash });
    this.metrics = new JsonLines(join(this.dir, RUN_FILES.metrics), { truncateTo: progress.metricsBytes });
    this.timingLog = new JsonLines(join(this.dir, RUN_FILES.timing));
    this.last = { path, step: checkpoint.meta.step };
    if (existsSync(join(this.dir, RUN_FILES.best))) this.bestPath = join(this.dir, RUN_FILES.best);
    this.timing({ type: 'resume', time: new Date().toISOString(), step: checkpoint.meta.step, backend: config.backend.mode });
    return { progress, step: checkpoint.meta.step };
  }

  /** Appends a record to metrics.jsonl (deterministic values only). */
  metric(record: object): void {
    this.metrics?.append(record);
  }

  /** Appends a record to timing.jsonl (wall-clock values). */
  timing(record: object): void {
    this.timingLog?.append(record);
  }

  async emit(event: TrainEvent): Promise<void> {
    const cb = this.callbacks;
    if (cb === undefined) return;
    const hook = cb[event.type] as ((e: TrainEvent) => void | Promise<void>) | undefined;
    if (hook !== undefined) await hook(event);
    if (cb.onEvent !== undefined) await cb.onEvent(event);
  }

  /** The latest last.safetensors written (or resumed from), for the divergence message. */
  get lastCheckpoint(): { path: string; step: number } | null {
    return this.last;
  }

  checkpointPaths(): { last: string | null; best: string | null } {
    return { last: this.last?.path ?? null, best: this.bestPath };
  }

  /** Writes last.safetensors or best.safetensors with the state at `step`. */
  async checkpoint(kind: 'last' | 'best', step: number, make: () => CaptureArgs): Promise<void> {
    if (this.dir === null || this.metrics === null) return;
    this.metrics.sync();
    const bytes = this.metrics.size;
    let checkpoint = this.cached !== null && this.cached.step === step && this.cached.bytes === bytes ? this.cached.checkpoint : null;
    if (checkpoint === null) {
      const args = make();
      checkpoint = await captureState({ ...args, progress: { ...args.progress, metricsBytes: bytes }, configHash: this.hash });
      if (this.io !== undefined) checkpoint = { ...checkpoint, meta: { ...checkpoint.meta, io: this.io } };
    }
    // best is written just before last at the same step: keep the capture for that one reuse only.
    this.cached = kind === 'best' ? { step, bytes, checkpoint } : null;
    const path = join(this.dir, kind === 'last' ? RUN_FILES.last : RUN_FILES.best);
    writeCheckpoint(path, checkpoint);
    if (kind === 'last') this.last = { path, step };
    else this.bestPath = path;
    await this.emit({ type: 'checkpoint', step, path, kind });
  }

  /** Writes summary.json. */
  finish(summary: TrainSummary): void {
    this.cached = null;
    if (this.dir === null) return;
    writeFileAtomic(join(this.dir, RUN_FILES.summary), Buffer.from(JSON.stringify(summary, null, 2) + '\n'));
    this.timing({ type: 'end', time: new Date().toISOString(), step: summary.steps, status: summary.status, elapsed_s: summary.elapsed_s, examples_per_s: summary.examples_per_s });
  }

  close(): void {
    this.metrics?.close();
    this.timingLog?.close();
    this.metrics = null;
    this.timingLog = null;
  }
}

/** The summary a finished run wrote, or null. */
export function readSummary(dir: string): TrainSummary | null {
  const path = join(dir, RUN_FILES.summary);
  if (!existsSync(path)) return null;
  return JSON.parse(readFileSync(path, 'utf8')) as TrainSummary;
}
