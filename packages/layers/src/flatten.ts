// [N, C, H, W] -> [N, C*H*W]; a flat input passes through unchanged.

import type { Tensor } from '@skipinit/tensor';
import type { Layer } from './layer';
import type { NamedBuffer, Parameter } from './parameter';

export class Flatten implements Layer {
  readonly kind = 'flatten';
  readonly parameters: readonly Parameter[] = [];
  readonly buffers: readonly NamedBuffer[] = [];
  readonly outShape: readonly number[];

  constructor(
    readonly name: string,
    readonly inShape: readonly number[],
  ) {
    this.outShape = [inShape.reduce((a, b) => a * b, 1)];
  }

  forward(x: Tensor): Tensor {
    return x.rank === 2 ? x : x.reshape([x.shape[0], this.outShape[0]]);
  }
}
