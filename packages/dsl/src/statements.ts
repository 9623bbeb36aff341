// What each statement takes: its positional arguments, its options with their types and defaults, whether it
// has a body or a repetition. One table for the compiler (binding and checking), the docs and "did you mean".
import {
  ACTIVATION_NAMES,
  AUGMENTATION_NAMES,
  BLOCK_KINDS,
  DATASET_NAMES,
  DECAY_TARGETS,
  INIT_NAMES,
  MAX_BATCH,
  MAX_COUNT,
  MAX_KERNEL,
  MAX_STEPS,
  MAX_STRIDE,
  MAX_WIDTH,
  NORM_NAMES,
  OPTIMIZER_NAMES,
  POOL_NAMES,
  PRESET_NAMES,
  SCHEDULE_NAMES,
  SHORTCUT_NAMES,
  WEIGHT_INIT_NAMES,
  WS_NAMES,
} from '@skipinit/graph';
import type { DiagnosticCode } from './diagnostic';

export type OptionType =
  | { readonly t: 'int'; readonly min: number; readonly max?: number; readonly limit?: DiagnosticCode }
  | { readonly t: 'number'; readonly min?: number; readonly max?: number; readonly below?: number; readonly above?: number }
  | { readonly t: 'bool' }
  | { readonly t: 'string' }
  | { readonly t: 'shape' }
  | { readonly t: 'padding' }
  | { readonly t: 'name'; readonly list: readonly string[]; readonly what: string; readonly code: DiagnosticCode }
  | { readonly t: 'names'; readonly list: readonly string[]; readonly what: string; readonly code: DiagnosticCode }
  | { readonly t: 'numbers'; readonly min: number }
  | { readonly t: 'branch' };

export interface OptionSpec {
  readonly type: OptionType;
  /** The default as the docs print it; absent: required or "none". */
  readonly default?: string;
  readonly doc: string;
}

export interface StatementSpec {
  readonly name: string;
  readonly doc: string;
  /** Options that may also be given positionally, in order. */
  readonly positional: readonly string[];
  /** An option that collects every positional argument into a list (augment crop, flip). */
  readonly variadic?: string;
  readonly options: Readonly<Record<string, OptionSpec>>;
  readonly required?: readonly string[];
  /** `x N` allowed. */
  readonly repeat: boolean;
  /** What its { ... } holds, if it has one. */
  readonly body?: 'model' | 'train' | 'sweep' | 'stage';
  readonly example: string;
}

const int = (min: number, max?: number, limit?: DiagnosticCode): OptionType => ({ t: 'int', min, ...(max !== undefined ? { max } : {}), ...(limit ? { limit } : {}) });
const width = (): OptionType => int(1, MAX_WIDTH, 'limit/width');
const name = (list: readonly string[], what: string, code: DiagnosticCode): OptionType => ({ t: 'name', list, what, code });

const initOpt: OptionSpec = {
  type: name(WEIGHT_INIT_NAMES, 'weight initialiser', 'sem/unknown-init'),
  default: 'he',
  doc: 'weight initialiser',
};
const gainOpt: OptionSpec = { type: { t: 'number', above: 0 }, default: '1', doc: 'multiplier on the initialised weights' };
const wsOpt: OptionSpec = {
  type: name(WS_NAMES, 'weight standardisation', 'sem/unknown-value'),
  default: 'none',
  doc: 'Scaled Weight Standardisation (NF-ResNets): the activation that feeds the layer, whose gamma it folds in (relu, gelu, tanh, sigmoid, identity), or none',
};
const biasOpt = (def: string): OptionSpec => ({ type: { t: 'bool' }, default: def, doc: 'learnable bias' });
const epsOpt: OptionSpec = { type: { t: 'number', above: 0 }, default: '1e-5', doc: 'added to the variance' };
const affineOpt: OptionSpec = { type: { t: 'bool' }, default: 'true', doc: 'learnable per-channel scale and shift' };
const momentumBn: OptionSpec = { type: { t: 'number', min: 0, max: 1 }, default: '0.1', doc: "running-statistics momentum (PyTorch's convention)" };
const paddingOpt = (def: string): OptionSpec => ({ type: { t: 'padding' }, default: def, doc: "'same', 'valid' or pixels of zeros on each side" });

const resblockOptions: Record<string, OptionSpec> = {
  kind: { type: name(BLOCK_KINDS, 'block kind', 'sem/unknown-block-kind'), default: 'conv on an image, mlp on a flat input', doc: 'the built-in pre-activation branch' },
  width: { type: width(), doc: 'channels (conv) or units (mlp) of the branch; required outside a stage' },
  stride: { type: int(1, MAX_STRIDE, 'limit/width'), default: '1', doc: 'stride of the first conv (conv kind only)' },
  kernel: { type: int(1, MAX_KERNEL, 'limit/width'), default: '3', doc: 'conv kernel size (conv kind only)' },
  norm: { type: name(NORM_NAMES, 'norm', 'sem/unknown-norm'), default: "bn (none under init=nf or a preset)", doc: 'normalisation in the branch' },
  act: { type: name(ACTIVATION_NAMES, 'activation', 'sem/unknown-activation'), default: 'relu', doc: 'activation in the branch' },
  bias: { type: { t: 'bool' }, default: 'false (true under a preset, or init=nf without a norm)', doc: 'learnable biases on the convs/denses of the branch' },
  dropout: { type: { t: 'number', min: 0, below: 1 }, default: '0', doc: 'dropout between the two halves of the branch (Wide-ResNet)' },
  branch: { type: { t: 'branch' }, doc: 'a user block as the branch: branch=bottleneck(256); replaces kind/kernel/norm/act/bias/dropout' },
  shortcut: { type: name(SHORTCUT_NAMES, 'shortcut', 'sem/unknown-shortcut'), default: 'auto', doc: 'identity, projection, or auto (projection iff the shape changes)' },
  init: { type: name(INIT_NAMES, 'init', 'sem/unknown-init'), default: "he (a plain x + f(x)); a preset's", doc: 'a residual scheme (skipinit, fixup, scaled, plain, nf) or a weight initialiser (a plain residual with those weights)' },
  weights: { type: name(WEIGHT_INIT_NAMES, 'weight initialiser', 'sem/unknown-init'), default: 'from init', doc: "the branch's weight initialiser, replacing the one init implies" },
  alpha: { type: { t: 'number' }, default: 'from init', doc: 'initial value of the branch scalar (nf: 0.2)' },
  learnable: { type: { t: 'bool' }, default: 'from init', doc: 'whether the branch scalar is trained' },
};

export const MODEL_STATEMENTS: Readonly<Record<string, StatementSpec>> = {
  input: {
    name: 'input', doc: 'the input of one example: C x H x W for images, a number for flat vectors; the first statement of a model',
    positional: ['shape'], required: ['shape'], repeat: false, example: 'input 1x28x28',
    options: { shape: { type: { t: 'shape' }, doc: 'per-example shape' } },
  },
  conv: {
    name: 'conv', doc: '2-D convolution with a square kernel', positional: ['out'], required: ['out'], repeat: true, example: 'conv 16, kernel=3, stride=1',
    options: {
      out: { type: width(), doc: 'output channels' },
      kernel: { type: int(1, MAX_KERNEL, 'limit/width'), default: '3', doc: 'kernel size' },
      stride: { type: int(1, MAX_STRIDE, 'limit/width'), default: '1', doc: 'stride' },
      padding: paddingOpt('same'),
      bias: biasOpt('true'),
      init: initOpt,
      gain: gainOpt,
      ws: wsOpt,
    },
  },
  dense: {
    name: 'dense', doc: 'fully connected layer on a flat input', positional: ['units'], required: ['units'], repeat: true, example: 'dense 128',
    options: { units: { type: width(), doc: 'output units' }, bias: biasOpt('true'), init: initOpt, gain: gainOpt, ws: wsOpt },
  },
  flatten: { name: 'flatten', doc: 'C x H x W -> C*H*W', positional: [], repeat: false, example: 'flatten', options: {} },
  activation: {
    name: 'activation', doc: 'an element-wise activation by name (relu, gelu, tanh, sigmoid, identity are also statements)',
    positional: ['fn'], required: ['fn'], repeat: true, example: 'activation gelu',
    options: { fn: { type: name(ACTIVATION_NAMES, 'activation', 'sem/unknown-activation'), doc: 'the activation' } },
  },
  ...Object.fromEntries(
    ACTIVATION_NAMES.map((a) => [a, { name: a, doc: `the ${a} activation`, positional: [], repeat: true, example: a, options: {} } satisfies StatementSpec]),
  ),
  norm: {
    name: 'norm', doc: 'a normalisation by name: bn (batch norm), ln (layer norm) or none (nothing)', positional: ['kind'], required: ['kind'], repeat: true, example: 'norm bn',
    options: { kind: { type: name(NORM_NAMES, 'norm', 'sem/unknown-norm'), doc: 'bn, ln or none' }, momentum: momentumBn, eps: epsOpt, affine: affineOpt },
  },
  batchnorm: {
    name: 'batchnorm', doc: 'batch norm over the batch (and positions), per channel', positional: [], repeat: true, example: 'batchnorm momentum=0.1',
    options: { momentum: momentumBn, eps: epsOpt, affine: affineOpt },
  },
  layernorm: {
    name: 'layernorm', doc: 'layer norm over all features of one example', positional: [], repeat: true, example: 'layernorm',
    options: { eps: epsOpt, affine: affineOpt },
  },
  pool: {
    name: 'pool', doc: 'pooling: avg or max over a window, or global average (-> a flat C vector)', positional: ['op', 'size'], required: ['op'], repeat: true, example: 'pool avg 2',
    options: {
      op: { type: name(POOL_NAMES, 'pool', 'sem/unknown-pool'), doc: 'avg, max or global' },
      size: { type: int(1, MAX_KERNEL, 'limit/width'), default: '2', doc: 'window size (avg, max)' },
      stride: { type: int(1, MAX_STRIDE, 'limit/width'), default: 'the window size', doc: 'stride (avg, max)' },
      padding: paddingOpt('valid'),
    },
  },
  dropout: {
    name: 'dropout', doc: 'inverted dropout; the identity at evaluation', positional: ['p'], required: ['p'], repeat: true, example: 'dropout 0.1',
    options: { p: { type: { t: 'number', min: 0, below: 1 }, doc: 'drop probability in [0, 1)' } },
  },
  bias: {
    name: 'bias', doc: 'one learnable scalar added to every element (Fixup)', positional: ['init'], repeat: true, example: 'bias',
    options: { init: { type: { t: 'number' }, default: '0', doc: 'initial value' } },
  },
  scale: {
    name: 'scale', doc: 'one scalar multiplying every element', positional: ['init'], required: ['init'], repeat: true, example: 'scale 0, learnable=true',
    options: { init: { type: { t: 'number' }, doc: 'initial value' }, learnable: { type: { t: 'bool' }, default: 'true', doc: 'trained or fixed' } },
  },
  resblock: {
    name: 'resblock', doc: 'residual block(s): x + alpha * branch(x); `x N` makes N blocks in sequence',
    positional: [], repeat: true, example: 'resblock x 16, kind=mlp, width=128, norm=none, init=skipinit', options: resblockOptions,
  },
  stage: {
    name: 'stage', doc: 'a ResNet stage: `blocks` residual blocks of one width, the first with the stride; its body is one resblock, the template',
    positional: [], required: ['width', 'blocks'], repeat: true, body: 'stage', example: 'stage width=32, blocks=4, stride=2 { resblock norm=bn, init=skipinit }',
    options: {
      width: { type: width(), doc: 'channels of every block' },
      blocks: { type: int(1, MAX_COUNT, 'limit/blocks'), doc: 'residual blocks in the stage' },
      stride: { type: int(1, MAX_STRIDE, 'limit/width'), default: '1', doc: 'stride of the first block' },
    },
  },
  preset: {
    name: 'preset', doc: 'defaults for every residual block and the head of the model, by name; before the first resblock, stage or head',
    positional: ['preset'], required: ['preset'], repeat: false, example: 'preset regularised_skipinit, dropout=0.25',
    options: {
      preset: { type: name(PRESET_NAMES, 'preset', 'sem/unknown-value'), doc: 'regularised_skipinit: every resblock norm=none, init=skipinit, bias=true; the head dropout=0.2' },
      dropout: { type: { t: 'number', min: 0, below: 1 }, default: '0.2', doc: "the head's dropout before the classifier" },
    },
  },
  head: {
    name: 'head', doc: 'the classifier: global average pooling (on an image), [dropout], dense to the classes; outputs logits',
    positional: ['classes'], required: ['classes'], repeat: false, example: 'head 10',
    options: {
      classes: { type: width(), doc: 'number of classes' },
      dropout: { type: { t: 'number', min: 0, below: 1 }, default: "0 (a preset's)", doc: 'dropout before the dense' },
      bias: biasOpt('true'),
      init: { ...initOpt, default: 'he (zeros under fixup)' },
    },
  },
};

const decayOpt: OptionSpec = { type: name(DECAY_TARGETS, 'decay target', 'sem/unknown-value'), default: 'all', doc: 'which parameters decay: all, or weights (conv/dense kernels only)' };
const clipOpt: OptionSpec = { type: { t: 'number', above: 0 }, default: 'off', doc: 'scale the gradients to this global L2 norm when they exceed it (torch.nn.utils.clip_grad_norm_)' };

const sgdOptions: Record<string, OptionSpec> = {
  lr: { type: { t: 'number', above: 0 }, default: '0.01', doc: 'learning rate' },
  momentum: { type: { t: 'number', min: 0, below: 1 }, default: '0', doc: 'momentum' },
  nesterov: { type: { t: 'bool' }, default: 'false', doc: 'Nesterov momentum (needs momentum > 0)' },
  weight_decay: { type: { t: 'number', min: 0 }, default: '0', doc: 'L2 weight decay added to the gradient' },
  decay: decayOpt,
  clip_grad_norm: clipOpt,
};

const adamOptions = (decay: string, decoupled: boolean): Record<string, OptionSpec> => ({
  lr: { type: { t: 'number', above: 0 }, default: '0.001', doc: 'learning rate' },
  beta1: { type: { t: 'number', min: 0, below: 1 }, default: '0.9', doc: 'decay rate of the first-moment (mean) estimate' },
  beta2: { type: { t: 'number', min: 0, below: 1 }, default: '0.999', doc: 'decay rate of the second-moment (uncentred variance) estimate' },
  eps: { type: { t: 'number', above: 0 }, default: '1e-8', doc: 'added to the denominator' },
  weight_decay: {
    type: { t: 'number', min: 0 },
    default: decay,
    doc: decoupled ? "decoupled weight decay: w -= lr * weight_decay * w before the update (AdamW's)" : 'L2 weight decay added to the gradient (Adam\'s)',
  },
  decay: decayOpt,
  clip_grad_norm: clipOpt,
});

/** `optimizer NAME, ...` takes every optimiser's options; the lowering refuses one that NAME does not have. */
const optimizerOptions: Record<string, OptionSpec> = {
  ...sgdOptions,
  ...adamOptions('0 (adamw: 0.01)', false),
  lr: { type: { t: 'number', above: 0 }, default: '0.01 (adam, adamw: 0.001)', doc: 'learning rate' },
  weight_decay: { type: { t: 'number', min: 0 }, default: '0 (adamw: 0.01)', doc: 'weight decay (as the optimiser of that name applies it)' },
};

const runOptions: Record<string, OptionSpec> = {
  eval_every: { type: int(1, MAX_STEPS, 'limit/repeat'), default: 'every epoch', doc: 'steps between evaluations' },
  log_params_every: {
    type: int(0, MAX_STEPS, 'limit/repeat'),
    default: '100',
    doc: "steps between records of every block's scalars (alpha, Fixup's biases), per-block gradient norms and per-stage weight norms in metrics.jsonl; 0: none",
  },
  seed: { type: int(0, 2 ** 32 - 1), default: '0', doc: 'seed of every random choice of the run' },
};

export const TRAIN_STATEMENTS: Readonly<Record<string, StatementSpec>> = {
  data: {
    name: 'data', doc: 'the data set and how it is batched', positional: ['data'], required: ['data'], repeat: false, example: 'data mnist, batch=64',
    options: {
      data: { type: name(DATASET_NAMES, 'data set', 'sem/unknown-dataset'), doc: 'the data set' },
      batch: { type: int(1, MAX_BATCH, 'limit/width'), default: '128', doc: 'examples per step' },
      validation: { type: { t: 'number', min: 0, below: 1 }, default: '0', doc: 'fraction of the training set held out (0: evaluate on the test set)' },
      path: { type: { t: 'string' }, default: "the data package's default", doc: 'directory with the data files (CIFAR binaries)' },
      limit: { type: int(1, 2 ** 31), default: 'all', doc: 'train on the first N examples only' },
    },
  },
  sgd: {
    name: 'sgd', doc: "stochastic gradient descent (PyTorch's update)", positional: [], repeat: false, example: 'sgd lr=0.1, momentum=0.9, nesterov=true, weight_decay=5e-4',
    options: sgdOptions,
  },
  adam: {
    name: 'adam', doc: "Adam (PyTorch's update, with bias correction; weight decay is L2 added to the gradient)", positional: [], repeat: false,
    example: 'adam lr=0.001, beta2=0.999, clip_grad_norm=1', options: adamOptions('0', false),
  },
  adamw: {
    name: 'adamw', doc: "AdamW: Adam with decoupled weight decay (PyTorch's update)", positional: [], repeat: false,
    example: 'adamw lr=0.001, weight_decay=0.05', options: adamOptions('0.01', true),
  },
  optimizer: {
    name: 'optimizer', doc: 'the optimiser by name (sgd, adam, adamw), with the options of that optimiser', positional: ['optimizer'], required: ['optimizer'], repeat: false, example: 'optimizer adam, lr=0.001',
    options: { optimizer: { type: name(OPTIMIZER_NAMES, 'optimizer', 'sem/unknown-optimizer'), doc: 'the optimiser' }, ...optimizerOptions },
  },
  schedule: {
    name: 'schedule', doc: 'the learning-rate schedule, each with an optional linear warm-up', positional: ['schedule'], required: ['schedule'], repeat: false, example: 'schedule cosine, warmup=100',
    options: {
      schedule: { type: name(SCHEDULE_NAMES, 'schedule', 'sem/unknown-schedule'), doc: 'constant, step, cosine or warmup' },
      warmup: { type: int(0, MAX_STEPS, 'limit/repeat'), default: '0', doc: 'steps of linear warm-up from 0' },
      milestones: { type: { t: 'numbers', min: 0 }, default: '50% and 75% of the run', doc: 'step schedule: where lr is multiplied by gamma (in epochs if the run is in epochs)' },
      gamma: { type: { t: 'number', above: 0 }, default: '0.1', doc: 'step schedule: the factor' },
      min_lr: { type: { t: 'number', min: 0, max: 1 }, default: '0', doc: 'cosine schedule: the final lr as a fraction of lr' },
    },
  },
  steps: {
    name: 'steps', doc: 'the length of the run in optimizer steps (or use epochs)', positional: ['steps'], required: ['steps'], repeat: false, example: 'steps 2000, eval_every=500, seed=0',
    options: { steps: { type: int(1, MAX_STEPS, 'limit/repeat'), doc: 'optimizer steps' }, ...runOptions },
  },
  epochs: {
    name: 'epochs', doc: 'the length of the run in passes over the training set (or use steps)', positional: ['epochs'], required: ['epochs'], repeat: false, example: 'epochs 3, seed=0',
    options: { epochs: { type: int(1, MAX_STEPS, 'limit/repeat'), doc: 'epochs' }, ...runOptions },
  },
  eval_every: {
    name: 'eval_every', doc: 'steps between evaluations (also an option of steps/epochs)', positional: ['eval_every'], required: ['eval_every'], repeat: false, example: 'eval_every 500',
    options: { eval_every: runOptions.eval_every },
  },
  log_params_every: {
    name: 'log_params_every', doc: "steps between records of the blocks' scalars, gradient norms and weight norms (also an option of steps/epochs)",
    positional: ['log_params_every'], required: ['log_params_every'], repeat: false, example: 'log_params_every 50',
    options: { log_params_every: runOptions.log_params_every },
  },
  seed: {
    name: 'seed', doc: 'the seed of the run (also an option of steps/epochs)', positional: ['seed'], required: ['seed'], repeat: false, example: 'seed 0',
    options: { seed: runOptions.seed },
  },
  augment: {
    name: 'augment', doc: 'training augmentations, applied in the order written: crop (random crop after 4 pixels of zero padding), flip (random horizontal flip)',
    positional: [], variadic: 'augment', repeat: false, example: 'augment crop=4, flip',
    options: {
      augment: { type: { t: 'names', list: AUGMENTATION_NAMES, what: 'augmentation', code: 'sem/unknown-value' }, doc: 'augmentations by name' },
      crop: { type: int(0, 64), default: 'off', doc: 'random crop after this much zero padding (4 is the supported value); crop alone means 4' },
      flip: { type: { t: 'bool' }, default: 'false', doc: 'random horizontal flip' },
    },
  },
};

/** Top-level sections. */
export const SECTIONS = ['let', 'block', 'model', 'train', 'sweep'] as const;
