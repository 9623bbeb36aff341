import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { classCounts, createDataset, type Dataset } from './dataset';
import { trainValidationSplit } from './split';

/** N examples of one feature equal to their index, with labels of the given class sizes. */
function labelled(sizes: number[]): Dataset {
  const y: number[] = [];
  sizes.forEach((s, c) => {
    for (let i = 0; i < s; i++) y.push(c);
  });
  // interleave the classes so that order and class are unrelated
  const order = y.map((_, i) => i).sort((a, b) => ((a * 7919) % y.length) - ((b * 7919) % y.length));
  const ys = Int32Array.from(order.map((i) => y[i]));
  return createDataset({ name: 'toy/train', x: Float32Array.from(ys, (_, i) => i), y: ys, shape: [1], numClasses: sizes.length });
}

describe('trainValidationSplit', () => {
  it('gives exact sizes, disjoint parts that cover the data, and keeps the dataset order', () => {
    const ds = labelled([50, 30, 20]);
    for (const stratify of [true, false]) {
      const { train, validation } = trainValidationSplit(ds, { size: 25, seed: 1, stratify });
      expect([train.length, validation.length]).toEqual([75, 25]);
      expect([train.name, validation.name]).toEqual(['toy/train', 'toy/validation']);
      const ids = [...train.x, ...validation.x].sort((a, b) => a - b);
      expect(ids).toEqual(Array.from({ length: 100 }, (_, i) => i));
      for (const part of [train, validation]) {
        for (let i = 1; i < part.length; i++) expect(part.x[i]).toBeGreaterThan(part.x[i - 1]);
        for (let i = 0; i < part.length; i++) expect(part.y[i]).toBe(ds.y[part.x[i]]); // labels travel with examples
      }
    }
  });

  it('stratified: every class keeps its share to within one example (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 1, max: 40 }), { minLength: 2, maxLength: 6 }),
        fc.double({ min: 0.05, max: 0.95, noNaN: true }),
        fc.integer(),
        (sizes, fraction, seed) => {
          const ds = labelled(sizes);
          const count = Math.round(fraction * ds.length);
          fc.pre(count >= 1 && count < ds.length);
          const { validation } = trainValidationSplit(ds, { size: count, seed });
          expect(validation.length).toBe(count);
          const got = classCounts(validation);
          sizes.forEach((s, c) => expect(Math.abs(got[c] - (s * count) / ds.length)).toBeLessThan(1));
        },
      ),
      { seed: 3, numRuns: 200 },
    );
  });

  it('accepts a fraction, is a pure function of the seed, and differs between seeds', () => {
    const ds = labelled([60, 40]);
    const a = trainValidationSplit(ds, { size: 0.2, seed: 5 });
    const b = trainValidationSplit(ds, { size: 0.2, seed: 5 });
    const c = trainValidationSplit(ds, { size: 0.2, seed: 6 });
    expect(a.validation.length).toBe(20);
    expect(Array.from(a.validation.x)).toEqual(Array.from(b.validation.x));
    expect(Array.from(a.validation.x)).not.toEqual(Array.from(c.validation.x));
    expect(Array.from(classCounts(a.validation))).toEqual([12, 8]);
  });

  it('refuses sizes that leave no training or no validation data', () => {
    const ds = labelled([3, 3]);
    expect(() => trainValidationSplit(ds, { size: 6, seed: 0 })).toThrow(
      'trainValidationSplit(toy/train): validation size 6 must be in [1, 5] for 6 examples',
    );
    expect(() => trainValidationSplit(ds, { size: 0.01, seed: 0 })).toThrow(/validation size 0 must be in \[1, 5\]/);
    expect(() => trainValidationSplit(ds, { size: 2.5, seed: 0 })).toThrow(/must be an integer, got 2.5/);
    expect(() => trainValidationSplit(ds, { size: -1, seed: 0 })).toThrow(/a count >= 1 or a fraction in \(0, 1\), got -1/);
  });
});
