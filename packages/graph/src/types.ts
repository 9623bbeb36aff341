// The layer-graph IR: plain, JSON-serialisable data describing a residual network and the study
// around it (training recipe and sweep).
//
// Conventions, for every type below:
// - Plain data only: numbers, strings, booleans, arrays, plain objects. No class instances, no
//   `undefined` values (leave an optional key out instead), no NaN/Infinity. `JSON.parse(
//   JSON.stringify(x))` equals x.
// - Shapes are PER EXAMPLE (no batch axis): [C, H, W] for images (NCHW layout without N) or [n]
//   for flat vectors.
// - Every attribute is stored explicitly (the builders in builders.ts fill defaults), so a graph
//   says exactly what will be built. The only derived values are those that depend on the whole
//   network (the residual scalars, Fixup's gains): `inferGraph` computes them and reports them.
// - Repetition is stored compactly: `resblock` has a `count`, and `repeat` repeats any body, so a
//   1000-block network is one node.
// - Any node may carry an `id` (unique within the graph, optional) and a `span` (where it came from
//   in spec text, filled by the DSL). Issues found in a node carry its path and its span.

import type {
  ActivationName,
  AugmentationName,
  BlockKind,
  DatasetName,
  DecayTarget,
  NormName,
  OptimizerName,
  PaddingName,
  ResidualSchemeName,
  ScheduleName,
  ShortcutName,
  WeightInitName,
} from './vocabulary';

/** A per-example shape: [C, H, W] or [n]. */
export type Shape = readonly number[];

/**
 * Where a node came from in spec text. Lines and columns are 1-based, offsets 0-based; the end is
 * exclusive (endOffset is one past the last character).
 */
export interface Span {
  file?: string;
  offset: number;
  endOffset: number;
  line: number;
  col: number;
  endLine: number;
  endCol: number;
}

/** Fields every node may carry. */
export interface NodeBase {
  /** Optional id, unique within the graph when present (DOT output and error paths use it). */
  id?: string;
  /** Source location, filled by the DSL. */
  span?: Span;
}

// ---------------------------------------------------------------------------------------------
// The input

/** The network input: [C, H, W] for images or [n] for flat vectors. Always the first node. */
export interface InputNode extends NodeBase {
  kind: 'input';
  shape: number[];
}

// ---------------------------------------------------------------------------------------------
// Primitive layers

/**
 * 2-D convolution, square kernel, groups = 1, weight [out, in, kernel, kernel].
 * padding: 'same' keeps ceil(H / stride) (TensorFlow's rule, split with the extra pixel at the
 * bottom/right, see `convPadding`); 'valid' pads nothing; a number pads that many zeros on every side.
 */
export interface ConvNode extends NodeBase {
  kind: 'conv';
  out: number;
  kernel: number;
  stride: number;
  padding: PaddingName | number;
  bias: boolean;
  /** Weight initialiser; absent means 'he'. Biases always start at 0. */
  init?: WeightInitName;
  /** Multiplier on the initialised weights (Fixup's d^(-1/(2m-2))); absent means 1. */
  gain?: number;
}

/** Fully connected layer on a flat input, weight [units, in]. */
export interface DenseNode extends NodeBase {
  kind: 'dense';
  units: number;
  bias: boolean;
  /** Weight initialiser; absent means 'he'. */
  init?: WeightInitName;
  /** Multiplier on the initialised weights; absent means 1. */
  gain?: number;
}

/** [C, H, W] -> [C*H*W]; a no-op on a flat input. */
export interface FlattenNode extends NodeBase {
  kind: 'flatten';
}

/** Element-wise activation. */
export interface ActivationNode extends NodeBase {
  kind: 'activation';
  fn: ActivationName;
}

/**
 * Batch norm over the batch (and spatial positions for images), per channel/feature.
 * PyTorch's conventions: running = (1 - momentum) * running + momentum * batch, momentum 0.1,
 * eps 1e-5. `affine` adds a learnable scale (init 1) and shift (init 0) per channel.
 */
export interface BatchNormNode extends NodeBase {
  kind: 'batchnorm';
  momentum: number;
  eps: number;
  affine: boolean;
}

/**
 * Layer norm: statistics over all features of one example (C, H and W for images, i.e. GroupNorm
 * with one group); the learnable scale/shift are per channel (per feature for flat inputs).
 */
export interface LayerNormNode extends NodeBase {
  kind: 'layernorm';
  eps: number;
  affine: boolean;
}

/** Windowed pooling (average or max) on an image. Average pooling counts padding as zeros. */
export interface WindowPoolNode extends NodeBase {
  kind: 'pool';
  op: 'avg' | 'max';
  size: number;
  stride: number;
  padding: PaddingName | number;
}

/** Global average pooling: [C, H, W] -> [C] (Keras's GlobalAveragePooling2D; no flatten needed after it). */
export interface GlobalPoolNode extends NodeBase {
  kind: 'pool';
  op: 'global';
}

export type PoolNode = WindowPoolNode | GlobalPoolNode;

/** Inverted dropout with drop probability p in [0, 1); identity at evaluation. */
export interface DropoutNode extends NodeBase {
  kind: 'dropout';
  p: number;
}

/** A learnable scalar added to every element (Fixup's scalar biases). */
export interface BiasNode extends NodeBase {
  kind: 'bias';
  init: number;
}

/** A scalar multiplying every element: learnable (one parameter) or fixed (no parameter). */
export interface ScaleNode extends NodeBase {
  kind: 'scale';
  init: number;
  learnable: boolean;
}

/** The primitive layers: what a residual branch is made of. */
export type LayerNode =
  | ConvNode
  | DenseNode
  | FlattenNode
  | ActivationNode
  | BatchNormNode
  | LayerNormNode
  | PoolNode
  | DropoutNode
  | BiasNode
  | ScaleNode;

// ---------------------------------------------------------------------------------------------
// Residual blocks

/**
 * The built-in pre-activation branch (He et al. 2016, "Identity Mappings"):
 * - kind 'conv': norm -> act -> conv(kernel, width, stride) -> norm -> act -> [dropout] -> conv(kernel, width)
 * - kind 'mlp':  norm -> act -> dense(width)               -> norm -> act -> [dropout] -> dense(width)
 * With norm 'none' the norm nodes are absent. `bias` puts biases on the convs/denses (as in
 * "Regularised SkipInit"; redundant before a batch norm). `dropout` > 0 inserts a dropout between the
 * two halves (Wide-ResNet). `stride` must be 1 for 'mlp'. `expandBranch` (expand.ts) turns this into
 * its nodes.
 */
export interface PreactBranch {
  kind: BlockKind;
  width: number;
  stride: number;
  kernel: number;
  norm: NormName;
  act: ActivationName;
  bias: boolean;
  dropout: number;
}

/**
 * A user-defined branch (`block bottleneck(width, stride=1) { ... }`): its nodes, already
 * instantiated with the block's arguments. `name` is the block's name and `args` the values it was
 * called with (for display); neither changes what is built.
 */
export interface CustomBranch {
  kind: 'custom';
  name: string;
  args?: Record<string, number | string | boolean>;
  nodes: LayerNode[];
}

export type Branch = PreactBranch | CustomBranch;

/**
 * A residual block, repeated `count` times in sequence: x_{l+1} = S(x_l) + alpha * f(x_l).
 *
 * - `shortcut`: 'identity' (shapes must match), 'projection' (a 1x1 conv with the branch's stride, no
 *   bias, for images; a dense for flat inputs), or 'auto' (projection iff the branch changes the shape).
 *   For a pre-activation branch the projection reads the pre-activated input (norm -> act), as in the
 *   Wide-ResNet reference code; the expansion makes that explicit (ExpandedBlock.pre).
 * - `scheme` and `weights` are the pair `initPlan(init)` gives for the spec's `init=`.
 * - `alpha`: an explicit initial value for the branch scalar, replacing the scheme's (skipinit: 0,
 *   scaled: 1/sqrt(d), fixup: 1). With scheme 'plain' and an alpha, the scalar is fixed.
 * - `learnable`: overrides whether alpha is trained (skipinit, fixup: true; scaled, plain: false).
 *
 * With count > 1 the block is applied `count` times; with 'auto' only the repetitions whose input
 * shape differs get a projection (normally just the first).
 */
export interface ResblockNode extends NodeBase {
  kind: 'resblock';
  count: number;
  branch: Branch;
  shortcut: ShortcutName;
  scheme: ResidualSchemeName;
  weights: WeightInitName;
  alpha?: number;
  learnable?: boolean;
}

// ---------------------------------------------------------------------------------------------
// Grouping and repetition

/**
 * A stage of a ResNet: a group of residual blocks of one width, the first of which may downsample.
 * The body holds the lowered blocks (normally a resblock with `stride` then a resblock x (blocks-1);
 * the `stage` builder produces exactly that). width/blocks/stride describe the stage and are
 * checked against the body: blocks = residual blocks in the body, width = output channels,
 * stride = input H / output H.
 */
export interface StageNode extends NodeBase {
  kind: 'stage';
  width: number;
  blocks: number;
  stride: number;
  body: Node[];
}

/** Any body repeated `count` times in sequence (the DSL's `x N` on statements other than resblock). */
export interface RepeatNode extends NodeBase {
  kind: 'repeat';
  count: number;
  body: Node[];
}

// ---------------------------------------------------------------------------------------------
// The classifier head

/**
 * The classifier: global average pooling (for an image input) -> [dropout p, when p > 0] ->
 * dense(classes). It outputs logits; the loss is softmax cross-entropy. Under Fixup the dense is
 * zero-initialised.
 */
export interface HeadNode extends NodeBase {
  kind: 'head';
  classes: number;
  dropout: number;
  bias: boolean;
  /** Weight initialiser of the dense; absent means 'he' (or 'zeros' under Fixup). */
  init?: WeightInitName;
}

export type CompositeNode = ResblockNode | StageNode | RepeatNode | HeadNode;

/** Any node. */
export type Node = InputNode | LayerNode | CompositeNode;

/** A network: its name and its nodes in order, the first one the input. */
export interface Graph {
  name: string;
  nodes: Node[];
}

// ---------------------------------------------------------------------------------------------
// The study around the model

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

/** SGD, PyTorch's update: v = momentum * v + (g + wd * w); w -= lr * (nesterov ? g + momentum * v : v). */
export interface OptimizerSpec {
  name: OptimizerName;
  /** Default 0.01 (Keras's SGD default). */
  lr?: number;
  /** Default 0. */
  momentum?: number;
  /** Default false; needs momentum > 0. */
  nesterov?: boolean;
  /** L2 weight decay coefficient, added to the gradient. Default 0. */
  weightDecay?: number;
  /** Which parameters decay: 'all' (default) or 'weights' (conv/dense kernels only). */
  decay?: DecayTarget;
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

// ---------------------------------------------------------------------------------------------
// Issues

/**
 * A problem found in a graph or study. `path` locates the node (e.g. ['nodes', 3, 'branch',
 * 'nodes', 2]); `where` says the same for people ("nodes[3].branch.nodes[2]");
 * `span` is the nearest span found along the path, for the DSL to point at. Codes are listed in
 * issues.ts and never change meaning.
 */
export interface GraphIssue {
  code: string;
  severity: 'error' | 'warning';
  message: string;
  path: (string | number)[];
  where: string;
  span?: Span;
}
