// Fully connected layer: y = x W^T + b, W [units, in] (torch's Linear layout), b [units].
// W from the node's initialiser (he unless set) times its gain; b starts at 0. With Scaled Weight
// Standardisation (node.ws) the layer uses gain_u * gamma * (W_u - mean_u) / sqrt(N var_u + eps), a `gain`
// parameter per unit (init 1, role 'norm'), as conv2d.ts.

import type { DenseNode } from '@skipinit/graph';
import { initWeight } from '@skipinit/init';
import type { Tensor } from '@skipinit/tensor';
import { linear, scaledWeightStandardization } from '@skipinit/tensor';
import type { BuildContext } from './build-context';
import type { Layer } from './layer';
import type { NamedBuffer, Parameter } from './parameter';

export class Dense implements Layer {
  readonly kind = 'dense';
  readonly parameters: readonly Parameter[];
  readonly buffers: readonly NamedBuffer[] = [];
  readonly outShape: readonly number[];
  readonly weight: Parameter;
  readonly bias: Parameter | null;
  /** Scaled WS's per-unit gain (null: the weight is used as it is). */
  readonly gain: Parameter | null;
  private readonly ws: DenseNode['ws'];

  constructor(
    readonly name: string,
    node: DenseNode,
    readonly inShape: readonly number[],
    ctx: BuildContext,
  ) {
    const shape = [node.units, inShape[0]];
    const w = initWeight(node.init ?? 'he', shape, ctx.initRng(`${name}.weight`), { gain: node.gain ?? 1 });
    this.weight = ctx.parameter(`${name}.weight`, w, shape, 'weight', 'OI');
    this.bias = node.bias ? ctx.parameter(`${name}.bias`, new Float32Array(node.units), [node.units], 'bias', 'C') : null;
    this.ws = node.ws;
    this.gain = node.ws ? ctx.parameter(`${name}.gain`, new Float32Array(node.units).fill(1), [node.units], 'norm', 'C') : null;
    this.parameters = [this.weight, ...(this.bias ? [this.bias] : []), ...(this.gain ? [this.gain] : [])];
    this.outShape = [node.units];
  }

  /** The matrix the layer multiplies by: the weight, or its Scaled Weight Standardisation when the node asks for it. */
  effectiveWeight(): Tensor {
    return this.gain ? scaledWeightStandardization(this.weight.value, this.gain.value, this.ws) : this.weight.value;
  }

  forward(x: Tensor): Tensor {
    return linear(x, this.effectiveWeight(), this.bias?.value ?? null);
  }
}
