import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { channelStats, FLOAT32_MAX } from './channel-stats';

describe('channelStats', () => {
  test('hand-computed values for [N=2, C=2, 2] (per channel: mean over batch and space)', () => {
    // channel 0 holds 1, 3 (example 0) and 5, 7 (example 1): mean 4, variance (9+1+1+9)/4 = 5
    // channel 1 holds 0, 0 and 2, -2: mean 0, variance (0+0+4+4)/4 = 2
    const s = channelStats([1, 3, 0, 0, 5, 7, 2, -2], [2, 2, 2]);
    expect(s.squaredMean).toBe((16 + 0) / 2);
    expect(s.variance).toBe((5 + 2) / 2);
    expect(s.secondMoment).toBe(11.5);
    expect(s.finite).toBe(true);
  });

  test('a flat batch [N, F]: every feature is a channel', () => {
    const s = channelStats([1, 10, 3, 30], [2, 2]);
    expect(s.squaredMean).toBe((4 + 400) / 2);
    expect(s.variance).toBe((1 + 100) / 2);
  });

  test('squared mean + variance = mean of squares (population variance), for any batch', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 4 }),
        fc.integer({ min: 1, max: 4 }),
        fc.integer({ min: 1, max: 3 }),
        fc.array(fc.float({ min: -1e3, max: 1e3, noNaN: true }), { minLength: 48, maxLength: 48 }),
        (n, c, s, pool) => {
          const data = pool.slice(0, n * c * s);
          const st = channelStats(data, [n, c, s]);
          const meanSquares = data.reduce((a, v) => a + v * v, 0) / data.length;
          expect(st.secondMoment!).toBeCloseTo(meanSquares, 6);
          expect(st.variance!).toBeGreaterThanOrEqual(0);
        },
      ),
    );
  });

  test('a non-finite value, or one beyond float32 from a float64 engine, makes every statistic null', () => {
    for (const bad of [Infinity, -Infinity, NaN, FLOAT32_MAX * 2]) {
      const s = channelStats([1, 2, bad, 4], [2, 2]);
      expect(s).toEqual({ squaredMean: null, variance: null, secondMoment: null, finite: false });
    }
  });

  test('values near float32 overflow still have a finite variance (sums in float64)', () => {
    const big = 3e38;
    const s = channelStats([big, -big, big, -big], [4, 1]);
    expect(s.finite).toBe(true);
    expect(s.variance).toBeCloseTo(big * big, -70);
  });

  test('bad shapes are errors that say what was given', () => {
    expect(() => channelStats([1, 2, 3], [3])).toThrow(/rank >= 2.*\[3\]/);
    expect(() => channelStats([1, 2, 3], [2, 2])).toThrow(/holds 4 values, but 3 were given/);
    expect(() => channelStats([], [0, 2])).toThrow(/no values/);
  });
});
