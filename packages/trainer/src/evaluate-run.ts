// evaluateRun(): evaluate a run's checkpoint (best, last, or any file) on a split of its data set, with
// the model and the data preparation of its config.json (same normalisation, same validation split).

import type { DatasetSplits } from '@skipinit/data';
import { build } from '@skipinit/layers';
import type { Engine } from '@skipinit/tensor';
import { join } from 'node:path';
import { assignValues } from './assign';
import { CheckpointError, readCheckpoint } from './checkpoint';
import { evaluate } from './evaluate';
import type { EvalResult } from './evaluate';
import type { TrainableModel } from './model';
import { readRunConfig } from './run-config';
import type { RunConfig } from './run-config';
import { RUN_FILES, RunDirectoryError } from './run-dir';
import { VELOCITY_PREFIX } from './sgd';
import { prepareTrainingData } from './training-data';

export type EvalSplit = 'test' | 'validation' | 'train';

export interface EvaluateRunOptions {
  readonly runDir: string;
  readonly engine: Engine;
  /** 'best' (default when it exists, else 'last'), 'last', or a checkpoint file path. */
  readonly checkpoint?: string;
  /** Which split to evaluate (default 'test'). */
  readonly split?: EvalSplit;
  /** Another directory for the data set's files (the recipe's path= otherwise). */
  readonly dataPath?: string;
  /** The data set's splits, already loaded (default: loaded by the recipe). */
  readonly data?: DatasetSplits;
  readonly batchSize?: number;
}

export interface RunEvaluation extends EvalResult {
  readonly split: EvalSplit;
  readonly checkpoint: string;
  readonly step: number;
  readonly config: RunConfig;
}

/** Copies a checkpoint's parameters and buffers into `model` (optimiser state is ignored). */
export function loadModelWeights(model: TrainableModel, tensors: ReturnType<typeof readCheckpoint>['tensors'], file: string): void {
  const targets = [...model.parameters(), ...model.buffers()];
  const missing = targets.filter((t) => !tensors.has(t.name)).map((t) => t.name);
  if (missing.length > 0) throw new CheckpointError('checkpoint/mismatch', file, `lacks ${missing.length} of the model's tensors: ${missing.slice(0, 5).join(', ')}`);
  const known = new Set(targets.map((t) => t.name));
  const unknown = [...tensors.keys()].filter((k) => !k.startsWith(VELOCITY_PREFIX) && !known.has(k));
  if (unknown.length > 0) throw new CheckpointError('checkpoint/mismatch', file, `holds tensors the model does not have: ${unknown.slice(0, 5).join(', ')}`);
  for (const t of targets) {
    const stored = tensors.get(t.name)!;
    if (stored.shape.length !== t.value.shape.length || stored.shape.some((d, i) => d !== t.value.shape[i])) {
      throw new CheckpointError('checkpoint/mismatch', file, `tensor '${t.name}' has shape [${stored.shape.join(', ')}], the model's [${t.value.shape.join(', ')}]`);
    }
  }
  for (const t of targets) assignValues(t.value, tensors.get(t.name)!, `${file}: '${t.name}'`);
}

export async function evaluateRun(options: EvaluateRunOptions): Promise<RunEvaluation> {
  const config = readRunConfig(options.runDir);
  const which = options.checkpoint ?? 'best';
  let file: string;
  if (which === 'best' || which === 'last') {
    file = join(options.runDir, which === 'best' ? RUN_FILES.best : RUN_FILES.last);
    if (which === 'best' && options.checkpoint === undefined) {
      try {
        return await evaluateFile(options, config, file);
      } catch (error) {
        if (!(error instanceof CheckpointError && error.code === 'checkpoint/missing')) throw error;
        file = join(options.runDir, RUN_FILES.last);
      }
    }
  } else {
    file = which;
  }
  return evaluateFile(options, config, file);
}

async function evaluateFile(options: EvaluateRunOptions, config: RunConfig, file: string): Promise<RunEvaluation> {
  const checkpoint = readCheckpoint(file);
  if (checkpoint.meta.configHash !== config.configHash) {
    throw new CheckpointError('checkpoint/mismatch', file, `belongs to another configuration than ${join(options.runDir, RUN_FILES.config)}`);
  }
  const spec = options.dataPath === undefined ? config.train : { ...config.train, data: { ...config.train.data, path: options.dataPath } };
  const model = build(config.graph, { seed: config.seed, engine: options.engine });
  try {
    // The normalisation the run recorded (runs from before it was recorded fit it again: the same numbers).
    const recorded = config.io?.normalization;
    const data = prepareTrainingData(spec, { input: model.inputShape, classes: model.outputShape[0] }, options.data, recorded ? { normalization: recorded } : {});
    const split = options.split ?? 'test';
    const dataset = split === 'test' ? data.test : split === 'train' ? data.train : data.evaluationSplit === 'validation' ? data.evaluation : null;
    if (dataset === null) throw new RunDirectoryError(options.runDir, 'the run holds out no validation split (its recipe has validation=0): evaluate on test or train');
    loadModelWeights(model, checkpoint.tensors, file);
    const r = await evaluate(model, dataset, { batchSize: options.batchSize ?? config.loop.evalBatchSize });
    return { ...r, split, checkpoint: file, step: checkpoint.meta.step, config };
  } finally {
    model.dispose();
  }
}
