// Inverted dropout (Srivastava et al. 2014): in training, each element is zeroed with probability p and
// the rest scaled by 1 / (1 - p); in evaluation, the identity. The mask is drawn from the model's
// dropout stream (ForwardContext.rng), so a run with the same seed drops the same elements.

import type { DropoutNode } from '@skipinit/graph';
import type { Tensor } from '@skipinit/tensor';
import { dropout } from '@skipinit/tensor';
import type { ForwardContext, Layer } from './layer';
import type { NamedBuffer, Parameter } from './parameter';

export class Dropout implements Layer {
  readonly kind = 'dropout';
  readonly parameters: readonly Parameter[] = [];
  readonly buffers: readonly NamedBuffer[] = [];
  readonly outShape: readonly number[];
  readonly p: number;

  constructor(
    readonly name: string,
    node: DropoutNode,
    readonly inShape: readonly number[],
  ) {
    this.p = node.p;
    this.outShape = inShape;
  }

  forward(x: Tensor, ctx: ForwardContext): Tensor {
    if (!ctx.training || this.p === 0) return x;
    return dropout(x, this.p, { training: true, rng: ctx.rng });
  }
}
