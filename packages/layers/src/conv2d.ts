// 2-D convolution, NCHW input, OIHW kernel [out, in, k, k], square kernel, groups 1, with or without a
// bias. Padding 'same' keeps ceil(H / stride) with the odd pixel at the bottom/right (TensorFlow's rule,
// graph's convPadding), 'valid' none, a number that many zeros on every side.
// The kernel comes from the node's initialiser (he unless set) times its gain; the bias starts at 0.

import type { ConvNode } from '@skipinit/graph';
import { initWeight } from '@skipinit/init';
import type { Tensor } from '@skipinit/tensor';
import { conv2d } from '@skipinit/tensor';
import type { BuildContext } from './build-context';
import type { Layer } from './layer';
import type { NamedBuffer, Parameter } from './parameter';

export class Conv2d implements Layer {
  readonly kind = 'conv';
  readonly parameters: readonly Parameter[];
  readonly buffers: readonly NamedBuffer[] = [];
  readonly weight: Parameter;
  readonly bias: Parameter | null;
  readonly kernel: number;
  readonly stride: number;
  /** As the graph node says; `convPadding` (graph) turns it into pixels per side. */
  readonly padding: 'same' | 'valid' | number;

  constructor(
    readonly name: string,
    node: ConvNode,
    readonly inShape: readonly number[],
    readonly outShape: readonly number[],
    ctx: BuildContext,
  ) {
    const shape = [node.out, inShape[0], node.kernel, node.kernel];
    const w = initWeight(node.init ?? 'he', shape, ctx.initRng(`${name}.weight`), { gain: node.gain ?? 1 });
    this.weight = ctx.parameter(`${name}.weight`, w, shape, 'weight', 'OIHW');
    this.bias = node.bias ? ctx.parameter(`${name}.bias`, new Float32Array(node.out), [node.out], 'bias', 'C') : null;
    this.parameters = this.bias ? [this.weight, this.bias] : [this.weight];
    this.kernel = node.kernel;
    this.stride = node.stride;
    this.padding = node.padding;
  }

  forward(x: Tensor): Tensor {
    return conv2d(x, this.weight.value, { bias: this.bias?.value ?? null, stride: this.stride, padding: this.padding });
  }
}
