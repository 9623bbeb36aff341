// Pooling on NCHW images: windowed average or max (size, stride, padding as the graph node says), and
// global average pooling [C, H, W] -> [C].
//
// Padding follows the graph (convPadding): 'same' pads so the output is ceil(H / stride), the odd pixel
// at the bottom/right (TensorFlow's rule); 'valid' none; a number that many each side. Average pooling
// counts padded cells as zeros (divides by the whole window, torch's count_include_pad); max pooling
// never picks a padded cell. Symmetric padding of at most half the window uses the pooling primitive's
// own padding; anything else pads explicitly first (zeros for avg, -FLT_MAX for max).

import type { PoolNode } from '@skipinit/graph';
import { convPadding } from '@skipinit/graph';
import type { Tensor } from '@skipinit/tensor';
import { avgPool2d, globalAvgPool2d, maxPool2d, pad } from '@skipinit/tensor';
import type { Layer } from './layer';
import type { NamedBuffer, Parameter } from './parameter';

const LOWEST_FLOAT32 = -3.4028234663852886e38;

export class Pool implements Layer {
  readonly kind = 'pool';
  readonly parameters: readonly Parameter[] = [];
  readonly buffers: readonly NamedBuffer[] = [];
  readonly op: 'avg' | 'max' | 'global';
  /** Window and stride (0 for global pooling). */
  readonly size: number;
  readonly stride: number;
  /** Pixels of padding [top, bottom, left, right] (the graph's convPadding; all 0 for global pooling). */
  readonly padding: readonly [number, number, number, number] = [0, 0, 0, 0];
  /** The padding as the graph node writes it ('same', 'valid' or pixels; 'valid' for global pooling). */
  readonly paddingSpec: 'same' | 'valid' | number = 'valid';
  /** Native symmetric padding [h, w], or null when the input is padded explicitly. */
  private readonly native: readonly [number, number] | null = [0, 0];
  private readonly pads: readonly (readonly [number, number])[] | null = null;

  constructor(
    readonly name: string,
    node: PoolNode,
    readonly inShape: readonly number[],
    readonly outShape: readonly number[],
  ) {
    this.op = node.op;
    if (node.op === 'global') {
      this.size = 0;
      this.stride = 0;
      return;
    }
    this.size = node.size;
    this.stride = node.stride;
    const [top, bottom] = convPadding(inShape[1], node.size, node.stride, node.padding);
    const [left, right] = convPadding(inShape[2], node.size, node.stride, node.padding);
    this.padding = [top, bottom, left, right];
    this.paddingSpec = node.padding;
    if (top === bottom && left === right && 2 * top <= node.size && 2 * left <= node.size) {
      this.native = [top, left];
    } else {
      this.native = null;
      this.pads = [[0, 0], [0, 0], [top, bottom], [left, right]];
    }
  }

  forward(x: Tensor): Tensor {
    if (this.op === 'global') return globalAvgPool2d(x);
    const input = this.pads === null ? x : pad(x, this.pads, this.op === 'max' ? LOWEST_FLOAT32 : 0);
    const options = { stride: this.stride, padding: this.native ?? 0 };
    return this.op === 'max' ? maxPool2d(input, this.size, options) : avgPool2d(input, this.size, options);
  }
}
