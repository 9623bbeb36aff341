// Constructors that fill every attribute's default, so hand-written graphs (tests, examples, the DSL's
// lowering) stay short and still say everything explicitly. They check nothing: `validateGraph` and
// `inferGraph` do.
//
// Defaults follow PyTorch where it has one: conv/dense have a bias, batch norm momentum 0.1 and eps
// 1e-5, pooling stride = window. A pre-activation branch has no biases (its norm removes them) and
// uses batch norm and relu.

import type {
  ActivationNode,
  BatchNormNode,
  BiasNode,
  Branch,
  ConvNode,
  CustomBranch,
  DenseNode,
  DropoutNode,
  FlattenNode,
  GlobalPoolNode,
  Graph,
  HeadNode,
  InputNode,
  LayerNode,
  LayerNormNode,
  Node,
  NodeBase,
  PreactBranch,
  RepeatNode,
  ResblockNode,
  ScaleNode,
  StageNode,
  WeightStandardization,
  WindowPoolNode,
} from './types';
import type {
  ActivationName,
  BlockKind,
  InitName,
  NormName,
  PaddingName,
  ResidualSchemeName,
  ShortcutName,
  WeightInitName,
} from './vocabulary';
import { initPlan } from './init-plan';

/** id and span, copied only when given (no `undefined` keys in the data). */
function base<T extends object>(node: T, opts: NodeBase | undefined): T {
  if (opts?.id !== undefined) (node as NodeBase).id = opts.id;
  if (opts?.span !== undefined) (node as NodeBase).span = opts.span;
  return node;
}

function withInit<T extends ConvNode | DenseNode>(node: T, opts: { init?: WeightInitName; gain?: number; ws?: WeightStandardization } | undefined): T {
  if (opts?.init !== undefined) node.init = opts.init;
  if (opts?.gain !== undefined) node.gain = opts.gain;
  if (opts?.ws !== undefined) node.ws = opts.ws;
  return node;
}

export function graph(name: string, nodes: Node[]): Graph {
  return { name, nodes };
}

/** An input of shape [C, H, W] (or [n]); a number n means [n]. */
export function input(shape: number[] | number, opts?: NodeBase): InputNode {
  return base({ kind: 'input', shape: typeof shape === 'number' ? [shape] : [...shape] }, opts);
}

export interface ConvOptions extends NodeBase {
  kernel?: number;
  stride?: number;
  padding?: PaddingName | number;
  bias?: boolean;
  init?: WeightInitName;
  gain?: number;
  /** Scaled Weight Standardisation (nf.ts's wsFor(act) gives the NF-ResNet one). */
  ws?: WeightStandardization;
}

/** conv(out): 3x3, stride 1, padding 'same', with bias. */
export function conv(out: number, opts?: ConvOptions): ConvNode {
  const node: ConvNode = {
    kind: 'conv',
    out,
    kernel: opts?.kernel ?? 3,
    stride: opts?.stride ?? 1,
    padding: opts?.padding ?? 'same',
    bias: opts?.bias ?? true,
  };
  return base(withInit(node, opts), opts);
}

export interface DenseOptions extends NodeBase {
  bias?: boolean;
  init?: WeightInitName;
  gain?: number;
  ws?: WeightStandardization;
}

export function dense(units: number, opts?: DenseOptions): DenseNode {
  return base(withInit({ kind: 'dense', units, bias: opts?.bias ?? true } as DenseNode, opts), opts);
}

export function flatten(opts?: NodeBase): FlattenNode {
  return base({ kind: 'flatten' }, opts);
}

export function activation(fn: ActivationName, opts?: NodeBase): ActivationNode {
  return base({ kind: 'activation', fn }, opts);
}

export const relu = (opts?: NodeBase): ActivationNode => activation('relu', opts);

export function batchnorm(opts?: NodeBase & { momentum?: number; eps?: number; affine?: boolean }): BatchNormNode {
  const node: BatchNormNode = {
    kind: 'batchnorm',
    momentum: opts?.momentum ?? 0.1,
    eps: opts?.eps ?? 1e-5,
    affine: opts?.affine ?? true,
  };
  return base(node, opts);
}

export function layernorm(opts?: NodeBase & { eps?: number; affine?: boolean }): LayerNormNode {
  return base({ kind: 'layernorm', eps: opts?.eps ?? 1e-5, affine: opts?.affine ?? true } as LayerNormNode, opts);
}

/** The norm layer a norm name stands for; null for 'none'. */
export function norm(name: NormName, opts?: NodeBase): BatchNormNode | LayerNormNode | null {
  if (name === 'bn') return batchnorm(opts);
  if (name === 'ln') return layernorm(opts);
  return null;
}

/** Windowed pooling: size 2, stride = size, padding 'valid'. */
export function pool(
  op: 'avg' | 'max',
  opts?: NodeBase & { size?: number; stride?: number; padding?: PaddingName | number },
): WindowPoolNode {
  const size = opts?.size ?? 2;
  const node: WindowPoolNode = {
    kind: 'pool',
    op,
    size,
    stride: opts?.stride ?? size,
    padding: opts?.padding ?? 'valid',
  };
  return base(node, opts);
}

export function globalPool(opts?: NodeBase): GlobalPoolNode {
  return base({ kind: 'pool', op: 'global' }, opts);
}

export function dropout(p: number, opts?: NodeBase): DropoutNode {
  return base({ kind: 'dropout', p }, opts);
}

export function bias(init = 0, opts?: NodeBase): BiasNode {
  return base({ kind: 'bias', init }, opts);
}

export function scale(init: number, learnable: boolean, opts?: NodeBase): ScaleNode {
  return base({ kind: 'scale', init, learnable }, opts);
}

export interface PreactOptions {
  kind?: BlockKind;
  width: number;
  stride?: number;
  kernel?: number;
  norm?: NormName;
  act?: ActivationName;
  bias?: boolean;
  dropout?: number;
}

/** A pre-activation branch: kind 'conv', stride 1, kernel 3, batch norm, relu, no bias, no dropout. */
export function preact(opts: PreactOptions): PreactBranch {
  return {
    kind: opts.kind ?? 'conv',
    width: opts.width,
    stride: opts.stride ?? 1,
    kernel: opts.kernel ?? 3,
    norm: opts.norm ?? 'bn',
    act: opts.act ?? 'relu',
    bias: opts.bias ?? false,
    dropout: opts.dropout ?? 0,
  };
}

/** A user-defined branch. */
export function custom(name: string, nodes: LayerNode[], args?: CustomBranch['args']): CustomBranch {
  const branch: CustomBranch = { kind: 'custom', name, nodes };
  if (args !== undefined) branch.args = args;
  return branch;
}

export interface ResblockOptions extends NodeBase {
  branch: Branch;
  count?: number;
  shortcut?: ShortcutName;
  /** The spec's init= (default 'skipinit'), mapped by initPlan; `scheme`/`weights` override its halves. */
  init?: InitName;
  scheme?: ResidualSchemeName;
  weights?: WeightInitName;
  alpha?: number;
  learnable?: boolean;
}

/** A residual block: count 1, shortcut 'auto', init 'skipinit'. */
export function resblock(opts: ResblockOptions): ResblockNode {
  const plan = initPlan(opts.init ?? 'skipinit');
  const node: ResblockNode = {
    kind: 'resblock',
    count: opts.count ?? 1,
    branch: opts.branch,
    shortcut: opts.shortcut ?? 'auto',
    scheme: opts.scheme ?? plan.scheme,
    weights: opts.weights ?? plan.weights,
  };
  if (opts.alpha !== undefined) node.alpha = opts.alpha;
  if (opts.learnable !== undefined) node.learnable = opts.learnable;
  return base(node, opts);
}

export interface StageOptions extends NodeBase {
  width: number;
  blocks: number;
  stride?: number;
  /**
   * The blocks' settings. A pre-activation branch gets the stage's width (and its stride in the first
   * block); a custom branch is given as a function of the block's stride.
   */
  block: Omit<ResblockOptions, 'count' | 'branch' | 'id' | 'span'> & {
    branch: Omit<PreactOptions, 'width' | 'stride'> | ((stride: number) => CustomBranch);
  };
}

/** A stage: a first block with the stage's stride, then `blocks - 1` blocks of stride 1 (one node). */
export function stage(opts: StageOptions): StageNode {
  const stride = opts.stride ?? 1;
  const { branch, ...rest } = opts.block;
  const make = (s: number): Branch =>
    typeof branch === 'function' ? branch(s) : preact({ ...branch, width: opts.width, stride: s });
  const body: Node[] = [resblock({ ...rest, branch: make(stride) })];
  if (opts.blocks > 1) body.push(resblock({ ...rest, branch: make(1), count: opts.blocks - 1 }));
  return base({ kind: 'stage', width: opts.width, blocks: opts.blocks, stride, body } as StageNode, opts);
}

export function repeat(count: number, body: Node[], opts?: NodeBase): RepeatNode {
  return base({ kind: 'repeat', count, body } as RepeatNode, opts);
}

/** The classifier head: no dropout, with bias. */
export function head(
  classes: number,
  opts?: NodeBase & { dropout?: number; bias?: boolean; init?: WeightInitName },
): HeadNode {
  const node: HeadNode = { kind: 'head', classes, dropout: opts?.dropout ?? 0, bias: opts?.bias ?? true };
  if (opts?.init !== undefined) node.init = opts.init;
  return base(node, opts);
}
