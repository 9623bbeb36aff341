// The complete state of a run at a step boundary, to and from a checkpoint: the model's parameters and
// buffers, the optimiser's state (velocities, Adam's moments and step counts), every random stream, the batch loader's position and the loop's
// running sums. Values are read at the backend's precision (float64 on the reference backend), so a
// resumed run continues bit for bit.

import type { BatchLoader, LoaderState } from '@skipinit/data';
import type { Graph } from '@skipinit/graph';
import { Rng, TensorError } from '@skipinit/tensor';
import type { RngState, Tensor } from '@skipinit/tensor';
import { assignValues } from './assign';
import { CheckpointError } from './checkpoint';
import type { Checkpoint, StoredTensor } from './checkpoint';
import type { TrainableModel } from './model';
import { OPTIMIZER_PREFIX } from './optimizer';
import type { Optimizer } from './optimizer';

/** Running sums of the current epoch's training batches. */
export interface EpochSums {
  loss: number;
  correct: number;
  examples: number;
}

/** The loop's own state, stored as the checkpoint's `progress` metadata. */
export interface Progress {
  /** The current epoch's sums so far (for its mean at the epoch's end). */
  epochSums: EpochSums;
  /** The last completed epoch's means (the summary's train_loss / train_accuracy). */
  lastEpoch: { loss: number; accuracy: number } | null;
  /** The best evaluation so far. */
  best: { step: number; split: 'validation' | 'test'; accuracy: number } | null;
  /** The last evaluation (step and result). */
  lastEval: { step: number; split: 'validation' | 'test'; loss: number | null; accuracy: number } | null;
  /** Bytes of metrics.jsonl when the checkpoint was written. */
  metricsBytes: number;
}

function read(t: Tensor): Promise<Float32Array | Float64Array> {
  return t.engine.backend.precision === 'float64' ? t.data64() : t.data();
}

/** Everything to save at step `step` (read back asynchronously, all tensors at once). */
export async function captureState(args: {
  readonly model: TrainableModel;
  readonly optimizer: Optimizer;
  readonly loader: BatchLoader;
  readonly step: number;
  readonly progress: Progress;
  readonly configHash: string;
  readonly graph: Graph;
}): Promise<Checkpoint> {
  const named: [string, Tensor][] = [
    ...args.model.parameters().map((p): [string, Tensor] => [p.name, p.value]),
    ...args.model.buffers().map((b): [string, Tensor] => [b.name, b.value]),
    ...args.optimizer.state(),
  ];
  const values = await Promise.all(named.map(([, t]) => read(t)));
  const tensors = new Map<string, StoredTensor>();
  named.forEach(([name, t], i) => tensors.set(name, { shape: t.shape, data: values[i] }));
  const optimizer = args.optimizer.stateMeta();
  const loader = args.loader.state();
  return {
    tensors,
    meta: {
      step: args.step,
      epoch: loader.epoch,
      configHash: args.configHash,
      rng: { dropout: args.model.rng.state(), engine: args.model.engine.rng.state() },
      loader,
      progress: args.progress,
      graph: args.graph,
      ...(optimizer !== null ? { optimizer } : {}),
    },
  };
}

/** Restores a checkpoint into freshly built objects; `file` names the checkpoint in errors. */
export function restoreState(
  checkpoint: Checkpoint,
  file: string,
  args: { readonly model: TrainableModel; readonly optimizer: Optimizer; readonly loader: BatchLoader; readonly configHash: string },
): Progress {
  const fail = (code: 'checkpoint/corrupt' | 'checkpoint/mismatch', message: string): never => {
    throw new CheckpointError(code, file, message);
  };
  const { meta, tensors } = checkpoint;
  if (meta.configHash !== args.configHash) {
    fail('checkpoint/mismatch', `belongs to another configuration (config_hash ${meta.configHash}; this run's is ${args.configHash})`);
  }
  const targets = new Map<string, Tensor>();
  for (const p of args.model.parameters()) targets.set(p.name, p.value);
  for (const b of args.model.buffers()) targets.set(b.name, b.value);
  const optimizerState = new Map<string, StoredTensor>();
  const missing: string[] = [];
  for (const name of targets.keys()) if (!tensors.has(name)) missing.push(name);
  const unknown: string[] = [];
  for (const [name, t] of tensors) {
    if (name.startsWith(OPTIMIZER_PREFIX)) optimizerState.set(name, t);
    else if (!targets.has(name)) unknown.push(name);
  }
  if (missing.length > 0) fail('checkpoint/mismatch', `lacks ${missing.length} of the model's tensors: ${missing.slice(0, 5).join(', ')}`);
  if (unknown.length > 0) fail('checkpoint/mismatch', `holds ${unknown.length} tensors the model does not have: ${unknown.slice(0, 5).join(', ')}`);
  for (const [name, target] of targets) {
    const t = tensors.get(name)!;
    if (t.shape.length !== target.shape.length || t.shape.some((d, i) => d !== target.shape[i])) {
      fail('checkpoint/mismatch', `tensor '${name}' has shape [${t.shape.join(', ')}], the model's [${target.shape.join(', ')}]`);
    }
  }
  const rng = meta.rng as { dropout?: RngState; engine?: RngState };
  let dropout: Rng;
  let engineRng: Rng;
  try {
    dropout = Rng.fromState(rng.dropout as RngState);
    engineRng = Rng.fromState(rng.engine as RngState);
  } catch (error) {
    return fail('checkpoint/corrupt', `its random-generator states are invalid: ${(error as Error).message}`);
  }
  const progress = meta.progress as Progress;
  if (progress === null || typeof progress !== 'object' || typeof progress.metricsBytes !== 'number' || progress.epochSums === undefined) {
    fail('checkpoint/corrupt', "its 'progress' metadata is incomplete");
  }
  try {
    args.loader.restore(meta.loader as LoaderState);
  } catch (error) {
    fail('checkpoint/mismatch', `its data-loader position does not fit this run's data: ${(error as Error).message}`);
  }
  try {
    args.optimizer.loadState(optimizerState, meta.optimizer ?? null);
  } catch (error) {
    if (!(error instanceof TensorError)) throw error;
    fail('checkpoint/mismatch', `its optimiser state does not fit this run's ${args.optimizer.name}: ${error.message}`);
  }
  for (const [name, target] of targets) assignValues(target, tensors.get(name)!, `${file}: '${name}'`);
  args.model.rng = dropout;
  args.model.engine.rng = engineRng;
  return structuredClone(progress);
}
