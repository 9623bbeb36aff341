import type { Dataset, DatasetSplits } from './dataset';
import { check } from './errors';
import { fitNormalization, normalize, type Normalization } from './normalization';
import { trainValidationSplit } from './split';

export interface PrepareOptions {
  /** Hold out this many training examples (count >= 1, or a fraction in (0, 1)) as validation; 0 or absent: none. */
  validation?: number;
  /** Stratify the validation split by class (default true). */
  stratify?: boolean;
  /** Seed of the validation split (default 0). */
  seed?: number;
  /** Normalise per channel with the statistics of the (remaining) training split (default true). */
  normalize?: boolean;
  /** Normalise the split arrays in place instead of copying (default false). */
  inPlace?: boolean;
  /** Apply these statistics instead of fitting them on train (a trained model's recorded normalisation). */
  normalization?: Normalization;
}

export interface PreparedData extends DatasetSplits {
  /** The statistics applied to every split, when normalised: store it to evaluate new data the same way. */
  readonly normalization?: Normalization;
}

/**
 * The usual pipeline in one call: hold out a validation split from train (seeded), fit the normalisation on
 * what remains of train, and apply it to train, validation and test.
 */
export function prepare(splits: DatasetSplits, options: PrepareOptions = {}): PreparedData {
  const v = options.validation ?? 0;
  check(
    splits.validation === undefined || v === 0,
    'prepare',
    'the splits already have a validation set; leave `validation` out',
  );
  let train: Dataset = splits.train;
  let validation: Dataset | undefined = splits.validation;
  if (v !== 0) {
    const parts = trainValidationSplit(train, {
      size: v,
      seed: options.seed ?? 0,
      stratify: options.stratify ?? true,
    });
    train = parts.train;
    validation = parts.validation;
  }
  if (!(options.normalize ?? true)) return { train, test: splits.test, ...(validation ? { validation } : {}) };
  const norm = options.normalization ?? fitNormalization(train);
  const opts = { inPlace: options.inPlace ?? false };
  return {
    train: normalize(train, norm, opts),
    test: normalize(splits.test, norm, opts),
    ...(validation ? { validation: normalize(validation, norm, opts) } : {}),
    normalization: norm,
  };
}
