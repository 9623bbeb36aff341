// Layer normalisation (Ba, Kiros & Hinton 2016) as the graph defines it: statistics over ALL features of
// one example (C, H and W for an image: GroupNorm with one group; the features of a flat input), with a
// learnable scale and shift per channel (per feature for flat inputs):
//
//   y = (x - mean_example) / sqrt(var_example + eps) * weight[c] + bias[c]     (biased variance)
//
// The same in training and evaluation; no running statistics. weight starts at 1, bias at 0.

import type { LayerNormNode } from '@skipinit/graph';
import type { Tensor } from '@skipinit/tensor';
import { batchNorm, moments } from '@skipinit/tensor';
import type { BuildContext } from './build-context';
import type { Layer } from './layer';
import type { NamedBuffer, Parameter } from './parameter';

export class LayerNorm implements Layer {
  readonly kind = 'layernorm';
  readonly parameters: readonly Parameter[];
  readonly buffers: readonly NamedBuffer[] = [];
  readonly outShape: readonly number[];
  readonly weight: Parameter | null;
  readonly bias: Parameter | null;
  readonly eps: number;
  private readonly axes: readonly number[];
  private readonly channelShape: readonly number[];

  constructor(
    readonly name: string,
    node: LayerNormNode,
    readonly inShape: readonly number[],
    ctx: BuildContext,
  ) {
    const c = inShape[0];
    this.outShape = inShape;
    this.eps = node.eps;
    const image = inShape.length === 3;
    this.axes = image ? [1, 2, 3] : [1];
    this.channelShape = image ? [1, c, 1, 1] : [1, c];
    this.weight = node.affine ? ctx.parameter(`${name}.weight`, new Float32Array(c).fill(1), [c], 'norm', 'C') : null;
    this.bias = node.affine ? ctx.parameter(`${name}.bias`, new Float32Array(c), [c], 'norm', 'C') : null;
    this.parameters = this.weight && this.bias ? [this.weight, this.bias] : [];
  }

  forward(x: Tensor): Tensor {
    const m = moments(x, this.axes, true);
    return batchNorm(x, m.mean, m.variance, {
      eps: this.eps,
      weight: this.weight ? this.weight.value.reshape(this.channelShape) : null,
      bias: this.bias ? this.bias.value.reshape(this.channelShape) : null,
    });
  }
}
