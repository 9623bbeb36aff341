// resumeRun(): continue a run directory from its last checkpoint, with the configuration it started with
// (config.json: graph, recipe, loop settings). The caller brings the engine (the CLI makes it from the
// backend mode the run recorded, or the one the user asks for).

import type { Engine } from '@skipinit/tensor';
import type { DatasetSplits } from '@skipinit/data';
import type { TrainCallbacks, TrainSummary } from './events';
import { readRunConfig } from './run-config';
import type { RunConfig } from './run-config';
import { train } from './train';
import type { TrainOptions } from './train';

export interface ResumeOptions {
  readonly runDir: string;
  readonly engine: Engine;
  readonly callbacks?: TrainCallbacks;
  readonly signal?: AbortSignal;
  /** The data set's splits, when the run was given them explicitly (default: loaded by the recipe). */
  readonly data?: DatasetSplits;
  readonly buildModel?: TrainOptions['buildModel'];
  /** Change how often checkpoints are written (does not change the run's results). */
  readonly checkpointEvery?: number | 'eval';
  readonly clock?: () => number;
  /** Fields merged into config.backend for this session's records (config.json itself is not rewritten). */
  readonly meta?: TrainOptions['meta'];
}

/** Continues `runDir` from last.safetensors; returns the final summary. */
export async function resumeRun(options: ResumeOptions): Promise<TrainSummary> {
  const config: RunConfig = readRunConfig(options.runDir);
  return train({
    graph: config.graph,
    train: config.train,
    engine: options.engine,
    runDir: options.runDir,
    resume: true,
    logEvery: config.loop.logEvery,
    checkpointEvery: options.checkpointEvery ?? config.loop.checkpointEvery,
    evalBatchSize: config.loop.evalBatchSize,
    maxLoss: config.loop.maxLoss,
    ...(options.callbacks ? { callbacks: options.callbacks } : {}),
    ...(options.signal ? { signal: options.signal } : {}),
    ...(options.data ? { data: options.data } : {}),
    ...(options.buildModel ? { buildModel: options.buildModel } : {}),
    ...(options.clock ? { clock: options.clock } : {}),
    ...(options.meta ? { meta: options.meta } : {}),
  });
}
