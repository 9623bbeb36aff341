// Scalar layers: Fixup's scalar bias (x + b, one learnable number, init from the node: 0 under Fixup),
// and a scalar multiplier (x * s, learnable or fixed). Learnable scalars are parameters of shape []
// named after the module itself ('stage1.block2.bias3'), with role 'scalar'.

import type { BiasNode, ScaleNode } from '@skipinit/graph';
import type { Tensor } from '@skipinit/tensor';
import type { BuildContext } from './build-context';
import type { Layer } from './layer';
import type { NamedBuffer, Parameter } from './parameter';

export class ScalarBias implements Layer {
  readonly kind = 'bias';
  readonly parameters: readonly Parameter[];
  readonly buffers: readonly NamedBuffer[] = [];
  readonly outShape: readonly number[];
  readonly value: Parameter;

  constructor(
    readonly name: string,
    node: BiasNode,
    readonly inShape: readonly number[],
    ctx: BuildContext,
  ) {
    this.value = ctx.parameter(name, Float32Array.of(node.init), [], 'scalar', 'scalar');
    this.parameters = [this.value];
    this.outShape = inShape;
  }

  forward(x: Tensor): Tensor {
    return x.add(this.value.value);
  }
}

export class Scale implements Layer {
  readonly kind = 'scale';
  readonly parameters: readonly Parameter[];
  readonly buffers: readonly NamedBuffer[] = [];
  readonly outShape: readonly number[];
  /** The learnable scalar, or null when the scale is the fixed number `fixed`. */
  readonly value: Parameter | null;
  readonly fixed: number;

  constructor(
    readonly name: string,
    node: ScaleNode,
    readonly inShape: readonly number[],
    ctx: BuildContext,
  ) {
    this.value = node.learnable ? ctx.parameter(name, Float32Array.of(node.init), [], 'scalar', 'scalar') : null;
    this.fixed = node.init;
    this.parameters = this.value ? [this.value] : [];
    this.outShape = inShape;
  }

  forward(x: Tensor): Tensor {
    return this.value ? x.mul(this.value.value) : x.mul(this.fixed);
  }
}
