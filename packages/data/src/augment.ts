import { check } from './errors';
import { Rng, Stream } from './rng';

/**
 * Standard image augmentation (torchvision's `RandomCrop(size, padding)` + `RandomHorizontalFlip()`), for
 * examples of shape [C, H, W]:
 *
 * - crop: pad each side by `padding` with `fill`, then take the HxW window at offsets (dy, dx), each uniform
 *   in [0, 2 * padding]; offsets (padding, padding) give the original image back;
 * - flip: mirror left-right with probability 1/2, after the crop.
 *
 * The draws of a batch are a pure function of (seed, epoch, batch index): `augmentParams` makes them,
 * drawing per example, in order: dy, dx (when cropping), then the flip bit (when flipping).
 */
export interface AugmentOptions {
  /** Zero padding of the random crop, in pixels (0 or absent: no crop). */
  cropPadding?: number;
  /** Horizontal flip with probability 1/2. */
  flip?: boolean;
  /**
   * The padding value, in the stored (possibly normalised) space: one number, or one per channel. Default 0,
   * which is the channel mean once normalised; `normalizedValue(norm, 0)` pads with black as torchvision does.
   */
  fill?: number | readonly number[];
}

export interface AugmentParams {
  readonly dy: Int32Array;
  readonly dx: Int32Array;
  readonly flip: Uint8Array;
}

/** Checks augmentation options against an example shape; returns the per-channel fill. */
export function checkAugment(options: AugmentOptions, shape: readonly number[], where: string): Float32Array {
  const p = options.cropPadding ?? 0;
  check(Number.isInteger(p) && p >= 0, where, `cropPadding must be an integer >= 0, got ${p}`);
  const active = p > 0 || options.flip === true;
  check(
    !active || shape.length === 3,
    where,
    `crop and flip need image examples [C, H, W], got [${shape.join(', ')}]`,
  );
  const channels = shape[0];
  const fill = options.fill ?? 0;
  if (typeof fill === 'number') {
    check(Number.isFinite(fill), where, `fill must be finite, got ${fill}`);
    return new Float32Array(channels).fill(fill);
  }
  check(
    fill.length === channels && fill.every(Number.isFinite),
    where,
    `fill needs ${channels} finite values (one per channel), got [${fill.join(', ')}]`,
  );
  return Float32Array.from(fill);
}

/** The crop offsets and flip bits of one batch of `size` examples. */
export function augmentParams(
  options: AugmentOptions,
  seed: number,
  epoch: number,
  batch: number,
  size: number,
): AugmentParams {
  const p = options.cropPadding ?? 0;
  const dy = new Int32Array(size).fill(p);
  const dx = new Int32Array(size).fill(p);
  const flip = new Uint8Array(size);
  if (p === 0 && !options.flip) return { dy, dx, flip };
  const rng = new Rng(seed, Stream.augment, epoch, batch);
  for (let k = 0; k < size; k++) {
    if (p > 0) {
      dy[k] = rng.randint(2 * p + 1);
      dx[k] = rng.randint(2 * p + 1);
    }
    if (options.flip) flip[k] = rng.randint(2);
  }
  return { dy, dx, flip };
}

/**
 * Writes one augmented example: out[c][i][j] = padded[c][i + dy][jj + dx] with jj = W-1-j when flipped
 * (else j), where padded is `src` with `padding` pixels of fill[c] on each side. `src` and `dst` are
 * [C, H, W] blocks starting at `srcAt` and `dstAt`.
 */
export function cropFlip(
  src: Float32Array,
  srcAt: number,
  dst: Float32Array,
  dstAt: number,
  shape: readonly number[],
  padding: number,
  dy: number,
  dx: number,
  flip: boolean,
  fill: Float32Array,
): void {
  const [channels, h, w] = shape;
  for (let c = 0; c < channels; c++) {
    const plane = c * h * w;
    for (let i = 0; i < h; i++) {
      const out = dstAt + plane + i * w;
      const si = i + dy - padding;
      if (si < 0 || si >= h) {
        dst.fill(fill[c], out, out + w);
        continue;
      }
      const row = srcAt + plane + si * w;
      const shift = dx - padding;
      if (!flip && shift === 0) {
        dst.set(src.subarray(row, row + w), out);
        continue;
      }
      for (let j = 0; j < w; j++) {
        const sj = (flip ? w - 1 - j : j) + shift;
        dst[out + j] = sj >= 0 && sj < w ? src[row + sj] : fill[c];
      }
    }
  }
}
