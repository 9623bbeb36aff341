import { describe, expect, it } from 'vitest';
import { createDataset, type Dataset } from './dataset';
import { DataError } from './errors';
import { fitNormalization, normalize, normalizedValue } from './normalization';
import { prepare } from './prepare';
import { Rng } from './rng';

/** N images [C, 2, 2] whose channel c values are drawn N(mu[c], sigma[c]^2). */
function images(n: number, mu: number[], sigma: number[], seed: number): Dataset {
  const rng = new Rng(seed);
  const c = mu.length;
  const x = new Float32Array(n * c * 4);
  for (let i = 0; i < n; i++)
    for (let ch = 0; ch < c; ch++)
      for (let p = 0; p < 4; p++) x[(i * c + ch) * 4 + p] = mu[ch] + sigma[ch] * rng.normal();
  return createDataset({ name: 'img/train', x, y: new Int32Array(n).map((_, i) => i % 2), shape: [c, 2, 2], numClasses: 2 });
}

describe('fitNormalization', () => {
  it('computes per-channel mean and population std, exactly on a hand-made example', () => {
    // Two examples [2 channels, 1 x 2]: channel 0 = {1, 3, 5, 7}, channel 1 = {10, 10, 10, 10}.
    const ds = createDataset({
      name: 't',
      x: Float32Array.from([1, 3, 10, 10, 5, 7, 10, 10]),
      y: Int32Array.from([0, 1]),
      shape: [2, 1, 2],
      numClasses: 2,
    });
    const norm = fitNormalization(ds);
    expect(norm.mean).toEqual([4, 10]);
    // std of {1, 3, 5, 7} with divisor 4 is sqrt(5); a constant channel gets std 1 (only centred).
    expect(norm.std[0]).toBeCloseTo(Math.sqrt(5), 12);
    expect(norm.std[1]).toBe(1);
    const out = normalize(ds, norm);
    expect(Array.from(out.x).map((v) => +v.toFixed(5))).toEqual(
      [-3, -1, 0, 0, 1, 3, 0, 0].map((v, i) => +(i % 4 < 2 ? v / Math.sqrt(5) : 0).toFixed(5)),
    );
    expect(out.normalization).toEqual(norm);
    expect(ds.x[0]).toBe(1); // the input is untouched
  });

  it('recovers the statistics of each channel; the result has mean 0 and std 1 per channel', () => {
    const ds = images(5000, [0.5, -2, 10], [0.1, 3, 0.5], 1);
    const norm = fitNormalization(ds);
    [0.5, -2, 10].forEach((m, c) => expect(norm.mean[c]).toBeCloseTo(m, 1));
    [0.1, 3, 0.5].forEach((s, c) => expect(norm.std[c] / s).toBeCloseTo(1, 1));
    const again = fitNormalization({ ...normalize(ds, norm), normalization: undefined } as Dataset);
    again.mean.forEach((m) => expect(Math.abs(m)).toBeLessThan(1e-5));
    again.std.forEach((s) => expect(s).toBeCloseTo(1, 5));
  });

  it('treats flat features [D] as D channels (a standard scaler)', () => {
    const ds = createDataset({ name: 'f', x: Float32Array.from([0, 10, 2, 30]), y: Int32Array.from([0, 1]), shape: [2], numClasses: 2 });
    expect(fitNormalization(ds)).toEqual({ mean: [1, 20], std: [1, 10] });
  });

  it('refuses double normalisation and statistics of the wrong width', () => {
    const ds = images(10, [0, 0], [1, 1], 2);
    const norm = fitNormalization(ds);
    const done = normalize(ds, norm);
    expect(() => normalize(done, norm)).toThrow(/already normalised/);
    expect(() => fitNormalization(done)).toThrow(/already normalised; fit on the raw training split/);
    const e = (() => {
      try {
        normalize(ds, { mean: [0], std: [1] });
      } catch (err) {
        return err as DataError;
      }
    })();
    expect(e?.code).toBe('data/bad-option');
    expect(e?.message).toBe(
      'normalize(img/train): statistics for 1 channel(s) (mean) / 1 (std), the data has 2 (shape [2, 2, 2])',
    );
    expect(() => normalize(ds, { mean: [0, 0], std: [1, 0] })).toThrow(/std finite and > 0/);
  });

  it('normalizedValue gives the normalised colour of a raw value (black for padding)', () => {
    expect(Array.from(normalizedValue({ mean: [0.5, 0.25], std: [0.25, 0.5] }, 0))).toEqual([-2, -0.5]);
  });
});

describe('prepare', () => {
  it('fits on the training part only and applies the same statistics to every split', () => {
    const train = images(400, [1, 2], [1, 1], 3);
    const test = { ...images(100, [5, 5], [1, 1], 4), name: 'img/test' };
    const p = prepare({ train, test }, { validation: 100, seed: 7 });
    expect([p.train.length, p.validation?.length, p.test.length]).toEqual([300, 100, 100]);
    const trainPart = p.train.normalization!;
    expect(p.test.normalization).toEqual(trainPart);
    expect(p.validation!.normalization).toEqual(trainPart);
    expect(p.normalization).toEqual(trainPart);
    // The statistics are those of the 300 remaining training examples, not of all 400 nor of test.
    const raw = prepare({ train, test }, { validation: 100, seed: 7, normalize: false });
    expect(fitNormalization(raw.train)).toEqual(trainPart);
    expect(fitNormalization(train)).not.toEqual(trainPart);
    // Test data is shifted by the training mean, so its mean stays far from 0.
    expect(fitNormalization({ ...p.test, normalization: undefined } as Dataset).mean[0]).toBeGreaterThan(3);
  });

  it('in place overwrites the arrays instead of copying them', () => {
    const train = images(20, [1], [1], 5);
    const test = images(5, [1], [1], 6);
    const before = test.x;
    const p = prepare({ train, test }, { inPlace: true });
    expect(p.test.x).toBe(before);
    expect(p.train.x).toBe(train.x);
  });
});
