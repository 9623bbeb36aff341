import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Rng } from './rng';

describe('Rng (xoshiro128**)', () => {
  it('matches the reference xoshiro128** outputs for state [1,2,3,4]', () => {
    const rng = Rng.fromState({ algorithm: 'xoshiro128**', s: [1, 2, 3, 4], spare: null });
    expect([rng.nextUint32(), rng.nextUint32(), rng.nextUint32(), rng.nextUint32()]).toEqual([11520, 0, 5927040, 70819200]);
  });

  it('one seed reproduces the stream; different seeds differ', () => {
    const draw = (seed: number) => {
      const r = new Rng(seed);
      return [r.uniform(), r.normal(), r.integers(0, 1000), r.uniform(-3, 5)];
    };
    expect(draw(42)).toEqual(draw(42));
    expect(draw(42)).not.toEqual(draw(43));
    expect(draw(0)).not.toEqual(draw(1));
    expect(draw(2 ** 40)).not.toEqual(draw(2 ** 40 + 2 ** 32)); // high bits of the seed matter
  });

  it('rejects invalid seeds', () => {
    for (const bad of [-1, 1.5, NaN, 2 ** 53]) expect(() => new Rng(bad)).toThrow(/seed must be an integer/);
  });

  it('state() round-trips exactly through JSON, including the cached Box-Muller normal', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2 ** 31 }), fc.integer({ min: 0, max: 9 }), (seed, skip) => {
        const a = new Rng(seed);
        for (let i = 0; i < skip; i++) a.normal(); // odd skips leave a spare cached
        const b = Rng.fromState(JSON.parse(JSON.stringify(a.state())));
        const drawsA = [a.normal(), a.uniform(), a.normal(), a.normal(), a.integers(0, 7)];
        const drawsB = [b.normal(), b.uniform(), b.normal(), b.normal(), b.integers(0, 7)];
        expect(drawsB).toEqual(drawsA);
      }),
    );
    const r = new Rng(3);
    r.normal();
    expect(r.state().spare).not.toBeNull();
  });

  it('fromState rejects malformed states with a clear error', () => {
    expect(() => Rng.fromState({ algorithm: 'mt19937' } as never)).toThrow(/xoshiro128\*\*/);
    expect(() => Rng.fromState({ algorithm: 'xoshiro128**', s: [1, 2, 3], spare: null } as never)).toThrow(/four unsigned/);
    expect(() => Rng.fromState({ algorithm: 'xoshiro128**', s: [0, 0, 0, 0], spare: null })).toThrow(/all-zero/);
    expect(() => Rng.fromState({ algorithm: 'xoshiro128**', s: [1, 2, 3, 2 ** 32], spare: null })).toThrow(/four unsigned/);
  });

  it('uniform and normal have the right moments', () => {
    const r = new Rng(7);
    const n = 200_000;
    let su = 0, su2 = 0, sn = 0, sn2 = 0, minU = 1, maxU = 0;
    for (let i = 0; i < n; i++) {
      const u = r.uniform();
      su += u; su2 += u * u; minU = Math.min(minU, u); maxU = Math.max(maxU, u);
      const z = r.normal(2, 3);
      sn += z; sn2 += z * z;
    }
    expect(minU).toBeGreaterThanOrEqual(0);
    expect(maxU).toBeLessThan(1);
    expect(su / n).toBeCloseTo(0.5, 2);
    expect(su2 / n - (su / n) ** 2).toBeCloseTo(1 / 12, 2);
    expect(sn / n).toBeCloseTo(2, 1);
    expect(Math.sqrt(sn2 / n - (sn / n) ** 2)).toBeCloseTo(3, 1);
  });

  it('integers are in range and roughly uniform', () => {
    const r = new Rng(11);
    const counts = new Array(7).fill(0);
    for (let i = 0; i < 70_000; i++) {
      const k = r.integers(-3, 4);
      expect(Number.isInteger(k) && k >= -3 && k < 4).toBe(true);
      counts[k + 3]++;
    }
    for (const c of counts) expect(Math.abs(c - 10_000)).toBeLessThan(500);
    expect(() => r.integers(3, 3)).toThrow(/low < high/);
    expect(() => r.integers(0, 1.5)).toThrow(/integers/);
  });

  it('shuffle and permutation give permutations, reproducibly', () => {
    const p = new Rng(5).permutation(50);
    expect([...p].sort((a, b) => a - b)).toEqual([...Array(50).keys()]);
    expect([...new Rng(5).permutation(50)]).toEqual([...p]);
    expect([...p]).not.toEqual([...Array(50).keys()]);
    const arr = ['a', 'b', 'c', 'd'];
    new Rng(1).shuffle(arr);
    expect([...arr].sort()).toEqual(['a', 'b', 'c', 'd']);
  });

  it('fork(label) is deterministic, does not advance the parent, and gives independent streams', () => {
    const a = new Rng(9);
    const before = a.state();
    const f1 = a.fork('dropout');
    const f2 = a.fork('dropout');
    const g = a.fork('init');
    expect(a.state()).toEqual(before);
    const take = (r: Rng) => Array.from({ length: 5 }, () => r.nextUint32());
    const s1 = take(f1);
    expect(take(f2)).toEqual(s1);
    expect(take(g)).not.toEqual(s1);
    expect(take(new Rng(9))).not.toEqual(s1);
    // correlation between forked streams is negligible
    const x = a.fork('x');
    const y = a.fork('y');
    let sxy = 0;
    for (let i = 0; i < 50_000; i++) sxy += x.normal() * y.normal();
    expect(Math.abs(sxy / 50_000)).toBeLessThan(0.02);
  });

  it('split() advances the parent and differs from it', () => {
    const a = new Rng(4);
    const s = a.state();
    const child = a.split();
    expect(a.state()).not.toEqual(s);
    expect(child.nextUint32()).not.toBe(new Rng(4).nextUint32());
  });

  it('fills typed arrays', () => {
    const v = new Rng(0).fillNormal(new Float32Array(1000), 1, 0.5);
    const mean = v.reduce((a, b) => a + b, 0) / v.length;
    expect(mean).toBeCloseTo(1, 1);
    const u = new Rng(0).fillUniform(new Float64Array(100), -2, -1);
    expect(u.every((x) => x >= -2 && x < -1)).toBe(true);
  });
});
