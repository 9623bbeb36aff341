// fan_in and fan_out of a weight tensor, with PyTorch's convention
// (torch.nn.init._calculate_fan_in_and_fan_out):
//   dense [units, in]                 -> fanIn = in,            fanOut = units
//   conv  [out, in, kh, kw]           -> fanIn = in * kh * kw,  fanOut = out * kh * kw
// In general the first axis is the output, the second the input, and the rest the receptive field.

import { InitError, checkShape, formatShape } from './errors';

export interface Fans {
  readonly fanIn: number;
  readonly fanOut: number;
}

/** fan_in and fan_out of a weight of `shape` (rank >= 2: [out, in, ...receptive field]). */
export function fans(shape: readonly number[]): Fans {
  checkShape('fans', shape);
  if (shape.length < 2) {
    throw new InitError(
      'fans',
      `shape ${formatShape(shape)}: fan in and fan out need a weight of rank >= 2 ([out, in] or [out, in, kh, kw]); pass fans explicitly for a vector`,
    );
  }
  let receptive = 1;
  for (let i = 2; i < shape.length; i++) receptive *= shape[i];
  return { fanIn: shape[1] * receptive, fanOut: shape[0] * receptive };
}
