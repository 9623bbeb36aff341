import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadCifar10, loadCifar100 } from './cifar';
import { CIFAR100_COARSE_CLASSES, CIFAR100_FINE_CLASSES, CIFAR10_CLASSES } from './cifar-classes';
import { DataError } from './errors';

function errorOf(f: () => unknown): DataError {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(DataError);
    return e as DataError;
  }
  throw new Error('expected a DataError, nothing was thrown');
}

/** The pixel (channel c, row i, column j) of record r in these tests. */
const pixel = (r: number, c: number, i: number, j: number) => (r * 11 + c * 7 + i * 3 + j) % 256;

/** Records in the CIFAR binary layout: label bytes, then 1024 R, 1024 G, 1024 B, each 32x32 row-major. */
function records(labels: number[][], first = 0): Buffer {
  const size = labels[0].length + 3072;
  const out = Buffer.alloc(labels.length * size);
  labels.forEach((ls, r) => {
    const o = r * size;
    ls.forEach((l, k) => (out[o + k] = l));
    for (let c = 0; c < 3; c++)
      for (let i = 0; i < 32; i++)
        for (let j = 0; j < 32; j++) out[o + ls.length + c * 1024 + i * 32 + j] = pixel(first + r, c, i, j);
  });
  return out;
}

let n = 0;
function cifar10Dir(perFile = 2, edit: (files: Record<string, Buffer>) => void = () => {}): string {
  const root = mkdtempSync(join(tmpdir(), `skipinit-cifar10-${n++}-`));
  const dir = join(root, 'cifar-10-batches-bin');
  mkdirSync(dir);
  const files: Record<string, Buffer> = {};
  for (let b = 1; b <= 5; b++) {
    files[`data_batch_${b}.bin`] = records(
      Array.from({ length: perFile }, (_, r) => [((b - 1) * perFile + r) % 10]),
      (b - 1) * perFile,
    );
  }
  files['test_batch.bin'] = records(Array.from({ length: perFile }, (_, r) => [9 - r]), 1000);
  edit(files);
  for (const [f, bytes] of Object.entries(files)) writeFileSync(join(dir, f), bytes);
  return dir;
}

describe('loadCifar10', () => {
  it('reads records as [N, 3, 32, 32] in [0, 1] with their labels, batches in order', () => {
    const { train, test } = loadCifar10({ dir: cifar10Dir(), expectCounts: false });
    expect([train.length, test.length]).toEqual([10, 2]);
    expect(train.shape).toEqual([3, 32, 32]);
    expect(train.classNames).toEqual(CIFAR10_CLASSES);
    expect(Array.from(train.y)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(Array.from(test.y)).toEqual([9, 8]);
    let wrong = 0;
    for (let r = 0; r < 10; r++)
      for (let c = 0; c < 3; c++)
        for (let i = 0; i < 32; i++)
          for (let j = 0; j < 32; j++) {
            if (train.x[((r * 3 + c) * 32 + i) * 32 + j] !== Math.fround(pixel(r, c, i, j) / 255)) wrong++;
          }
    expect(wrong).toBe(0);
    expect(test.x[3072 + 5]).toBe(Math.fround(pixel(1001, 0, 0, 5) / 255));
  });

  it('finds the .bin files when given the directory the archive was extracted into', () => {
    const dir = cifar10Dir();
    const parent = join(dir, '..');
    expect(loadCifar10({ dir: parent, expectCounts: false }).train.length).toBe(10);
  });

  it('checks the standard size of 10000 records per file by default', () => {
    const dir = cifar10Dir();
    const e = errorOf(() => loadCifar10({ dir }));
    expect(e.code).toBe('data/truncated');
    expect(e.message).toBe(
      `${join(dir, 'data_batch_1.bin')}: expected 30730000 bytes (10000 records of 3073: ` +
        '1 label byte + 3072 pixel bytes), found 6146 (2 records)',
    );
  });

  it('refuses a truncated file, naming it and the partial record', () => {
    const dir = cifar10Dir(2, (f) => (f['data_batch_3.bin'] = f['data_batch_3.bin'].subarray(0, 3073 + 100)));
    const e = errorOf(() => loadCifar10({ dir, expectCounts: false }));
    expect(e.code).toBe('data/bad-format');
    expect(e.file).toBe(join(dir, 'data_batch_3.bin'));
    expect(e.message).toBe(
      `${join(dir, 'data_batch_3.bin')}: size 3173 is not a positive multiple of the 3073-byte record ` +
        '(1 label byte + 3072 pixel bytes): 1 whole records + 100 bytes; truncated or not cifar10',
    );
    const empty = cifar10Dir(2, (f) => (f['test_batch.bin'] = Buffer.alloc(0)));
    expect(errorOf(() => loadCifar10({ dir: empty, expectCounts: false })).code).toBe('data/truncated');
  });

  it('refuses a label outside 0..9 (e.g. a CIFAR-100 file renamed)', () => {
    const dir = cifar10Dir(2, (f) => (f['test_batch.bin'][3073] = 42));
    const e = errorOf(() => loadCifar10({ dir, expectCounts: false }));
    expect(e.code).toBe('data/bad-label');
    expect(e.message).toBe(
      `${join(dir, 'test_batch.bin')}: record 1 (byte offset 3073) has class label 42 outside [0, 10): ` +
        'not a cifar10 binary file?',
    );
  });

  it('refuses a missing directory, a missing batch, the Python version and CIFAR-100', () => {
    const dir = cifar10Dir(2, (f) => delete f['data_batch_4.bin']);
    expect(errorOf(() => loadCifar10({ dir })).message).toBe(`${dir}: cifar10: missing data_batch_4.bin`);
    const gone = join(dir, 'x');
    const e = errorOf(() => loadCifar10({ dir: gone }));
    expect([e.code, e.message]).toEqual(['data/missing-file', `${gone}: cifar10: directory not found`]);
    const py = mkdtempSync(join(tmpdir(), 'skipinit-cifar-py-'));
    writeFileSync(join(py, 'data_batch_1'), 'pickle');
    expect(errorOf(() => loadCifar10({ dir: py })).message).toMatch(/this is the Python \(pickle\) version/);
    const c100 = mkdtempSync(join(tmpdir(), 'skipinit-cifar-100-'));
    writeFileSync(join(c100, 'train.bin'), '');
    expect(errorOf(() => loadCifar10({ dir: c100 })).message).toMatch(/looks like CIFAR-100 .*use loadCifar100/);
    const archive = join(c100, 'cifar-10-binary.tar.gz');
    writeFileSync(archive, '');
    expect(errorOf(() => loadCifar10({ dir: archive })).message).toMatch(/found a file: extract the archive/);
    expect(errorOf(() => loadCifar10({} as never)).code).toBe('data/bad-option');
  });
});

describe('loadCifar100', () => {
  function cifar100Dir(edit: (files: Record<string, Buffer>) => void = () => {}): string {
    const dir = mkdtempSync(join(tmpdir(), `skipinit-cifar100-${n++}-`));
    const files: Record<string, Buffer> = {
      'train.bin': records([[0, 4], [19, 99], [7, 50]]),
      'test.bin': records([[3, 12]], 500),
    };
    edit(files);
    for (const [f, bytes] of Object.entries(files)) writeFileSync(join(dir, f), bytes);
    return dir;
  }

  it('reads fine labels by default and coarse ones on request', () => {
    const dir = cifar100Dir();
    const fine = loadCifar100({ dir, expectCounts: false });
    expect(Array.from(fine.train.y)).toEqual([4, 99, 50]);
    expect(fine.train.numClasses).toBe(100);
    expect(fine.train.classNames).toEqual(CIFAR100_FINE_CLASSES);
    expect(fine.test.x[0]).toBe(Math.fround(pixel(500, 0, 0, 0) / 255));
    const coarse = loadCifar100({ dir, expectCounts: false, labels: 'coarse' });
    expect(Array.from(coarse.train.y)).toEqual([0, 19, 7]);
    expect(coarse.train.classNames).toEqual(CIFAR100_COARSE_CLASSES);
    expect(CIFAR100_FINE_CLASSES.length).toBe(100);
    expect(new Set(CIFAR100_FINE_CLASSES).size).toBe(100);
    expect(CIFAR100_COARSE_CLASSES.length).toBe(20);
  });

  it('checks the standard counts (50000 / 10000 records of 3074 bytes)', () => {
    const dir = cifar100Dir();
    expect(errorOf(() => loadCifar100({ dir })).message).toBe(
      `${join(dir, 'train.bin')}: expected 153700000 bytes (50000 records of 3074: 2 label bytes + ` +
        '3072 pixel bytes), found 9222 (3 records)',
    );
  });

  it('refuses a bad coarse or fine label whichever is used, and a CIFAR-10 directory', () => {
    const dir = cifar100Dir((f) => (f['train.bin'][3074 * 2 + 1] = 100));
    const e = errorOf(() => loadCifar100({ dir, expectCounts: false, labels: 'coarse' }));
    expect(e.message).toBe(
      `${join(dir, 'train.bin')}: record 2 (byte offset 6149) has fine label 100 outside [0, 100): ` +
        'not a cifar100 binary file?',
    );
    const c10 = cifar10Dir();
    expect(errorOf(() => loadCifar100({ dir: c10 })).message).toMatch(/looks like CIFAR-10 .*use loadCifar10/);
    expect(errorOf(() => loadCifar100({ dir: cifar100Dir(), labels: 'both' as never })).message).toMatch(
      /labels must be 'fine' or 'coarse', got 'both'/,
    );
  });
});
