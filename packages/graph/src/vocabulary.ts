// The vocabulary: the one list of names every package uses.
//
// Every option value a spec may name (an initialiser, a norm, a data set, ...) is a key in one of
// these lists. The DSL checks names against them (and suggests the closest with `closestNames`),
// `init` and `layers` look implementations up by them, and the docs quote them. Add a name here
// first, then teach the packages that implement it.
//
// Each list is a readonly tuple, with a union type of its members and an `isXxx` guard.

// ---------------------------------------------------------------------------------------------
// Initialisation

/** Weight initialisers (what fills a conv or dense kernel). `he` = Kaiming normal, fan_in, gain sqrt(2). */
export const WEIGHT_INIT_NAMES = [
  'he',
  'he_uniform',
  'xavier',
  'xavier_uniform',
  'lecun',
  'zeros',
  'orthogonal',
] as const;
export type WeightInitName = (typeof WEIGHT_INIT_NAMES)[number];

/**
 * Residual schemes (what multiplies a residual branch, and how the branch is initialised):
 * - `skipinit`: a learnable scalar alpha at the end of each branch, initialised to 0 (De & Smith 2020);
 * - `fixup`: Fixup's rules (Zhang et al. 2019): last weight layer of each branch zero, the others scaled
 *   by d^(-1/(2m-2)), scalar biases (init 0) before each weight layer and activation, one learnable
 *   multiplier (init 1) per branch, and a zero-initialised classifier;
 * - `scaled`: a fixed alpha = 1/sqrt(d);
 * - `plain`: alpha = 1, no scalar at all (x + f(x));
 * - `nf`: a Normalizer-Free ResNet block (Brock, De & Smith 2021): x + alpha * f(x / beta), alpha = 0.2
 *   fixed, beta the predicted standard deviation of x (nf.ts), Scaled Weight Standardisation on the
 *   branch's weights; no normalisation layers.
 * Here d is the number of residual blocks in the network, all stages together.
 */
export const RESIDUAL_SCHEME_NAMES = ['skipinit', 'fixup', 'scaled', 'plain', 'nf'] as const;
export type ResidualSchemeName = (typeof RESIDUAL_SCHEME_NAMES)[number];

/**
 * The names a spec's `init=` accepts: any weight initialiser or any residual scheme. `initPlan` (in
 * init-plan.ts) maps one to a (weight initialiser, residual scheme) pair.
 */
export const INIT_NAMES = [...WEIGHT_INIT_NAMES, ...RESIDUAL_SCHEME_NAMES] as const;
export type InitName = (typeof INIT_NAMES)[number];

// ---------------------------------------------------------------------------------------------
// Layers

/** Normalisation in a residual branch: batch norm, layer norm, or none. */
export const NORM_NAMES = ['bn', 'ln', 'none'] as const;
export type NormName = (typeof NORM_NAMES)[number];

/** Element-wise activations. `gelu` is the exact (erf) form; `identity` does nothing. */
export const ACTIVATION_NAMES = ['relu', 'gelu', 'tanh', 'sigmoid', 'identity'] as const;
export type ActivationName = (typeof ACTIVATION_NAMES)[number];

/**
 * Scaled Weight Standardisation on a conv or dense (`ws=`): `none`, or the activation that feeds the layer,
 * whose constant gamma the standardised weight folds in (Brock et al. 2021, section 4.2; nf.ts).
 */
export const WS_NAMES = ['none', ...ACTIVATION_NAMES] as const;
export type WsName = (typeof WS_NAMES)[number];

/**
 * Model presets: a named set of defaults for every residual block and the head of a model.
 * `regularised_skipinit` (De & Smith 2020, what they train on ImageNet): SkipInit (init=skipinit,
 * norm=none) with biases in the branches (bias=true) and dropout before the classifier (head dropout,
 * default 0.2). See presets.ts.
 */
export const PRESET_NAMES = ['regularised_skipinit'] as const;
export type PresetName = (typeof PRESET_NAMES)[number];

/** Pooling: windowed average, windowed max, or global average over all spatial positions. */
export const POOL_NAMES = ['avg', 'max', 'global'] as const;
export type PoolName = (typeof POOL_NAMES)[number];

/**
 * Built-in residual block kinds: `conv` (pre-activation conv3x3 pair) and `mlp` (pre-activation
 * dense pair). User-defined blocks (`block bottleneck(...) { ... }`) are the third kind: their
 * branch is a list of nodes (see `CustomBranch` in types.ts).
 */
export const BLOCK_KINDS = ['conv', 'mlp'] as const;
export type BlockKind = (typeof BLOCK_KINDS)[number];

/** Residual shortcuts: identity, a projection (1x1 conv with stride, or dense), or `auto` (projection iff shapes differ). */
export const SHORTCUT_NAMES = ['identity', 'projection', 'auto'] as const;
export type ShortcutName = (typeof SHORTCUT_NAMES)[number];

/** Named conv paddings. `same` keeps ceil(H / stride) (TensorFlow's rule); `valid` pads nothing. */
export const PADDING_NAMES = ['same', 'valid'] as const;
export type PaddingName = (typeof PADDING_NAMES)[number];

// ---------------------------------------------------------------------------------------------
// Training

/** Data sets. `blobs` (gaussian blobs) and `teacher` (labels from a random teacher network) are synthetic. */
export const DATASET_NAMES = ['mnist', 'fashion_mnist', 'cifar10', 'cifar100', 'blobs', 'teacher'] as const;
export type DatasetName = (typeof DATASET_NAMES)[number];

/**
 * Optimisers, each PyTorch's update rule: `sgd` (momentum, Nesterov, L2 weight decay), `adam` (bias-corrected
 * moments; weight decay added to the gradient) and `adamw` (Adam with decoupled weight decay).
 */
export const OPTIMIZER_NAMES = ['sgd', 'adam', 'adamw'] as const;
export type OptimizerName = (typeof OPTIMIZER_NAMES)[number];

/** Learning-rate schedules. `warmup` = linear warm-up then constant; every schedule also takes `warmup=`. */
export const SCHEDULE_NAMES = ['constant', 'step', 'cosine', 'warmup'] as const;
export type ScheduleName = (typeof SCHEDULE_NAMES)[number];

/** Augmentations: random crop after zero padding (4 pixels by default), random horizontal flip. */
export const AUGMENTATION_NAMES = ['crop', 'flip'] as const;
export type AugmentationName = (typeof AUGMENTATION_NAMES)[number];

/** Which parameters weight decay applies to: all of them (PyTorch's default) or weights only (no biases, norms, alphas). */
export const DECAY_TARGETS = ['all', 'weights'] as const;
export type DecayTarget = (typeof DECAY_TARGETS)[number];

/**
 * Train settings a sweep may vary (DSL spelling, snake_case). Each maps to a field of TrainSpec;
 * see `applyTrainSetting` in train-spec.ts.
 */
export const TRAIN_SETTING_NAMES = [
  'data',
  'batch',
  'validation',
  'optimizer',
  'lr',
  'momentum',
  'nesterov',
  'weight_decay',
  'decay',
  'beta1',
  'beta2',
  'eps',
  'clip_grad_norm',
  'schedule',
  'warmup',
  'milestones',
  'gamma',
  'steps',
  'epochs',
  'eval_every',
  'log_params_every',
  'seed',
  'augment',
] as const;
export type TrainSettingName = (typeof TRAIN_SETTING_NAMES)[number];

// ---------------------------------------------------------------------------------------------
// Node kinds (the graph's own nouns; spelled like the DSL keywords)

/** Primitive layers: each is one module with at most a few parameter tensors. */
export const LAYER_KINDS = [
  'conv',
  'dense',
  'flatten',
  'activation',
  'batchnorm',
  'layernorm',
  'pool',
  'dropout',
  'bias',
  'scale',
] as const;
export type LayerKind = (typeof LAYER_KINDS)[number];

/** Every node kind: the input, the primitive layers, and the composites (residual block, stage, repeat, head). */
export const NODE_KINDS = ['input', ...LAYER_KINDS, 'resblock', 'stage', 'repeat', 'head'] as const;
export type NodeKind = (typeof NODE_KINDS)[number];

// ---------------------------------------------------------------------------------------------
// Guards and lookup

function guard<T extends string>(list: readonly T[]): (name: unknown) => name is T {
  const set = new Set<string>(list);
  return (name: unknown): name is T => typeof name === 'string' && set.has(name);
}

export const isWeightInitName = guard(WEIGHT_INIT_NAMES);
export const isResidualSchemeName = guard(RESIDUAL_SCHEME_NAMES);
export const isInitName = guard(INIT_NAMES);
export const isNormName = guard(NORM_NAMES);
export const isActivationName = guard(ACTIVATION_NAMES);
export const isPoolName = guard(POOL_NAMES);
export const isWsName = guard(WS_NAMES);
export const isPresetName = guard(PRESET_NAMES);
export const isBlockKind = guard(BLOCK_KINDS);
export const isShortcutName = guard(SHORTCUT_NAMES);
export const isPaddingName = guard(PADDING_NAMES);
export const isDatasetName = guard(DATASET_NAMES);
export const isOptimizerName = guard(OPTIMIZER_NAMES);
export const isScheduleName = guard(SCHEDULE_NAMES);
export const isAugmentationName = guard(AUGMENTATION_NAMES);
export const isDecayTarget = guard(DECAY_TARGETS);
export const isTrainSettingName = guard(TRAIN_SETTING_NAMES);
export const isLayerKind = guard(LAYER_KINDS);
export const isNodeKind = guard(NODE_KINDS);

/**
 * Which list each option name draws its values from, so a front end can check `norm=bm` against
 * `VOCABULARY.norm` and suggest `closestNames('bm', VOCABULARY.norm)`. Keys are DSL option names.
 */
export const VOCABULARY = {
  init: INIT_NAMES,
  weights: WEIGHT_INIT_NAMES,
  scheme: RESIDUAL_SCHEME_NAMES,
  norm: NORM_NAMES,
  act: ACTIVATION_NAMES,
  pool: POOL_NAMES,
  ws: WS_NAMES,
  preset: PRESET_NAMES,
  kind: BLOCK_KINDS,
  shortcut: SHORTCUT_NAMES,
  padding: PADDING_NAMES,
  data: DATASET_NAMES,
  optimizer: OPTIMIZER_NAMES,
  schedule: SCHEDULE_NAMES,
  augment: AUGMENTATION_NAMES,
  decay: DECAY_TARGETS,
} as const satisfies Record<string, readonly string[]>;
export type VocabularyKey = keyof typeof VOCABULARY;

// ---------------------------------------------------------------------------------------------
// Data-set facts the graph can check a model against (the data package owns the loaders).

export interface DatasetInfo {
  /** Per-example input shape, C x H x W; null for synthetic sets whose shape is a dataset option. */
  readonly shape: readonly number[] | null;
  /** Number of classes; null where it is a dataset option. */
  readonly classes: number | null;
  /** Training / test examples in the standard split; null for synthetic sets. */
  readonly train: number | null;
  readonly test: number | null;
}

export const DATASETS: Readonly<Record<DatasetName, DatasetInfo>> = {
  mnist: { shape: [1, 28, 28], classes: 10, train: 60000, test: 10000 },
  fashion_mnist: { shape: [1, 28, 28], classes: 10, train: 60000, test: 10000 },
  cifar10: { shape: [3, 32, 32], classes: 10, train: 50000, test: 10000 },
  cifar100: { shape: [3, 32, 32], classes: 100, train: 50000, test: 10000 },
  blobs: { shape: null, classes: null, train: null, test: null },
  teacher: { shape: null, classes: null, train: null, test: null },
};
