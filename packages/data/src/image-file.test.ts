import jpeg from 'jpeg-js';
import { PNG } from 'pngjs';
import { describe, expect, it } from 'vitest';
import { DataError } from './errors';
import { decodeImage, jpegComponents } from './image-file';
import { imageExample } from './input-examples';

function png(width: number, height: number, colorType: 0 | 2 | 6, pixel: (x: number, y: number) => [number, number, number]): Uint8Array {
  const img = new PNG({ width, height, colorType, inputColorType: 6, bitDepth: 8 });
  for (let y = 0; y < height; y++)
    for (let x = 0; x < width; x++) {
      const [r, g, b] = pixel(x, y);
      img.data.set([r, g, b, 255], 4 * (y * width + x));
    }
  return PNG.sync.write(img, { colorType, inputColorType: 6 });
}

describe('decodeImage', () => {
  it('reads a grey PNG as one channel, pixel / 255, row-major', () => {
    const img = decodeImage(png(3, 2, 0, (x, y) => [10 * x + 100 * y, 10 * x + 100 * y, 10 * x + 100 * y]), 'a.png');
    expect([img.format, img.channels, img.height, img.width]).toEqual(['png', 1, 2, 3]);
    expect(Array.from(img.data, (v) => Math.round(v * 255))).toEqual([0, 10, 20, 100, 110, 120]);
  });

  it('reads an RGB PNG as three channel planes', () => {
    const img = decodeImage(png(2, 1, 2, (x) => [x, 50 + x, 200]), 'b.png');
    expect(img.channels).toBe(3);
    expect(Array.from(img.data, (v) => Math.round(v * 255))).toEqual([0, 1, 50, 51, 200, 200]);
  });

  it('reads a JPEG (three components: colour) close to its pixels', () => {
    const data = new Uint8Array(8 * 8 * 4).fill(255);
    for (let p = 0; p < 64; p++) data.set([200, 30, 30, 255], 4 * p);
    const bytes = new Uint8Array(jpeg.encode({ width: 8, height: 8, data }, 95).data);
    expect(jpegComponents(bytes)).toBe(3);
    const img = decodeImage(bytes, 'c.jpg');
    expect([img.format, img.channels, img.height, img.width]).toEqual(['jpeg', 3, 8, 8]);
    expect(Math.abs(img.data[0] * 255 - 200)).toBeLessThan(6);
    expect(Math.abs(img.data[64] * 255 - 30)).toBeLessThan(6);
  });

  it('refuses bytes that are neither, naming the file', () => {
    expect(() => decodeImage(new Uint8Array([1, 2, 3, 4]), 'x.png')).toThrow(new DataError('data/bad-format', 'not a PNG or JPEG image (its first bytes match neither format)', 'x.png'));
  });
});

describe('imageExample', () => {
  it('says what the model takes and how to convert, for the wrong size or channel count', () => {
    const img = decodeImage(png(32, 30, 2, () => [1, 2, 3]), 'cat.png');
    expect(() => imageExample(img, [1, 28, 28], 'cat.png')).toThrow(
      'cat.png: is a 3-channel (colour) 32x30 PNG; the model takes 1-channel (grey) 28x28 images: convert it first (ImageMagick: convert IN -colorspace Gray -resize 28x28! OUT)',
    );
    const grey = decodeImage(png(28, 28, 0, () => [9, 9, 9]), 'd.png');
    expect(imageExample(grey, [1, 28, 28], 'd.png').count).toBe(1);
    expect(() => imageExample(grey, [784], 'd.png')).toThrow(/the model takes flat vectors of 784/);
  });
});
