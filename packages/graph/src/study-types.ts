// The study around a model, as plain data (the conventions of types.ts hold): the training recipe as written
// (`TrainSpec`) and resolved (`ResolvedTrainSpec`), the sweep grid and its cells, and the whole `Study`.

import type { Graph, Span } from './types';
import type { AugmentationName, DatasetName, DecayTarget, OptimizerName, ScheduleName } from './vocabulary';

/** A `let` value. */
export type LetValue = number | string | boolean;

/** The data a run trains on. */
export interface DataSpec {
  name: DatasetName;
  /** Examples per step. Default 128. */
  batch?: number;
  /** Fraction of the training set held out for validation, in [0, 1). Default 0 (evaluate on the test set). */
  validation?: number;
  /** Directory holding the data set's files (CIFAR binaries); absent: the data package's default. */
  path?: string;
  /** Use only the first `limit` training examples (after the seeded shuffle). Absent: all. */
  limit?: number;
}

/**
 * The optimiser, with PyTorch's update rules (torch.optim.SGD, Adam, AdamW):
 * - sgd: v = momentum * v + (g + wd * w); w -= lr * (nesterov ? g + momentum * v : v);
 * - adam: g += wd * w; m = b1 m + (1 - b1) g; v = b2 v + (1 - b2) g^2;
 *   w -= lr / (1 - b1^t) * m / (sqrt(v) / sqrt(1 - b2^t) + eps);
 * - adamw: as adam, but the decay is decoupled: w *= 1 - lr * wd before the update.
 * Any of them may first scale the gradients to a global L2 norm of at most clipGradNorm
 * (torch.nn.utils.clip_grad_norm_).
 */
export interface OptimizerSpec {
  name: OptimizerName;
  /** Default 0.01 for sgd (Keras's SGD default), 0.001 for adam and adamw (PyTorch's). */
  lr?: number;
  /** sgd only. Default 0. */
  momentum?: number;
  /** sgd only. Default false; needs momentum > 0. */
  nesterov?: boolean;
  /** Weight decay: L2 added to the gradient (sgd, adam), decoupled (adamw). Default 0, for adamw 0.01. */
  weightDecay?: number;
  /** Which parameters decay: 'all' (default) or 'weights' (conv/dense kernels only). */
  decay?: DecayTarget;
  /** adam/adamw: decay rates of the moment estimates, in [0, 1). Defaults 0.9 and 0.999. */
  beta1?: number;
  beta2?: number;
  /** adam/adamw: added to the denominator. Default 1e-8. */
  eps?: number;
  /** Scale the gradients to this global L2 norm when it is exceeded (> 0). Default: no clipping. */
  clipGradNorm?: number;
}

/**
 * Learning-rate schedule. Every schedule may start with a linear warm-up from 0 over `warmup` steps.
 * - constant: lr throughout;
 * - step: lr * gamma^k after the k-th milestone (milestones in the unit of the run's length: epochs if
 *   it is given in epochs, else steps; default: at 50% and 75% of the run; gamma default 0.1);
 * - cosine: lr * (minLr + (1 - minLr) * (1 + cos(pi * t)) / 2) over the steps after warm-up (minLr is a
 *   fraction of lr, default 0);
 * - warmup: the warm-up, then constant.
 */
export interface ScheduleSpec {
  name: ScheduleName;
  warmup?: number;
  milestones?: number[];
  gamma?: number;
  minLr?: number;
}

/** A training recipe as written; `resolveTrainSpec` fills the defaults. Give steps or epochs, not both. */
export interface TrainSpec {
  data: DataSpec;
  optimizer?: OptimizerSpec;
  schedule?: ScheduleSpec;
  steps?: number;
  epochs?: number;
  /** Evaluate every this many steps. Default: at the end of every epoch (and at the end of the run). */
  evalEvery?: number;
  /**
   * Log every residual block's scalars, per-block gradient norms and per-stage weight norms to
   * metrics.jsonl every this many steps (0: never). Default 100.
   */
  logParamsEvery?: number;
  /** Seed of every random choice of the run (init, shuffling, augmentation, dropout). Default 0. */
  seed?: number;
  /** Augmentations, applied in this order. Default none. */
  augment?: AugmentationName[];
}

/** A training recipe with every default filled in. */
export interface ResolvedTrainSpec {
  data: { name: DatasetName; batch: number; validation: number; path: string | null; limit: number | null };
  optimizer: {
    name: OptimizerName;
    lr: number;
    momentum: number;
    nesterov: boolean;
    weightDecay: number;
    decay: DecayTarget;
    /**
     * adam and adamw only (absent for sgd, so an SGD recipe, and the hash of its runs, is what it was
     * before Adam existed).
     */
    beta1?: number;
    beta2?: number;
    eps?: number;
    /** Present only when clipping is on. */
    clipGradNorm?: number;
  };
  schedule: { name: ScheduleName; warmup: number; milestones: number[]; gamma: number; minLr: number };
  /** Exactly one of steps / epochs is non-null. Without either in the spec: 1 epoch. */
  steps: number | null;
  epochs: number | null;
  /** Steps between evaluations, or 'epoch' for the end of every epoch. */
  evalEvery: number | 'epoch';
  /** Steps between 'params' records in metrics.jsonl (0: none). */
  logParamsEvery: number;
  seed: number;
  augment: AugmentationName[];
}

/** A sweep value: a scalar, or a list (for list-valued settings such as `augment` or `milestones`). */
export type SweepValue = LetValue | LetValue[];

/**
 * One axis of a sweep. `target` says what the name refers to: a `let` binding of the spec (the
 * front end recompiles the model with it) or a train setting (one of TRAIN_SETTING_NAMES, applied
 * to the TrainSpec). A name that is both is a `let` (the DSL's rule: sweep overrides the `let`).
 */
export interface SweepAxis {
  name: string;
  target: 'let' | 'train';
  values: SweepValue[];
  span?: Span;
}

/**
 * A grid sweep: one run per combination of axis values. Cells are enumerated like
 * itertools.product: the first axis varies slowest, the last fastest; values in the order given.
 */
export interface SweepSpec {
  axes: SweepAxis[];
}

/** One grid cell, as `expandSweep` returns it. */
export interface SweepCell {
  /** 0-based position in the enumeration order. */
  index: number;
  /** Stable, readable key, e.g. "init=skipinit,lr=0.01". */
  key: string;
  /** Every axis's value in this cell, by axis name. */
  values: Record<string, SweepValue>;
  /** The `let` overrides of this cell (the front end recompiles the model with them). */
  lets: Record<string, LetValue>;
  /** The base recipe with this cell's train settings applied, resolved; null when the study has no train block. */
  train: ResolvedTrainSpec | null;
}

/** A whole study: the model, its training recipe and its sweep, plus the `let` values used. */
export interface Study {
  graph: Graph;
  train: TrainSpec | null;
  sweep: SweepSpec | null;
  lets: Record<string, LetValue>;
}
