import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SeededRng } from '../test/seeded-rng';
import { Z, zScores } from '../test/moments';
import { fans } from './fans';
import { kaimingNormal, kaimingUniform, lecunNormal, xavierNormal, xavierUniform } from './variance-scaling';
import { InitError } from './errors';

// Each initialiser's sample mean, second and fourth moment must lie within Z = 5 sampling standard
// deviations of the formula's (test/moments.ts). The fourth moment tells a normal (3 var^2) from a
// uniform (9/5 var^2), so a uniform initialiser that drew normals would fail.

const conv = [64, 32, 3, 3]; // fanIn 288, fanOut 576, 18432 values
const dense = [300, 500]; // fanIn 500, fanOut 300, 150000 values

function expectWithin(values: Float32Array, kind: 'normal' | 'uniform', variance: number): void {
  const z = zScores(values, kind, variance);
  expect(Math.abs(z.mean), `mean z = ${z.mean}`).toBeLessThan(Z);
  expect(Math.abs(z.m2), `variance z = ${z.m2}`).toBeLessThan(Z);
  expect(Math.abs(z.m4), `fourth moment z = ${z.m4}`).toBeLessThan(Z);
}

describe('variance-scaling initialisers: sample moments within 5 sigma of the formula', () => {
  for (const shape of [conv, dense]) {
    const f = fans(shape);
    it(`kaimingNormal ${shape}: N(0, 2/fanIn); fan_out and tanh variants`, () => {
      expectWithin(kaimingNormal(shape, f, new SeededRng(1)), 'normal', 2 / f.fanIn);
      expectWithin(kaimingNormal(shape, f, new SeededRng(2), { mode: 'fan_out' }), 'normal', 2 / f.fanOut);
      expectWithin(kaimingNormal(shape, f, new SeededRng(3), { nonlinearity: 'tanh' }), 'normal', (25 / 9) / f.fanIn);
      expectWithin(kaimingNormal(shape, f, new SeededRng(4), { nonlinearity: 'leaky_relu', a: 0.2 }), 'normal', 2 / (1 + 0.04) / f.fanIn);
    });
    it(`kaimingUniform ${shape}: U(-b, b), b = sqrt(6/fanIn), inside the bound`, () => {
      const v = kaimingUniform(shape, f, new SeededRng(5));
      expectWithin(v, 'uniform', 2 / f.fanIn);
      const b = Math.sqrt(6 / f.fanIn);
      expect(v.every((x) => x >= -Math.fround(b) && x < Math.fround(b))).toBe(true);
      expectWithin(kaimingUniform(shape, f, new SeededRng(6), { mode: 'fan_out', nonlinearity: 'linear' }), 'uniform', 1 / f.fanOut);
    });
    it(`xavierNormal ${shape}: N(0, 2/(fanIn+fanOut)), with gain`, () => {
      expectWithin(xavierNormal(shape, f, new SeededRng(7)), 'normal', 2 / (f.fanIn + f.fanOut));
      expectWithin(xavierNormal(shape, f, new SeededRng(8), { gain: 3 }), 'normal', 9 * 2 / (f.fanIn + f.fanOut));
    });
    it(`xavierUniform ${shape}: U(-b, b), b = sqrt(6/(fanIn+fanOut))`, () => {
      const v = xavierUniform(shape, f, new SeededRng(9));
      expectWithin(v, 'uniform', 2 / (f.fanIn + f.fanOut));
      const b = Math.fround(Math.sqrt(6 / (f.fanIn + f.fanOut)));
      expect(v.every((x) => x >= -b && x < b)).toBe(true);
    });
    it(`lecunNormal ${shape}: N(0, 1/fanIn)`, () => {
      expectWithin(lecunNormal(shape, f, new SeededRng(10)), 'normal', 1 / f.fanIn);
    });
  }

  it('a wrong variance is caught (the band is not vacuous)', () => {
    const f = fans(dense);
    const v = kaimingNormal(dense, f, new SeededRng(11));
    expect(Math.abs(zScores(v, 'normal', (2 / f.fanIn) * 1.05).m2)).toBeGreaterThan(Z); // 5% off: z about 14
    expect(Math.abs(zScores(kaimingUniform(dense, f, new SeededRng(12)), 'normal', 2 / f.fanIn).m4)).toBeGreaterThan(Z);
  });

  it('property: any shape and seed, every variance-scaling initialiser (fast-check, fixed seed)', () => {
    const kinds = [
      { name: 'he', kind: 'normal', run: kaimingNormal, variance: (fi: number) => 2 / fi },
      { name: 'he_uniform', kind: 'uniform', run: kaimingUniform, variance: (fi: number) => 2 / fi },
      { name: 'xavier', kind: 'normal', run: xavierNormal, variance: (fi: number, fo: number) => 2 / (fi + fo) },
      { name: 'xavier_uniform', kind: 'uniform', run: xavierUniform, variance: (fi: number, fo: number) => 2 / (fi + fo) },
      { name: 'lecun', kind: 'normal', run: lecunNormal, variance: (fi: number) => 1 / fi },
    ] as const;
    const shape = fc.oneof(
      fc.tuple(fc.integer({ min: 40, max: 200 }), fc.integer({ min: 40, max: 200 })),
      fc.tuple(fc.integer({ min: 8, max: 64 }), fc.integer({ min: 4, max: 32 }), fc.constantFrom(1, 3, 5), fc.constant(0)).map(
        ([o, i, k]) => [o, i, k, k],
      ),
    );
    fc.assert(
      fc.property(shape, fc.integer({ min: 0, max: 2 ** 30 }), fc.constantFrom(...kinds), (s, seed, k) => {
        const f = fans(s);
        const values = k.run(s, f, new SeededRng(seed));
        expect(values.length).toBe(s.reduce((a, b) => a * b, 1));
        const z = zScores(values, k.kind, k.variance(f.fanIn, f.fanOut));
        return Math.abs(z.mean) < Z && Math.abs(z.m2) < Z && Math.abs(z.m4) < Z;
      }),
      { seed: 20200224, numRuns: 60 },
    );
  });

  it('is pure: the same draws for the same rng state, fresh arrays each call', () => {
    const f = fans(conv);
    const a = kaimingNormal(conv, f, new SeededRng(3));
    const b = kaimingNormal(conv, f, new SeededRng(3));
    expect(b).toEqual(a);
    expect(b).not.toBe(a);
  });

  it('rejects bad fans, modes and shapes with the initialiser named', () => {
    const rng = new SeededRng(0);
    expect(() => kaimingNormal([4, 4], { fanIn: 0, fanOut: 4 }, rng)).toThrow(/kaimingNormal: fans must be positive/);
    expect(() => kaimingNormal([4, 4], fans([4, 4]), rng, { mode: 'fan_avg' as never })).toThrow(/kaimingNormal: mode must be/);
    expect(() => xavierUniform([4, 0], fans([4, 4]), rng)).toThrow(InitError);
    expect(() => xavierNormal([4, 4], fans([4, 4]), rng, { gain: NaN })).toThrow(/xavierNormal: gain NaN/);
  });
});
