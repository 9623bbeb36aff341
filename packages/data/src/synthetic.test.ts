import { describe, expect, it } from 'vitest';
import { classCounts, featureSize } from './dataset';
import { gaussianClusters } from './gaussian-clusters';
import { teacherLogits, teacherNetwork } from './teacher';

/** Typed-array equality without vitest's diff (which is slow on large arrays when they differ). */
function same(a: ArrayLike<number>, b: ArrayLike<number>): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (!Object.is(a[i], b[i])) return false;
  return true;
}

describe('gaussianClusters', () => {
  const opts = { shape: 8, classes: 4, train: 402, test: 100, seed: 3 };

  it('is a pure function of its options; the seed changes everything', () => {
    const a = gaussianClusters(opts);
    const b = gaussianClusters(opts);
    const c = gaussianClusters({ ...opts, seed: 4 });
    expect(same(a.train.x, b.train.x)).toBe(true);
    expect(same(a.test.y, b.test.y)).toBe(true);
    expect(same(a.train.x, c.train.x)).toBe(false);
    expect(same(a.train.x, a.test.x.slice(0, a.train.x.length))).toBe(false); // test is not a copy of train
  });

  it('balances the classes and places each example near its centre with the given noise', () => {
    const { train, centres } = gaussianClusters({ ...opts, noise: 0.5 });
    expect(Array.from(classCounts(train))).toEqual([101, 101, 100, 100]);
    let ss = 0;
    for (let i = 0; i < train.length; i++)
      for (let j = 0; j < 8; j++) ss += (train.x[i * 8 + j] - centres[train.y[i] * 8 + j]) ** 2;
    expect(Math.sqrt(ss / (train.length * 8))).toBeCloseTo(0.5, 1);
  });

  it('separation sets the mean distance between centres; nearest-centre accuracy follows Phi(-sep/2)', () => {
    const { test, centres } = gaussianClusters({ shape: [3, 8, 8], classes: 10, train: 10, test: 4000, seed: 1, separation: 8 });
    expect(test.shape).toEqual([3, 8, 8]);
    const d = featureSize(test.shape);
    let sum = 0;
    let pairs = 0;
    for (let a = 0; a < 10; a++)
      for (let b = a + 1; b < 10; b++) {
        let s = 0;
        for (let j = 0; j < d; j++) s += (centres[a * d + j] - centres[b * d + j]) ** 2;
        sum += Math.sqrt(s);
        pairs++;
      }
    expect(sum / pairs).toBeCloseTo(8, 0);
    let right = 0;
    for (let i = 0; i < test.length; i++) {
      let best = 0;
      let bestD = Infinity;
      for (let c = 0; c < 10; c++) {
        let s = 0;
        for (let j = 0; j < d; j++) s += (test.x[i * d + j] - centres[c * d + j]) ** 2;
        if (s < bestD) [best, bestD] = [c, s];
      }
      if (best === test.y[i]) right++;
    }
    // Each of 9 rivals errs with probability about Phi(-4) = 3e-5: nearly all are right.
    expect(right / test.length).toBeGreaterThan(0.99);
  });

  it('refuses bad options', () => {
    expect(() => gaussianClusters({ ...opts, classes: 1 })).toThrow('gaussianClusters: classes must be an integer >= 2, got 1');
    expect(() => gaussianClusters({ ...opts, shape: [3, 0] })).toThrow(/shape must be positive integers, got \[3, 0\]/);
    expect(() => gaussianClusters({ ...opts, noise: -1 })).toThrow(/noise must be >= 0/);
  });
});

describe('teacherNetwork', () => {
  const opts = { shape: 12, classes: 5, hidden: [16, 8], train: 300, test: 50, seed: 2 };

  it('labels every input with the argmax of its own network', () => {
    const { train, teacher } = teacherNetwork(opts);
    expect(teacher.sizes).toEqual([12, 16, 8, 5]);
    expect(teacher.weights.map((w) => w.length)).toEqual([16 * 12, 8 * 16, 5 * 8]);
    for (let i = 0; i < train.length; i++) {
      const logits = teacherLogits(teacher, train.x.subarray(i * 12, (i + 1) * 12));
      expect(logits.indexOf(Math.max(...logits))).toBe(train.y[i]);
    }
    // a random teacher uses more than one class
    expect(classCounts(train).filter((c) => c > 0).length).toBeGreaterThan(2);
  });

  it('is deterministic; labelNoise flips about that share of labels', () => {
    const a = teacherNetwork(opts);
    expect(same(teacherNetwork(opts).train.y, a.train.y)).toBe(true);
    expect(same(teacherNetwork({ ...opts, seed: 3 }).train.x, a.train.x)).toBe(false);
    const noisy = teacherNetwork({ ...opts, train: 4000, labelNoise: 0.2, activation: 'relu' });
    const clean = teacherNetwork({ ...opts, train: 4000, activation: 'relu' });
    expect(same(noisy.train.x, clean.train.x)).toBe(true);
    let flipped = 0;
    for (let i = 0; i < 4000; i++) if (noisy.train.y[i] !== clean.train.y[i]) flipped++;
    expect(flipped / 4000).toBeCloseTo(0.2, 1);
  });

  it('refuses bad options', () => {
    expect(() => teacherNetwork({ ...opts, hidden: [0] })).toThrow(/hidden widths must be integers >= 1/);
    expect(() => teacherNetwork({ ...opts, activation: 'gelu' as never })).toThrow(/activation must be 'tanh' or 'relu'/);
    expect(() => teacherNetwork({ ...opts, labelNoise: 2 })).toThrow(/labelNoise must be in \[0, 1\]/);
  });
});
