import { describe, expect, it } from 'vitest';
import { DataError } from './errors';
import { DATASET_NAMES, loadDataset } from './load-dataset';

describe('loadDataset', () => {
  it('loads synthetic sets by name with the documented defaults', () => {
    const blobs = loadDataset('blobs', { seed: 1 });
    expect([blobs.train.length, blobs.test.length, blobs.train.numClasses]).toEqual([10000, 2000, 10]);
    expect(blobs.train.shape).toEqual([32]);
    const teacher = loadDataset('teacher', { train: 20, test: 5, classes: 3, shape: [1, 4, 4] });
    expect(teacher.train.shape).toEqual([1, 4, 4]);
    expect(teacher.train.name).toBe('teacher/train');
  });

  it('asks for a directory where one is needed', () => {
    expect(() => loadDataset('cifar10')).toThrow("loadDataset('cifar10'): give `dir`, the directory with cifar-10-batches-bin");
  });

  it('an unknown name suggests the closest', () => {
    let e: DataError | undefined;
    try {
      loadDataset('cifar-10');
    } catch (err) {
      e = err as DataError;
    }
    expect(e?.code).toBe('data/bad-option');
    expect(e?.message).toMatch(/^unknown dataset 'cifar-10'; did you mean 'cifar10'\? \(known: cifar10, /);
    expect(DATASET_NAMES).toContain('mnist');
  });
});
