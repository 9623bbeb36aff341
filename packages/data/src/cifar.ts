import { existsSync, openSync, readSync, closeSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { CIFAR10_CLASSES, CIFAR100_COARSE_CLASSES, CIFAR100_FINE_CLASSES } from './cifar-classes';
import { createDataset, type Dataset, type DatasetSplits } from './dataset';
import { DataError } from './errors';

/**
 * CIFAR-10 and CIFAR-100 from the "binary version" files (Krizhevsky, 2009), at a directory the user gives.
 *
 * - CIFAR-10 (`cifar-10-batches-bin/`): data_batch_1.bin .. data_batch_5.bin (train) and test_batch.bin,
 *   each 10000 records of 1 label byte + 3072 pixel bytes.
 * - CIFAR-100 (`cifar-100-binary/`): train.bin (50000 records) and test.bin (10000 records), each record
 *   1 coarse label byte + 1 fine label byte + 3072 pixel bytes.
 *
 * Pixels are stored channel-major (1024 red, 1024 green, 1024 blue, each 32x32 row-major), which is already
 * the [C, H, W] layout: x is returned in [0, 1] with shape [N, 3, 32, 32].
 */
export interface CifarOptions {
  /** The directory with the .bin files, or the directory it was extracted into (holding cifar-10-batches-bin). */
  dir: string;
  /** Check the standard record counts (default true); false accepts any whole number of records. */
  expectCounts?: boolean;
}

export interface Cifar100Options extends CifarOptions {
  /** Which label becomes `y`: the 100 fine classes (default) or the 20 coarse superclasses. */
  labels?: 'fine' | 'coarse';
}

const PIXELS = 3072;

interface Variant {
  name: 'cifar10' | 'cifar100';
  folder: string; // the folder name inside the official archive
  train: readonly string[];
  test: readonly string[];
  labelBytes: 1 | 2;
  labelLimits: readonly number[];
  labelNames: readonly string[];
  recordsPerFile: Record<string, number>;
}

const CIFAR10: Variant = {
  name: 'cifar10',
  folder: 'cifar-10-batches-bin',
  train: ['data_batch_1.bin', 'data_batch_2.bin', 'data_batch_3.bin', 'data_batch_4.bin', 'data_batch_5.bin'],
  test: ['test_batch.bin'],
  labelBytes: 1,
  labelLimits: [10],
  labelNames: ['class'],
  recordsPerFile: { default: 10000 },
};

const CIFAR100: Variant = {
  name: 'cifar100',
  folder: 'cifar-100-binary',
  train: ['train.bin'],
  test: ['test.bin'],
  labelBytes: 2,
  labelLimits: [20, 100],
  labelNames: ['coarse', 'fine'],
  recordsPerFile: { 'train.bin': 50000, 'test.bin': 10000, default: 0 },
};

/** CIFAR-10: { train: 50000, test: 10000 } images [3, 32, 32] in [0, 1], 10 classes. */
export function loadCifar10(options: CifarOptions): DatasetSplits {
  const dir = resolveDir(CIFAR10, options);
  const expect = options.expectCounts ?? true;
  return {
    train: readSplit(CIFAR10, dir, 'train', expect, 0, CIFAR10_CLASSES),
    test: readSplit(CIFAR10, dir, 'test', expect, 0, CIFAR10_CLASSES),
  };
}

/** CIFAR-100: { train: 50000, test: 10000 } images [3, 32, 32] in [0, 1], 100 fine (or 20 coarse) classes. */
export function loadCifar100(options: Cifar100Options): DatasetSplits {
  const dir = resolveDir(CIFAR100, options);
  const expect = options.expectCounts ?? true;
  const labels = options.labels ?? 'fine';
  if (labels !== 'fine' && labels !== 'coarse') {
    throw new DataError('data/bad-option', `loadCifar100: labels must be 'fine' or 'coarse', got '${labels}'`);
  }
  const which = labels === 'fine' ? 1 : 0;
  const names = labels === 'fine' ? CIFAR100_FINE_CLASSES : CIFAR100_COARSE_CLASSES;
  return {
    train: readSplit(CIFAR100, dir, 'train', expect, which, names),
    test: readSplit(CIFAR100, dir, 'test', expect, which, names),
  };
}

/** The directory that holds the .bin files, or a DataError that says what the given path is instead. */
function resolveDir(v: Variant, options: CifarOptions): string {
  const where = v.name === 'cifar10' ? 'loadCifar10' : 'loadCifar100';
  const dir = options?.dir;
  if (typeof dir !== 'string' || dir === '') {
    throw new DataError('data/bad-option', `${where}: give \`dir\`, the directory holding ${v.folder}'s .bin files`);
  }
  if (!existsSync(dir)) throw new DataError('data/missing-file', `${v.name}: directory not found`, dir);
  if (!statSync(dir).isDirectory()) {
    const hint = /\.(tar\.gz|tgz)$/.test(dir) ? ': extract the archive and give the extracted directory' : '';
    throw new DataError('data/missing-file', `${v.name}: expected a directory, found a file${hint}`, dir);
  }
  const all = [...v.train, ...v.test];
  if (all.every((f) => existsSync(join(dir, f)))) return dir;
  const nested = join(dir, v.folder);
  if (existsSync(nested) && statSync(nested).isDirectory()) return resolveDir(v, { ...options, dir: nested });
  const present = new Set(readdirSync(dir));
  const missing = all.filter((f) => !present.has(f));
  let hint = '';
  if (present.has('data_batch_1') || present.has('cifar-10-batches-py') || present.has('cifar-100-python')) {
    hint = ': this is the Python (pickle) version; download the binary version (cifar-10-binary.tar.gz / cifar-100-binary.tar.gz)';
  } else if (v.name === 'cifar10' && (present.has('train.bin') || present.has('cifar-100-binary'))) {
    hint = ': this looks like CIFAR-100 (train.bin/test.bin); use loadCifar100';
  } else if (v.name === 'cifar100' && (present.has('data_batch_1.bin') || present.has('cifar-10-batches-bin'))) {
    hint = ': this looks like CIFAR-10 (data_batch_*.bin); use loadCifar10';
  }
  throw new DataError('data/missing-file', `${v.name}: missing ${missing.join(', ')}${hint}`, dir);
}

function readSplit(
  v: Variant,
  dir: string,
  split: 'train' | 'test',
  expectCounts: boolean,
  labelIndex: number,
  classNames: readonly string[],
): Dataset {
  const recordBytes = v.labelBytes + PIXELS;
  const files = (split === 'train' ? v.train : v.test).map((f) => join(dir, f));
  const counts = files.map((path, k) => {
    const size = statSync(path).size;
    const base = (split === 'train' ? v.train : v.test)[k];
    const standard = v.recordsPerFile[base] ?? v.recordsPerFile.default;
    const layout = `${v.labelBytes} label byte${v.labelBytes > 1 ? 's' : ''} + ${PIXELS} pixel bytes`;
    if (expectCounts && size !== standard * recordBytes) {
      const records = Math.floor(size / recordBytes);
      const rest = size % recordBytes;
      throw new DataError(
        size < standard * recordBytes ? 'data/truncated' : 'data/bad-format',
        `expected ${standard * recordBytes} bytes (${standard} records of ${recordBytes}: ${layout}), found ${size}` +
          ` (${records} records${rest ? ` + ${rest} bytes` : ''})`,
        path,
      );
    }
    if (size === 0 || size % recordBytes !== 0) {
      throw new DataError(
        size === 0 ? 'data/truncated' : 'data/bad-format',
        `size ${size} is not a positive multiple of the ${recordBytes}-byte record (${layout}): ` +
          `${Math.floor(size / recordBytes)} whole records + ${size % recordBytes} bytes; truncated or not ${v.name}`,
        path,
      );
    }
    return size / recordBytes;
  });
  const n = counts.reduce((a, b) => a + b, 0);
  const x = new Float32Array(n * PIXELS);
  const y = new Int32Array(n);
  const chunk = Buffer.allocUnsafe(recordBytes * 1000);
  let at = 0;
  files.forEach((path, k) => {
    const first = at;
    const fd = openSync(path, 'r');
    try {
      let left = counts[k];
      while (left > 0) {
        const take = Math.min(left, 1000);
        const want = take * recordBytes;
        let got = 0;
        while (got < want) {
          const r = readSync(fd, chunk, got, want - got, null);
          if (r === 0) throw new DataError('data/truncated', `file ended while reading record ${at}`, path);
          got += r;
        }
        for (let r = 0; r < take; r++, at++) {
          const o = r * recordBytes;
          for (let b = 0; b < v.labelBytes; b++) {
            if (chunk[o + b] >= v.labelLimits[b]) {
              throw new DataError(
                'data/bad-label',
                `record ${at - first} (byte offset ${(at - first) * recordBytes + b}) has ${v.labelNames[b]} label ` +
                  `${chunk[o + b]} outside [0, ${v.labelLimits[b]}): not a ${v.name} binary file?`,
                path,
              );
            }
          }
          const label = chunk[o + labelIndex];
          y[at] = label;
          const px = o + v.labelBytes;
          const base = at * PIXELS;
          for (let p = 0; p < PIXELS; p++) x[base + p] = chunk[px + p] / 255;
        }
        left -= take;
      }
    } finally {
      closeSync(fd);
    }
  });
  return createDataset({ name: `${v.name}/${split}`, x, y, shape: [3, 32, 32], numClasses: classNames.length, classNames, valueRange: [0, 1] });
}
