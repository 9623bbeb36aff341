import { beforeEach, describe, expect, it } from 'vitest';
import { setBackend } from '../engine';
import { ReferenceBackend } from '../reference/reference-backend';
import { ones, randn, tensor } from '../creation';
import { vals } from '../test-util';
import { scaledWeightStandardization } from './weight-standardization';

beforeEach(() => {
  setBackend(new ReferenceBackend());
});

const rows = (v: number[], n: number): number[][] => Array.from({ length: v.length / n }, (_, i) => v.slice(i * n, (i + 1) * n));

describe('scaledWeightStandardization (Brock et al. 2021, section 4.1)', () => {
  it('each output row gets mean 0 and sum of squares (gain * gamma)^2, whatever the raw scale and shift', () => {
    const w = randn([4, 3, 3, 3], { mean: 5, std: 7 });
    const gamma = Math.sqrt(2 / (1 - 1 / Math.PI));
    const y = scaledWeightStandardization(w, tensor([1, 2, 0.5, 1]), { gamma, eps: 0 });
    expect(y.shape).toEqual([4, 3, 3, 3]);
    rows(vals(y), 27).forEach((r, i) => {
      expect(r.reduce((a, v) => a + v, 0)).toBeCloseTo(0, 10);
      expect(r.reduce((a, v) => a + v * v, 0)).toBeCloseTo((gamma * [1, 2, 0.5, 1][i]) ** 2, 10);
    });
  });

  it('matches the formula gain * gamma * (w - mean) / sqrt(N var + eps) on a small dense weight', () => {
    const w = tensor([
      [1, 2, 3, 6],
      [0, 0, 0, 4],
    ]);
    const y = vals(scaledWeightStandardization(w, ones([2]), { gamma: 2, eps: 0.5 }));
    const want = [
      [1, 2, 3, 6],
      [0, 0, 0, 4],
    ].flatMap((r) => {
      const m = r.reduce((a, v) => a + v, 0) / 4;
      const v = r.reduce((a, x) => a + (x - m) ** 2, 0) / 4;
      return r.map((x) => (2 * (x - m)) / Math.sqrt(4 * v + 0.5));
    });
    y.forEach((v, i) => expect(v).toBeCloseTo(want[i], 12));
  });

  it('a constant row stays finite (it becomes 0)', () => {
    expect(vals(scaledWeightStandardization(tensor([[3, 3, 3]]), ones([1])))).toEqual([0, 0, 0]);
  });

  it('errors name the op and the shapes', () => {
    expect(() => scaledWeightStandardization(ones([4]), ones([4]))).toThrow('scaledWeightStandardization: w [4], gain [4]: w needs an output axis and a fan-in (rank >= 2)');
    expect(() => scaledWeightStandardization(ones([4, 3]), ones([3]))).toThrow('gain must be [4], one per output');
    expect(() => scaledWeightStandardization(ones([4, 1]), ones([4]))).toThrow('a fan-in of 1 cannot be standardised');
    expect(() => scaledWeightStandardization(ones([4, 3]), ones([4]), { gamma: 0 })).toThrow('gamma must be a positive number, got 0');
  });
});
