import { featureSize, type Dataset } from './dataset';
import { check } from './errors';

/**
 * Per-channel normalisation, x' = (x - mean[c]) / std[c], with the statistics of the training split
 * (torchvision's `Normalize`). The channel axis is axis 0 of the example shape: for images [C, H, W] one
 * mean and std per colour channel over all pixels of all examples; for flat features [D] one per feature
 * (a standard scaler). `std` is the population standard deviation (divide by the count); a channel with
 * zero variance gets std 1, so it is only centred. Plain JSON: store it with a checkpoint and apply the same
 * to validation, test and any data evaluated later.
 */
export interface Normalization {
  readonly mean: readonly number[];
  readonly std: readonly number[];
}

function layout(ds: Dataset): { channels: number; spatial: number; size: number } {
  const channels = ds.shape[0];
  const size = featureSize(ds.shape);
  return { channels, spatial: size / channels, size };
}

/** Computes the per-channel mean and std of `ds` (in float64, two passes). */
export function fitNormalization(ds: Dataset): Normalization {
  check(ds.length > 0, `fitNormalization(${ds.name})`, 'the dataset is empty');
  check(
    ds.normalization === undefined,
    `fitNormalization(${ds.name})`,
    'the dataset is already normalised; fit on the raw training split',
  );
  const { channels, spatial, size } = layout(ds);
  const count = ds.length * spatial;
  const mean: number[] = [];
  const std: number[] = [];
  for (let c = 0; c < channels; c++) {
    let sum = 0;
    for (let i = 0; i < ds.length; i++) {
      const o = i * size + c * spatial;
      for (let p = 0; p < spatial; p++) sum += ds.x[o + p];
    }
    const m = sum / count;
    let ss = 0;
    for (let i = 0; i < ds.length; i++) {
      const o = i * size + c * spatial;
      for (let p = 0; p < spatial; p++) {
        const d = ds.x[o + p] - m;
        ss += d * d;
      }
    }
    const s = Math.sqrt(ss / count);
    mean.push(m);
    std.push(s > 0 ? s : 1);
  }
  return { mean, std };
}

export interface NormalizeOptions {
  /** Overwrite `ds.x` instead of allocating a copy (saves memory on CIFAR: 600 MB per copy of the train set). */
  inPlace?: boolean;
}

/** `ds` with x' = (x - mean[c]) / std[c]; the result records `norm` as its `normalization`. */
export function normalize(ds: Dataset, norm: Normalization, options: NormalizeOptions = {}): Dataset {
  const where = `normalize(${ds.name})`;
  check(ds.normalization === undefined, where, 'the dataset is already normalised');
  const { channels, spatial, size } = layout(ds);
  check(
    norm.mean.length === channels && norm.std.length === channels,
    where,
    `statistics for ${norm.mean.length} channel(s) (mean) / ${norm.std.length} (std), ` +
      `the data has ${channels} (shape [${ds.shape.join(', ')}])`,
  );
  check(
    norm.std.every((s) => Number.isFinite(s) && s > 0) && norm.mean.every(Number.isFinite),
    where,
    `mean must be finite and std finite and > 0, got mean [${norm.mean.join(', ')}] std [${norm.std.join(', ')}]`,
  );
  const x = options.inPlace ? ds.x : new Float32Array(ds.x.length);
  for (let c = 0; c < channels; c++) {
    const m = norm.mean[c];
    const inv = 1 / norm.std[c];
    for (let i = 0; i < ds.length; i++) {
      const o = i * size + c * spatial;
      for (let p = 0; p < spatial; p++) x[o + p] = (ds.x[o + p] - m) * inv;
    }
  }
  return { ...ds, x, normalization: { mean: [...norm.mean], std: [...norm.std] } };
}

/** The normalised value of a raw value in each channel, e.g. `normalizedValue(norm, 0)` is the colour black. */
export function normalizedValue(norm: Normalization, raw: number): Float32Array {
  return Float32Array.from(norm.mean, (m, c) => (raw - m) / norm.std[c]);
}
