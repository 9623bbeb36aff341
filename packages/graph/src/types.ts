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
  BlockKind,
  NormName,
  PaddingName,
  ResidualSchemeName,
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
 * Scaled Weight Standardisation of a conv or dense weight (Brock, De & Smith 2021, section 4.1): the layer
 * computes with gain_i * gamma * (W_ij - mean_i) / sqrt(N var_i + eps) instead of W (i an output, N the
 * fan-in), with a learnable gain per output (init 1). gamma is the constant of the activation feeding the
 * layer (nf.ts's WS_GAMMA). The raw W is still drawn by `init` (WS removes its scale: `gain` on the node
 * then changes nothing).
 */
export interface WeightStandardization {
  gamma: number;
  eps: number;
}

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
  /** Scaled Weight Standardisation of the weight; absent: the weight as it is. */
  ws?: WeightStandardization;
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
  /** Scaled Weight Standardisation of the weight; absent: the weight as it is. */
  ws?: WeightStandardization;
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
 * - `learnable`: overrides whether alpha is trained (skipinit, fixup: true; scaled, plain, nf: false).
 * - scheme 'nf' (NF-ResNet, Brock et al. 2021): the branch and a projection shortcut read x / beta_l,
 *   beta_l the predicted standard deviation of the block input (inferGraph computes it, BlockRun.nf), the
 *   identity shortcut reads x itself; a pre-activation branch has Scaled Weight Standardisation on its
 *   weights (and on the projection), with the gamma of its activation, and normally no norm (norm 'none';
 *   with one it is still built, and validation warns: graph/nf-norm).
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
