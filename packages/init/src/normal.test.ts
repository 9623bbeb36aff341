import { describe, expect, it } from 'vitest';
import { SeededRng } from '../test/seeded-rng';
import { Z, zScores } from '../test/moments';
import { fillNormal, standardNormal, ZIGGURAT_F, ZIGGURAT_X } from './normal';

/** The standard normal CDF via erfc's continued-fraction-free series (Abramowitz & Stegun 26.2.17 is too coarse): numeric integration. */
function upperTail(t: number): number {
  // P(Z > t) = integral_t^inf phi; Simpson on [t, t + 12] with 20000 steps (error << 1e-12).
  const n = 20000;
  const h = 12 / n;
  const phi = (x: number) => Math.exp(-0.5 * x * x) / Math.sqrt(2 * Math.PI);
  let s = phi(t) + phi(t + 12);
  for (let i = 1; i < n; i++) s += (i % 2 === 0 ? 2 : 4) * phi(t + i * h);
  return (s * h) / 3;
}

describe('standardNormal (ziggurat)', () => {
  it('has layers of equal area v and closes at x_128 = 0', () => {
    const v = ZIGGURAT_X[1] * (ZIGGURAT_F[2] - ZIGGURAT_F[1]);
    for (let i = 1; i < 127; i++) expect(ZIGGURAT_X[i] * (ZIGGURAT_F[i + 1] - ZIGGURAT_F[i])).toBeCloseTo(v, 10);
    expect(ZIGGURAT_X[127]).toBeGreaterThan(0);
    expect(ZIGGURAT_X[127] * (1 - ZIGGURAT_F[127])).toBeCloseTo(v, 6);
    expect(ZIGGURAT_X[128]).toBe(0);
  });

  const n = 2_000_000;
  const draws = new Float64Array(n);
  const rng = new SeededRng(2020);
  for (let i = 0; i < n; i++) draws[i] = standardNormal(rng);

  it('mean 0, variance 1, fourth moment 3 (5 sigma)', () => {
    const z = zScores(draws, 'normal', 1);
    expect(Math.abs(z.mean)).toBeLessThan(Z);
    expect(Math.abs(z.m2)).toBeLessThan(Z);
    expect(Math.abs(z.m4)).toBeLessThan(Z);
  });

  it('puts the right mass in every band, tails included (P(|z| > t) within 5 binomial sigma, t = 0.25 .. 4.5)', () => {
    for (const t of [0.25, 0.5, 1, 1.5, 2, 2.5, 3, 3.442619855899, 4, 4.5]) {
      const p = 2 * upperTail(t);
      let count = 0;
      for (let i = 0; i < n; i++) if (Math.abs(draws[i]) > t) count++;
      const sd = Math.sqrt(n * p * (1 - p));
      expect(Math.abs(count - n * p), `t = ${t}: ${count} vs ${n * p}`).toBeLessThan(Z * sd + 1);
    }
  });

  it('fillNormal gives exactly the draws of std * standardNormal, in order', () => {
    const a = fillNormal(new Float32Array(50_000), 0.5, new SeededRng(77));
    const r = new SeededRng(77);
    const b = Float32Array.from({ length: 50_000 }, () => 0.5 * standardNormal(r));
    expect(a).toEqual(b);
  });

  it('is symmetric and uses about one uniform per draw', () => {
    let pos = 0;
    for (let i = 0; i < n; i++) if (draws[i] > 0) pos++;
    expect(Math.abs(pos - n / 2)).toBeLessThan(Z * Math.sqrt(n / 4));
    const r = new SeededRng(1);
    for (let i = 0; i < 100_000; i++) standardNormal(r);
    expect(r.draws / 100_000).toBeGreaterThan(1);
    expect(r.draws / 100_000).toBeLessThan(1.05);
  });
});
