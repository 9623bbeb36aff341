// The data of a run, from its resolved recipe: load the data set named by the spec (graph's vocabulary
// names, which @skipinit/data's loaders share), keep `limit` training examples (a seeded choice), hold out
// the validation fraction (stratified, seeded), normalise every split per channel with the training
// statistics, and check that the examples fit the model's input and its number of classes.

import type { DatasetName as GraphDatasetName, ResolvedTrainSpec } from '@skipinit/graph';
import { DataError, loadDataset, prepare, Rng as DataRng, subset } from '@skipinit/data';
import type { AugmentOptions, Dataset, DatasetName as DataDatasetName, DatasetSplits, Normalization } from '@skipinit/data';


/** What the directory `path=` of each file data set must hold. */
const NEEDS_PATH: Partial<Record<GraphDatasetName, string>> = {
  fashion_mnist: 'the four Fashion-MNIST IDX files (train-images-idx3-ubyte, ...)',
  cifar10: 'the CIFAR-10 binary files (cifar-10-batches-bin: data_batch_1.bin ... test_batch.bin)',
  cifar100: 'the CIFAR-100 binary files (cifar-100-binary: train.bin, test.bin)',
};

/** Padding of the `crop` augmentation, in pixels (torchvision's RandomCrop(size, padding=4)). */
export const CROP_PADDING = 4;

export interface TrainingData {
  readonly train: Dataset;
  /** The split periodic evaluation uses: the validation split when the recipe holds one out, else the test set. */
  readonly evaluation: Dataset;
  readonly evaluationSplit: 'validation' | 'test';
  readonly test: Dataset;
  readonly normalization: Normalization | undefined;
  readonly augment: AugmentOptions;
}

export interface ModelShape {
  /** Per-example input shape of the model. */
  readonly input: readonly number[];
  /** Number of classes the model outputs. */
  readonly classes: number;
}

/** Loads the splits of the recipe's data set (synthetic sets take the model's shape and classes). */
export function loadSplits(spec: ResolvedTrainSpec, model: ModelShape): DatasetSplits {
  const name: DataDatasetName = spec.data.name; // one vocabulary: training-data.test.ts compares the two lists
  const needs = NEEDS_PATH[name];
  if (needs !== undefined && spec.data.path === null) {
    throw new DataError('data/bad-option', `data ${name} needs path=DIR in the spec's data line: the directory with ${needs}`);
  }
  return loadDataset(name, {
    ...(spec.data.path !== null ? { dir: spec.data.path } : {}),
    seed: spec.seed,
    shape: [...model.input],
    classes: model.classes,
  });
}

/**
 * Everything a run trains and evaluates on, prepared from the recipe. `normalization` applies recorded
 * statistics (a trained run's) instead of fitting them on the training split.
 */
export function prepareTrainingData(
  spec: ResolvedTrainSpec,
  model: ModelShape,
  splits: DatasetSplits = loadSplits(spec, model),
  options: { readonly normalization?: Normalization } = {},
): TrainingData {
  const name = spec.data.name;
  const inputText = model.input.join('x');
  const dataText = splits.train.shape.join('x');
  if (splits.train.shape.length !== model.input.length || splits.train.shape.some((d, i) => d !== model.input[i])) {
    throw new DataError('data/bad-option', `the model's input is ${inputText} but ${name} examples are ${dataText}: change the model's input line to \`input ${dataText}\``);
  }
  if (splits.train.numClasses !== model.classes) {
    throw new DataError('data/bad-option', `${name} has ${splits.train.numClasses} classes but the model outputs ${model.classes}: make the head \`head ${splits.train.numClasses}\``);
  }
  let train = splits.train;
  const limit = spec.data.limit;
  if (limit !== null && limit < train.length) {
    // The first `limit` examples of a seeded shuffle, kept in data-set order.
    const chosen = new DataRng(spec.seed, 0x11b17).permutation(train.length).subarray(0, limit).sort();
    train = subset(train, chosen, train.name);
  }
  const validation = spec.data.validation;
  if (validation > 0 && Math.round(validation * train.length) < 1) {
    throw new DataError('data/bad-option', `validation=${validation} of ${train.length} training examples holds out none`);
  }
  const prepared = prepare(
    { train, test: splits.test },
    { validation: validation > 0 ? validation : 0, seed: spec.seed, ...(options.normalization ? { normalization: options.normalization } : {}) },
  );
  const augment: AugmentOptions = {
    ...(spec.augment.includes('crop') ? { cropPadding: CROP_PADDING } : {}),
    ...(spec.augment.includes('flip') ? { flip: true } : {}),
  };
  if ((augment.cropPadding !== undefined || augment.flip) && model.input.length !== 3) {
    throw new DataError('data/bad-option', `augment ${spec.augment.join(', ')} needs image examples (CxHxW), but ${name} examples are ${dataText}`);
  }
  return {
    train: prepared.train,
    evaluation: prepared.validation ?? prepared.test,
    evaluationSplit: prepared.validation ? 'validation' : 'test',
    test: prepared.test,
    normalization: prepared.normalization,
    augment,
  };
}
