// Element-wise activations, one per vocabulary name. `ACTIVATIONS` is a Record over ActivationName:
// a name added to the vocabulary without an implementation here fails to typecheck.
//
//   relu      max(x, 0)                      gelu      x * Phi(x), the exact (erf) form, as torch's default
//   tanh      tanh(x)                        sigmoid   1 / (1 + exp(-x))
//   identity  x (returns its input unchanged)

import type { ActivationName, ActivationNode } from '@skipinit/graph';
import type { Tensor } from '@skipinit/tensor';
import { gelu, relu, sigmoid, tanh } from '@skipinit/tensor';
import type { Layer } from './layer';
import type { NamedBuffer, Parameter } from './parameter';

export const ACTIVATIONS: Readonly<Record<ActivationName, (x: Tensor) => Tensor>> = {
  relu,
  gelu: (x) => gelu(x),
  tanh,
  sigmoid,
  identity: (x) => x,
};

export class Activation implements Layer {
  readonly kind = 'activation';
  readonly parameters: readonly Parameter[] = [];
  readonly buffers: readonly NamedBuffer[] = [];
  readonly outShape: readonly number[];
  readonly fn: ActivationName;
  private readonly apply: (x: Tensor) => Tensor;

  constructor(
    readonly name: string,
    node: ActivationNode,
    readonly inShape: readonly number[],
  ) {
    this.fn = node.fn;
    this.apply = ACTIVATIONS[node.fn];
    this.outShape = inShape;
  }

  forward(x: Tensor): Tensor {
    return this.apply(x);
  }
}
