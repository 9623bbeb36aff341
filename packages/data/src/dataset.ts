import { check, DataError } from './errors';
import type { Normalization } from './normalization';

/**
 * A labelled classification dataset held in memory as typed arrays: what every loader returns and what
 * `BatchLoader` batches. Examples are stored row-major, one after another: `x` has shape [length, ...shape]
 * (images [N, C, H, W], features [N, D]), float32. Labels are class indices in [0, numClasses).
 */
export interface Dataset {
  /** Names the data and the split, e.g. 'mnist/train', 'cifar10/test', 'blobs/train'. */
  readonly name: string;
  readonly x: Float32Array;
  readonly y: Int32Array;
  readonly length: number;
  /** The shape of one example: [C, H, W] for images, [D] for flat features. Axis 0 is the channel axis. */
  readonly shape: readonly number[];
  readonly numClasses: number;
  readonly classNames?: readonly string[];
  /** The range of the values as loaded, before any normalisation (images: [0, 1], pixel / 255); absent: unbounded. */
  readonly valueRange?: readonly [number, number];
  /** Present when `x` has been normalised: the statistics used, to apply the same to any other split. */
  readonly normalization?: Normalization;
}

/** The splits of one dataset. `validation` exists once `trainValidationSplit` or `prepare` made it. */
export interface DatasetSplits {
  readonly train: Dataset;
  readonly test: Dataset;
  readonly validation?: Dataset;
}

export interface DatasetInit {
  name: string;
  x: Float32Array;
  y: Int32Array;
  shape: readonly number[];
  numClasses: number;
  classNames?: readonly string[];
  valueRange?: readonly [number, number];
  normalization?: Normalization;
}

/** The number of values in one example: the product of `shape`. */
export function featureSize(shape: readonly number[]): number {
  let n = 1;
  for (const d of shape) n *= d;
  return n;
}

/**
 * Builds a Dataset and checks it: a positive integer shape, `x.length === N * prod(shape)`,
 * `y.length === N`, every label in [0, numClasses), and `classNames` (if given) of length numClasses.
 */
export function createDataset(init: DatasetInit): Dataset {
  const where = `createDataset(${init.name})`;
  check(
    init.shape.length >= 1 && init.shape.every((d) => Number.isInteger(d) && d > 0),
    where,
    `shape must be positive integers, got [${init.shape.join(', ')}]`,
  );
  check(Number.isInteger(init.numClasses) && init.numClasses >= 1, where, `numClasses must be >= 1, got ${init.numClasses}`);
  const size = featureSize(init.shape);
  const n = init.y.length;
  check(
    init.x.length === n * size,
    where,
    `x has ${init.x.length} values but ${n} labels x [${init.shape.join(', ')}] needs ${n * size}`,
  );
  if (init.classNames !== undefined) {
    check(
      init.classNames.length === init.numClasses,
      where,
      `${init.classNames.length} class names for ${init.numClasses} classes`,
    );
  }
  for (let i = 0; i < n; i++) {
    const label = init.y[i];
    if (label < 0 || label >= init.numClasses) {
      throw new DataError('data/bad-label', `${where}: label ${label} at example ${i} is outside [0, ${init.numClasses})`);
    }
  }
  const ds: Dataset = {
    name: init.name,
    x: init.x,
    y: init.y,
    length: n,
    shape: [...init.shape],
    numClasses: init.numClasses,
    ...(init.classNames === undefined ? {} : { classNames: [...init.classNames] }),
    ...(init.valueRange === undefined ? {} : { valueRange: [init.valueRange[0], init.valueRange[1]] as const }),
    ...(init.normalization === undefined ? {} : { normalization: init.normalization }),
  };
  return ds;
}

/** The examples at `indices` (in that order), copied into a new Dataset named `name`. */
export function subset(ds: Dataset, indices: ArrayLike<number>, name = ds.name): Dataset {
  const size = featureSize(ds.shape);
  const x = new Float32Array(indices.length * size);
  const y = new Int32Array(indices.length);
  for (let k = 0; k < indices.length; k++) {
    const i = indices[k];
    check(Number.isInteger(i) && i >= 0 && i < ds.length, `subset(${ds.name})`, `index ${i} outside [0, ${ds.length})`);
    x.set(ds.x.subarray(i * size, (i + 1) * size), k * size);
    y[k] = ds.y[i];
  }
  return { ...ds, name, x, y, length: indices.length };
}

/** The first `n` examples (all of them if the dataset is smaller), e.g. for a quick run. */
export function take(ds: Dataset, n: number): Dataset {
  check(Number.isInteger(n) && n >= 0, `take(${ds.name})`, `n must be a non-negative integer, got ${n}`);
  const m = Math.min(n, ds.length);
  const size = featureSize(ds.shape);
  return { ...ds, x: ds.x.slice(0, m * size), y: ds.y.slice(0, m), length: m };
}

/** How many examples of each class: an Int32Array of length numClasses. */
export function classCounts(ds: Dataset): Int32Array {
  const counts = new Int32Array(ds.numClasses);
  for (let i = 0; i < ds.length; i++) counts[ds.y[i]]++;
  return counts;
}
