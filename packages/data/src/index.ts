// @skipinit/data: datasets as typed arrays (MNIST, Fashion-MNIST, CIFAR-10/100, synthetic sets), with seeded
// splitting, normalisation, shuffling, batching and augmentation. Imports nothing of ours.
export { DataError, type DataErrorCode } from './errors';
export { Rng, Stream, mix32, streamKey, type RngState } from './rng';
export {
  classCounts,
  createDataset,
  featureSize,
  subset,
  take,
  type Dataset,
  type DatasetInit,
  type DatasetSplits,
} from './dataset';
export { encodeIdx, idxMagic, parseIdx, readIdxFile, type IdxArray, type IdxType } from './idx';
export {
  FASHION_MNIST_CLASSES,
  MNIST_CLASSES,
  loadFashionMnist,
  loadMnist,
  mnistDir,
  type IdxDatasetOptions,
} from './mnist';
export { loadCifar10, loadCifar100, type Cifar100Options, type CifarOptions } from './cifar';
export { CIFAR10_CLASSES, CIFAR100_COARSE_CLASSES, CIFAR100_FINE_CLASSES } from './cifar-classes';
export type { SyntheticOptions } from './synthetic-shape';
export { gaussianClusters, type GaussianClusters, type GaussianClustersOptions } from './gaussian-clusters';
export {
  teacherLogits,
  teacherNetwork,
  type TeacherDataset,
  type TeacherNetwork,
  type TeacherOptions,
} from './teacher';
export {
  fitNormalization,
  normalize,
  normalizedValue,
  type Normalization,
  type NormalizeOptions,
} from './normalization';
export { trainValidationSplit, type SplitOptions } from './split';
export { prepare, type PrepareOptions, type PreparedData } from './prepare';
export { augmentParams, cropFlip, type AugmentOptions, type AugmentParams } from './augment';
export {
  BatchLoader,
  type Batch,
  type BatchLoaderOptions,
  type LoaderState,
} from './batch-loader';
export { DATASET_NAMES, loadDataset, type DatasetName, type LoadDatasetOptions } from './load-dataset';
export { decodeImage, imageFormat, jpegComponents, type DecodedImage, type ImageFormat } from './image-file';
export { parseNpy, type NpyArray } from './npy';
export { arrayExamples, imageExample, type ExampleArray, type Examples } from './input-examples';
