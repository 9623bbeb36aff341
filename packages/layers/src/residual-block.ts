// A residual block, built exactly as @skipinit/graph's expansion says (expandBlock):
//
//     h   = pre(x)                         (empty unless a pre-activation block projects: then norm -> act)
//     out = shortcut(h) + alpha * branch(h)   (shortcut empty: the identity; alpha absent: 1)
//
// Module names inside a block count each kind over pre and branch together (bn1, relu1, conv1, bn2,
// relu2, conv2; Fixup's scalar biases bias1..), so a block's parameter names do not depend on whether it
// projects; the projection is `shortcut` and the branch scalar `alpha` (a parameter of shape [] when it
// learns, a fixed number otherwise).
//
// An NF-ResNet block (Brock et al. 2021; graph's BlockRun.nf) is given its beta_l: it divides its input
// by beta_l before `pre` and the branch, h = pre(x / beta_l), and its identity shortcut carries x itself:
// out = x + alpha * branch(x / beta_l); a transition's projection reads h.

import type { ExpandedBlock, LayerRun } from '@skipinit/graph';
import type { Tensor } from '@skipinit/tensor';
import { tidy } from '@skipinit/tensor';
import type { BlockHook, BlockInfo } from './block-info';
import type { BuildContext } from './build-context';
import type { ForwardContext, Layer } from './layer';
import { layerStem, makeLayer } from './layer-factory';
import type { NamedBuffer, Parameter } from './parameter';

export class ResidualBlock {
  readonly kind = 'resblock';
  readonly pre: readonly Layer[];
  readonly branch: readonly Layer[];
  readonly shortcut: readonly Layer[];
  /** The learnable branch scalar, or null (fixed or absent: see `fixedAlpha`). */
  readonly alpha: Parameter | null;
  /** The branch scalar when it does not learn: its fixed value (1 when the block has none). */
  readonly fixedAlpha: number;
  readonly parameters: readonly Parameter[];
  readonly buffers: readonly NamedBuffer[];

  constructor(
    readonly name: string,
    /** 0-based position over the whole network. */
    readonly index: number,
    expanded: ExpandedBlock,
    runs: { readonly pre: readonly LayerRun[]; readonly branch: readonly LayerRun[]; readonly shortcut: readonly LayerRun[] },
    readonly inShape: readonly number[],
    readonly outShape: readonly number[],
    ctx: BuildContext,
    /** NF-ResNet's beta_l (the block reads x / beta_l), or null. */
    readonly beta: number | null = null,
  ) {
    const counts = new Map<string, number>();
    const make = (run: LayerRun): Layer => {
      const stem = layerStem(run.node);
      const k = (counts.get(stem) ?? 0) + 1;
      counts.set(stem, k);
      return makeLayer(`${name}.${stem}${k}`, run.node, run.inShape, run.outShape, ctx);
    };
    this.pre = runs.pre.map(make);
    this.branch = runs.branch.map(make);
    this.shortcut = runs.shortcut.map((r) => makeLayer(`${name}.shortcut`, r.node, r.inShape, r.outShape, ctx));
    const a = expanded.alpha;
    this.alpha = a?.learnable ? ctx.parameter(`${name}.alpha`, Float32Array.of(a.init), [], 'scalar', 'scalar') : null;
    this.fixedAlpha = a === null || a.learnable ? 1 : a.init;
    const layers = [...this.pre, ...this.branch, ...this.shortcut];
    this.parameters = [...layers.flatMap((l) => l.parameters), ...(this.alpha ? [this.alpha] : [])];
    this.buffers = layers.flatMap((l) => l.buffers);
  }

  /** Whether the block has a branch scalar at all (learnable, or fixed at a value other than none). */
  get hasAlpha(): boolean {
    return this.alpha !== null || this.fixedAlpha !== 1;
  }

  /** The block's output; intermediates are disposed before it returns (the tape keeps what backward needs). */
  forward(x: Tensor, ctx: ForwardContext, hook: BlockHook | null): Tensor {
    return tidy(() => this.run(x, ctx, hook));
  }

  private run(x: Tensor, ctx: ForwardContext, hook: BlockHook | null): Tensor {
    let h = this.beta === null || this.beta === 1 ? x : x.mul(1 / this.beta);
    for (const l of this.pre) h = l.forward(h, ctx);
    // the identity shortcut carries the input itself (pre is empty unless the block projects)
    let s = this.shortcut.length > 0 ? h : x;
    for (const l of this.shortcut) s = l.forward(s, ctx);
    let f = h;
    for (const l of this.branch) f = l.forward(f, ctx);
    let scaled = f;
    if (this.alpha !== null) scaled = f.mul(this.alpha.value);
    else if (this.fixedAlpha !== 1) scaled = f.mul(this.fixedAlpha);
    const out = s.add(scaled);
    if (hook !== null) hook(this.info(x, s, f, out, ctx.training));
    return out;
  }

  private info(input: Tensor, skip: Tensor, branch: Tensor, output: Tensor, training: boolean): BlockInfo {
    const alpha = this.alpha;
    const fixed = this.fixedAlpha;
    let value: number | null = null;
    return {
      index: this.index,
      name: this.name,
      input,
      skip,
      branch,
      output,
      training,
      get alpha(): number {
        if (value === null) value = alpha === null ? fixed : alpha.value.dataSync()[0];
        return value;
      },
      async readAlpha(): Promise<number> {
        if (value === null) value = alpha === null ? fixed : (await alpha.value.data())[0];
        return value;
      },
    };
  }
}
