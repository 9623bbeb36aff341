// PNG and JPEG files -> CHW float images with values in [0, 1] (pixel / 255, as the MNIST and CIFAR
// loaders scale theirs). Decoding is done by maintained pure-JS decoders: pngjs (16-bit PNGs are rescaled
// to 8 bits) and jpeg-js. Grey images (PNG colour types 0 and 4, one-component JPEGs) have 1 channel;
// colour images (RGB, palette, RGBA; three-component JPEGs) have 3. Alpha is dropped.

import { PNG } from 'pngjs';
import jpeg from 'jpeg-js';
import { DataError } from './errors';

export type ImageFormat = 'png' | 'jpeg';

export interface DecodedImage {
  readonly format: ImageFormat;
  readonly channels: 1 | 3;
  readonly height: number;
  readonly width: number;
  /** [channels, height, width], row-major, values in [0, 1]. */
  readonly data: Float32Array;
}

const PNG_MAGIC = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

/** 'png' or 'jpeg' from the first bytes, or null. */
export function imageFormat(bytes: Uint8Array): ImageFormat | null {
  if (PNG_MAGIC.every((b, i) => bytes[i] === b)) return 'png';
  if (bytes.length >= 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return 'jpeg';
  return null;
}

/** The component count of a JPEG's frame header (SOF0..SOF15 but DHT, JPG and DAC), or null when none is found. */
export function jpegComponents(bytes: Uint8Array): number | null {
  let i = 2;
  while (i + 9 < bytes.length) {
    if (bytes[i] !== 0xff) return null;
    const marker = bytes[i + 1];
    if (marker === 0xd8 || (marker >= 0xd0 && marker <= 0xd7) || marker === 0x01 || marker === 0xff) {
      i += marker === 0xff ? 1 : 2;
      continue;
    }
    const length = (bytes[i + 2] << 8) | bytes[i + 3];
    if (marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc) return bytes[i + 9];
    i += 2 + length;
  }
  return null;
}

function toChw(rgba: Uint8Array, width: number, height: number, channels: 1 | 3): Float32Array {
  const plane = width * height;
  const out = new Float32Array(channels * plane);
  for (let p = 0; p < plane; p++) for (let c = 0; c < channels; c++) out[c * plane + p] = rgba[4 * p + c] / 255;
  return out;
}

function decodePng(bytes: Uint8Array, file: string): DecodedImage {
  let png;
  try {
    png = PNG.sync.read(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
  } catch (e) {
    throw new DataError('data/bad-format', `not a readable PNG (${(e as Error).message})`, file);
  }
  const grey = png.colorType === 0 || png.colorType === 4;
  const channels = grey ? 1 : 3;
  return { format: 'png', channels, height: png.height, width: png.width, data: toChw(png.data, png.width, png.height, channels) };
}

function decodeJpeg(bytes: Uint8Array, file: string): DecodedImage {
  let img;
  try {
    img = jpeg.decode(bytes, { useTArray: true, formatAsRGBA: true, maxMemoryUsageInMB: 512 });
  } catch (e) {
    throw new DataError('data/bad-format', `not a readable JPEG (${(e as Error).message})`, file);
  }
  const channels = jpegComponents(bytes) === 1 ? 1 : 3;
  return { format: 'jpeg', channels, height: img.height, width: img.width, data: toChw(img.data, img.width, img.height, channels) };
}

/** Decodes a PNG or JPEG file's bytes; anything else is a DataError naming `file`. */
export function decodeImage(bytes: Uint8Array, file = '<image>'): DecodedImage {
  const format = imageFormat(bytes);
  if (format === 'png') return decodePng(bytes, file);
  if (format === 'jpeg') return decodeJpeg(bytes, file);
  throw new DataError('data/bad-format', 'not a PNG or JPEG image (its first bytes match neither format)', file);
}
