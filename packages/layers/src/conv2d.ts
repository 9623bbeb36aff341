// 2-D convolution, NCHW input, OIHW kernel [out, in, k, k], square kernel, groups 1, with or without a
// bias. Padding 'same' keeps ceil(H / stride) with the odd pixel at the bottom/right (TensorFlow's rule,
// graph's convPadding), 'valid' none, a number that many zeros on every side.
// The kernel comes from the node's initialiser (he unless set) times its gain; the bias starts at 0.
// With Scaled Weight Standardisation (node.ws, Brock et al. 2021 section 4.1) the layer convolves with
// gain_o * gamma * (W_o - mean_o) / sqrt(N var_o + eps) instead of W: a `gain` parameter per output
// channel (init 1, role 'norm': a per-channel scale like a norm's, so decay=weights leaves it alone).

import type { ConvNode } from '@skipinit/graph';
import { initWeight } from '@skipinit/init';
import type { Tensor } from '@skipinit/tensor';
import { conv2d, scaledWeightStandardization } from '@skipinit/tensor';
import type { BuildContext } from './build-context';
import type { Layer } from './layer';
import type { NamedBuffer, Parameter } from './parameter';

export class Conv2d implements Layer {
  readonly kind = 'conv';
  readonly parameters: readonly Parameter[];
  readonly buffers: readonly NamedBuffer[] = [];
  readonly weight: Parameter;
  readonly bias: Parameter | null;
  /** Scaled WS's per-output gain (null: the weight is used as it is). */
  readonly gain: Parameter | null;
  private readonly ws: ConvNode['ws'];
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
    this.ws = node.ws;
    this.gain = node.ws ? ctx.parameter(`${name}.gain`, new Float32Array(node.out).fill(1), [node.out], 'norm', 'C') : null;
    this.parameters = [this.weight, ...(this.bias ? [this.bias] : []), ...(this.gain ? [this.gain] : [])];
    this.kernel = node.kernel;
    this.stride = node.stride;
    this.padding = node.padding;
  }

  /** The kernel the convolution uses: the weight, or its Scaled Weight Standardisation when the node asks for it. */
  effectiveWeight(): Tensor {
    return this.gain ? scaledWeightStandardization(this.weight.value, this.gain.value, this.ws) : this.weight.value;
  }

  forward(x: Tensor): Tensor {
    const w = this.effectiveWeight();
    return conv2d(x, w, { bias: this.bias?.value ?? null, stride: this.stride, padding: this.padding });
  }
}
