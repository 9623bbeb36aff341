// Training checkpoints: one safetensors file holding everything a run needs to continue exactly.
//
// Tensors (at the backend's precision: F32 on the gpu.js engine, F64 on the float64 reference backend):
//   <param name>                 the model's parameters, under their stable names
//   <buffer name>                its buffers (batch-norm running statistics)
//   optim.velocity.<param name>  SGD's momentum buffers
//   optim.exp_avg.<param name>, optim.exp_avg_sq.<param name>   Adam's and AdamW's moments (torch's names)
// Metadata (safetensors allows only string -> string; structured values are JSON):
//   format          'skipinit.checkpoint'     format_version  '1'
//   step            optimiser steps done       epoch           the loader's epoch at that point
//   config_hash     hash of the resolved configuration (a resume refuses another configuration)
//   rng             JSON: the saved random streams by name
//   loader          JSON: the batch loader's position (@skipinit/data LoaderState)
//   progress        JSON: the loop's running sums, best result, metrics.jsonl length, ...
//   graph           JSON: the layer graph (so a checkpoint describes its own model)
//   optimizer       JSON, optional: the optimiser's state besides tensors (Adam's per-parameter step counts)
//   io              JSON: the model's input contract (model-io.ts: layout, value range, normalisation,
//                   class names, every padding), so the file alone is enough to reuse the model

import { readFileSync } from 'node:fs';
import { writeFileAtomic } from './atomic-write';
import { decodeSafetensors, encodeSafetensors, SafetensorsError } from './safetensors';
import type { NamedTensor } from './safetensors';

export const CHECKPOINT_FORMAT = 'skipinit.checkpoint';
export const CHECKPOINT_VERSION = '1';

export type CheckpointErrorCode = 'checkpoint/missing' | 'checkpoint/corrupt' | 'checkpoint/mismatch';

/** A checkpoint that cannot be used: `file` names it, the message says why. */
export class CheckpointError extends Error {
  override readonly name = 'CheckpointError';
  constructor(
    readonly code: CheckpointErrorCode,
    readonly file: string,
    message: string,
  ) {
    super(`${file}: ${message}`);
  }
}

/** Values of one stored tensor, float (as the model and optimiser hold them). */
export interface StoredTensor {
  readonly shape: readonly number[];
  readonly data: Float32Array | Float64Array;
}

export interface CheckpointMeta {
  readonly step: number;
  readonly epoch: number;
  readonly configHash: string;
  /** Named random-generator states (JSON values). */
  readonly rng: Record<string, unknown>;
  /** The batch loader's state (JSON). */
  readonly loader: unknown;
  /** The loop's own state (JSON). */
  readonly progress: unknown;
  /** The layer graph (JSON). */
  readonly graph: unknown;
  /** The optimiser's non-tensor state (JSON), when it has any. */
  readonly optimizer?: unknown;
  /** The model's input contract (ModelIo, JSON); absent in checkpoints written before it was recorded. */
  readonly io?: unknown;
}

export interface Checkpoint {
  readonly tensors: Map<string, StoredTensor>;
  readonly meta: CheckpointMeta;
}

/** Writes a checkpoint atomically (a crash mid-write leaves the previous file intact). */
export function writeCheckpoint(path: string, checkpoint: Checkpoint): void {
  const tensors = new Map<string, NamedTensor>();
  for (const [name, t] of checkpoint.tensors) {
    tensors.set(name, { dtype: t.data instanceof Float64Array ? 'F64' : 'F32', shape: t.shape, data: t.data });
  }
  const m = checkpoint.meta;
  const metadata: Record<string, string> = {
    format: CHECKPOINT_FORMAT,
    format_version: CHECKPOINT_VERSION,
    step: String(m.step),
    epoch: String(m.epoch),
    config_hash: m.configHash,
    rng: JSON.stringify(m.rng),
    loader: JSON.stringify(m.loader),
    progress: JSON.stringify(m.progress),
    graph: JSON.stringify(m.graph),
    ...(m.optimizer !== undefined ? { optimizer: JSON.stringify(m.optimizer) } : {}),
    ...(m.io !== undefined ? { io: JSON.stringify(m.io) } : {}),
  };
  writeFileAtomic(path, encodeSafetensors(tensors, metadata));
}

/** Reads and checks a checkpoint; a missing, truncated or corrupt file is a CheckpointError naming it. */
export function readCheckpoint(path: string): Checkpoint {
  let bytes: Uint8Array;
  try {
    bytes = readFileSync(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new CheckpointError('checkpoint/missing', path, 'no such checkpoint file');
    throw new CheckpointError('checkpoint/missing', path, `cannot read the checkpoint (${(error as Error).message})`);
  }
  let decoded;
  try {
    decoded = decodeSafetensors(bytes, path);
  } catch (error) {
    if (error instanceof SafetensorsError) throw new CheckpointError('checkpoint/corrupt', path, `not a valid safetensors file: ${error.detail}`);
    throw error;
  }
  const md = decoded.metadata;
  const corrupt = (what: string): never => {
    throw new CheckpointError('checkpoint/corrupt', path, `not a skipinit checkpoint: ${what}`);
  };
  if (md.format !== CHECKPOINT_FORMAT) corrupt(`metadata 'format' is ${JSON.stringify(md.format ?? null)}, expected '${CHECKPOINT_FORMAT}'`);
  if (md.format_version !== CHECKPOINT_VERSION) {
    corrupt(`format_version ${JSON.stringify(md.format_version ?? null)} is not supported (this trainer reads version ${CHECKPOINT_VERSION})`);
  }
  const int = (key: string): number => {
    const v = Number(md[key]);
    if (md[key] === undefined || !Number.isSafeInteger(v) || v < 0 || String(v) !== md[key]) corrupt(`metadata '${key}' is ${JSON.stringify(md[key] ?? null)}, not a count`);
    return v;
  };
  const json = (key: string): unknown => {
    if (md[key] === undefined) corrupt(`metadata '${key}' is missing`);
    try {
      return JSON.parse(md[key]);
    } catch {
      return corrupt(`metadata '${key}' is not valid JSON`);
    }
  };
  if (typeof md.config_hash !== 'string' || md.config_hash.length === 0) corrupt("metadata 'config_hash' is missing");
  const rng = json('rng');
  if (rng === null || typeof rng !== 'object' || Array.isArray(rng)) corrupt("metadata 'rng' is not an object of generator states");
  const meta: CheckpointMeta = {
    step: int('step'),
    epoch: int('epoch'),
    configHash: md.config_hash,
    rng: rng as Record<string, unknown>,
    loader: json('loader'),
    progress: json('progress'),
    graph: json('graph'),
    ...(md.optimizer !== undefined ? { optimizer: json('optimizer') } : {}),
    ...(md.io !== undefined ? { io: json('io') } : {}),
  };
  const tensors = new Map<string, StoredTensor>();
  for (const [name, t] of decoded.tensors) {
    if (!(t.data instanceof Float32Array || t.data instanceof Float64Array)) corrupt(`tensor '${name}' has dtype ${t.dtype}; expected F32 or F64`);
    tensors.set(name, { shape: t.shape, data: t.data as Float32Array | Float64Array });
  }
  return { tensors, meta };
}
