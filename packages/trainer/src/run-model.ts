// A run's trained model, ready to use: built from config.json's graph, loaded from a checkpoint (best by
// default, else last), with the input contract the run recorded (model-io.ts). What export, predict and
// other tools that reuse a run start from.

import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { DatasetSplits } from '@skipinit/data';
import { build } from '@skipinit/layers';
import type { Model } from '@skipinit/layers';
import type { Engine } from '@skipinit/tensor';
import { CheckpointError, readCheckpoint } from './checkpoint';
import { loadModelWeights } from './evaluate-run';
import { modelIo } from './model-io';
import type { ModelIo } from './model-io';
import { readRunConfig } from './run-config';
import type { RunConfig } from './run-config';
import { RUN_FILES } from './run-dir';
import { prepareTrainingData } from './training-data';

export interface LoadRunModelOptions {
  readonly runDir: string;
  readonly engine: Engine;
  /** 'best' (default when it exists, else 'last'), 'last', or a checkpoint file of this run. */
  readonly checkpoint?: string;
  /** Only for runs made before the input contract was recorded: the data set's splits to fit it again. */
  readonly data?: DatasetSplits;
}

export interface RunModel {
  /** The model with the checkpoint's weights (dispose it when done). */
  readonly model: Model;
  readonly config: RunConfig;
  readonly checkpoint: string;
  readonly step: number;
  readonly io: ModelIo;
}

/** The checkpoint file `which` names in `runDir`; a run without one is a CheckpointError ('checkpoint/missing'). */
export function checkpointFile(runDir: string, which?: string): string {
  if (which !== undefined && which !== 'best' && which !== 'last') return which;
  const best = join(runDir, RUN_FILES.best);
  const last = join(runDir, RUN_FILES.last);
  if (which === 'best' || which === 'last') return which === 'best' ? best : last;
  if (existsSync(best)) return best;
  if (existsSync(last)) return last;
  throw new CheckpointError(
    'checkpoint/missing',
    runDir,
    `the run has no checkpoint (neither ${RUN_FILES.best} nor ${RUN_FILES.last}): it stopped before writing one; train it again, or resume it if it has ${RUN_FILES.last}`,
  );
}

/** Builds the run's model, loads its checkpoint, and gives its input contract. */
export function loadRunModel(options: LoadRunModelOptions): RunModel {
  const config = readRunConfig(options.runDir);
  const file = checkpointFile(options.runDir, options.checkpoint);
  const checkpoint = readCheckpoint(file);
  if (checkpoint.meta.configHash !== config.configHash) {
    throw new CheckpointError('checkpoint/mismatch', file, `belongs to another configuration than ${join(options.runDir, RUN_FILES.config)}`);
  }
  const model = build(config.graph, { seed: config.seed, engine: options.engine });
  try {
    loadModelWeights(model, checkpoint.tensors, file);
    const recorded = (config.io ?? checkpoint.meta.io) as ModelIo | undefined;
    const io = recorded ?? modelIo(model, prepareTrainingData(config.train, { input: model.inputShape, classes: model.outputShape[0] }, options.data));
    return { model, config, checkpoint: file, step: checkpoint.meta.step, io };
  } catch (error) {
    model.dispose();
    throw error;
  }
}
