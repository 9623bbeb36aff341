// Fully connected layer: y = x W^T + b, W [units, in] (torch's Linear layout), b [units].
// W from the node's initialiser (he unless set) times its gain; b starts at 0.

import type { DenseNode } from '@skipinit/graph';
import { initWeight } from '@skipinit/init';
import type { Tensor } from '@skipinit/tensor';
import { linear } from '@skipinit/tensor';
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
    this.parameters = this.bias ? [this.weight, this.bias] : [this.weight];
    this.outShape = [node.units];
  }

  forward(x: Tensor): Tensor {
    return linear(x, this.weight.value, this.bias?.value ?? null);
  }
}
