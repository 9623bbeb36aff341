import { loadCifar10, loadCifar100 } from './cifar';
import type { DatasetSplits } from './dataset';
import { DataError } from './errors';
import { gaussianClusters } from './gaussian-clusters';
import { loadFashionMnist, loadMnist } from './mnist';
import { teacherNetwork } from './teacher';

/** The dataset names `loadDataset` knows, as a spec's `data NAME` line spells them (@skipinit/graph's vocabulary). */
export const DATASET_NAMES = ['mnist', 'fashion_mnist', 'cifar10', 'cifar100', 'blobs', 'teacher'] as const;
export type DatasetName = (typeof DATASET_NAMES)[number];

export interface LoadDatasetOptions {
  /** Where the files are: required for fashion_mnist, cifar10 and cifar100; optional for mnist. */
  dir?: string;
  /** Check the standard example counts of file datasets (default true). */
  expectCounts?: boolean;
  /** cifar100: fine (100 classes, default) or coarse (20) labels. */
  labels?: 'fine' | 'coarse';
  /** Synthetic sets: seed (default 0), example shape (default [32]), classes (default 10), split sizes. */
  seed?: number;
  shape?: number | readonly number[];
  classes?: number;
  train?: number;
  test?: number;
  /** teacher: hidden widths (default [64]). */
  hidden?: readonly number[];
}

/**
 * Loads a dataset by name, e.g. `loadDataset('mnist')`, `loadDataset('cifar10', { dir })`. Synthetic sets
 * default to 10 classes of 32 features, 10000 train and 2000 test examples. An unknown name is a
 * `data/bad-option` error listing the known names, the closest first.
 */
export function loadDataset(name: string, options: LoadDatasetOptions = {}): DatasetSplits {
  const need = (what: string): string => {
    if (options.dir === undefined) {
      throw new DataError('data/bad-option', `loadDataset('${name}'): give \`dir\`, the directory with ${what}`);
    }
    return options.dir;
  };
  const expectCounts = options.expectCounts ?? true;
  const synthetic = {
    seed: options.seed ?? 0,
    shape: options.shape ?? 32,
    classes: options.classes ?? 10,
    train: options.train ?? 10000,
    test: options.test ?? 2000,
  };
  switch (name as DatasetName) {
    case 'mnist':
      return loadMnist({ ...(options.dir === undefined ? {} : { dir: options.dir }), expectCounts });
    case 'fashion_mnist':
      return loadFashionMnist({ dir: need('the Fashion-MNIST IDX files'), expectCounts });
    case 'cifar10':
      return loadCifar10({ dir: need('cifar-10-batches-bin'), expectCounts });
    case 'cifar100':
      return loadCifar100({ dir: need('cifar-100-binary'), expectCounts, labels: options.labels ?? 'fine' });
    case 'blobs':
      return gaussianClusters(synthetic);
    case 'teacher':
      return teacherNetwork({ ...synthetic, ...(options.hidden ? { hidden: options.hidden } : {}) });
    default: {
      const ranked = [...DATASET_NAMES].sort((a, b) => distance(name, a) - distance(name, b));
      throw new DataError(
        'data/bad-option',
        `unknown dataset '${name}'; did you mean '${ranked[0]}'? (known: ${ranked.join(', ')})`,
      );
    }
  }
}

/** Levenshtein distance, for "did you mean". */
function distance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) {
      row[j] = Math.min(prev[j] + 1, row[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    prev = row;
  }
  return prev[b.length];
}
