// Arrays and images from files -> examples of a model's input shape, with clear errors when they do not
// fit. Arrays may hold many examples [N, ...shape] or one [...shape]; for one-channel images the channel
// axis may be left out ([N, H, W] as MNIST's IDX files are, or [H, W]). Integer arrays (uint8 pixels) are
// divided by 255 when the model's inputs are pixels in [0, 1]; float arrays are taken as they are (raw
// values, before the model's normalisation).

import type { DecodedImage } from './image-file';
import { DataError } from './errors';

export interface ExampleArray {
  readonly dims: readonly number[];
  readonly data: ArrayLike<number>;
  /** Integer elements (uint8 pixels and the like). */
  readonly integer: boolean;
}

export interface Examples {
  readonly count: number;
  /** [count, ...shape], row-major. */
  readonly x: Float32Array;
}

const size = (s: readonly number[]): number => s.reduce((a, b) => a * b, 1);
const same = (a: readonly number[], b: readonly number[]): boolean => a.length === b.length && a.every((d, i) => d === b[i]);
const text = (s: readonly number[]): string => s.join('x');

/** How an array's dims read as examples of `shape`: the number of examples, or null when they do not fit. */
function exampleCount(dims: readonly number[], shape: readonly number[]): number | null {
  if (same(dims, shape)) return 1;
  if (dims.length === shape.length + 1 && same(dims.slice(1), shape)) return dims[0];
  if (shape.length === 3 && shape[0] === 1) {
    const hw = shape.slice(1);
    if (same(dims, hw)) return 1;
    if (dims.length === 3 && same(dims.slice(1), hw)) return dims[0];
  }
  return null;
}

/** The examples an array holds; `scaleIntegers` divides integer elements by 255 (pixels to [0, 1]). */
export function arrayExamples(a: ExampleArray, shape: readonly number[], file: string, scaleIntegers: boolean): Examples {
  const count = exampleCount(a.dims, shape);
  if (count === null) {
    const alt = shape.length === 3 && shape[0] === 1 ? `, [N, ${shape[1]}, ${shape[2]}] or [${shape[1]}, ${shape[2]}]` : '';
    throw new DataError('data/bad-format', `holds an array of shape [${a.dims.join(', ')}]; the model takes examples of ${text(shape)}: give [N, ${shape.join(', ')}], [${shape.join(', ')}]${alt}`, file);
  }
  const x = new Float32Array(count * size(shape));
  const k = a.integer && scaleIntegers ? 1 / 255 : 1;
  for (let i = 0; i < x.length; i++) x[i] = a.data[i] * k;
  return { count, x };
}

/** One image as an example of `shape` ([C, H, W]); another size or channel count is a DataError naming `file`. */
export function imageExample(img: DecodedImage, shape: readonly number[], file: string): Examples {
  const want = (c: number): string => (c === 1 ? '1-channel (grey)' : c === 3 ? '3-channel (colour)' : `${c}-channel`);
  if (shape.length !== 3) throw new DataError('data/bad-format', `is an image, but the model takes flat vectors of ${text(shape)} (give a .npy array)`, file);
  const [c, h, w] = shape;
  if (img.channels !== c || img.height !== h || img.width !== w) {
    const convert = `${img.channels !== c ? (c === 1 ? ' -colorspace Gray' : ' -colorspace sRGB -type TrueColor') : ''}${img.height !== h || img.width !== w ? ` -resize ${w}x${h}!` : ''}`;
    throw new DataError(
      'data/bad-format',
      `is a ${want(img.channels)} ${img.width}x${img.height} ${img.format.toUpperCase()}; the model takes ${want(c)} ${w}x${h} images: convert it first (ImageMagick: convert IN${convert} OUT)`,
      file,
    );
  }
  return { count: 1, x: img.data };
}
