import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Rng, streamKey } from './rng';

describe('Rng (xoshiro128**)', () => {
  it('matches the reference C implementation of xoshiro128** 1.1', () => {
    // Outputs of Blackman & Vigna's xoshiro128starstar.c, compiled with gcc, from the states shown.
    const a = Rng.fromState([1, 2, 3, 4]);
    expect(Array.from({ length: 8 }, () => a.nextUint32())).toEqual([
      11520, 0, 5927040, 70819200, 2031721883, 1637235492, 1287239034, 3734860849,
    ]);
    const b = Rng.fromState([0x9e3779b9, 0x12345678, 0xdeadbeef, 0xcafebabe]);
    for (let i = 0; i < 1000; i++) b.nextUint32();
    expect(Array.from({ length: 4 }, () => b.nextUint32())).toEqual([1320115819, 4041874566, 2974328296, 2940586687]);
  });

  it('is a pure function of its seed and stream parts, and state() resumes the stream exactly', () => {
    const draw = (r: Rng) => Array.from({ length: 5 }, () => r.nextUint32());
    expect(draw(new Rng(42, 1, 7))).toEqual(draw(new Rng(42, 1, 7)));
    expect(draw(new Rng(42, 1, 7))).not.toEqual(draw(new Rng(42, 1, 8)));
    expect(draw(new Rng(42))).not.toEqual(draw(new Rng(43)));
    const r = new Rng(5);
    draw(r);
    const saved = JSON.parse(JSON.stringify(r.state()));
    const rest = draw(r);
    expect(draw(Rng.fromState(saved))).toEqual(rest);
  });

  it('keys differ for different seeds and parts, including large and negative seeds', () => {
    const keys = new Set<number>();
    for (const seed of [0, 1, -1, 2 ** 32, 2 ** 32 + 1, Number.MAX_SAFE_INTEGER, -(2 ** 40)]) {
      for (const parts of [[], [0], [1], [0, 0], [0, 1], [1, 0]]) keys.add(streamKey(seed, ...parts));
    }
    expect(keys.size).toBe(7 * 6);
  });

  it('refuses bad seeds, parts and states', () => {
    expect(() => new Rng(0.5)).toThrow(/seed must be a safe integer, got 0.5/);
    expect(() => new Rng(0, -1)).toThrow(/parts must be integers in \[0, 2\^32\), got -1/);
    expect(() => Rng.fromState([0, 0, 0, 0])).toThrow(/all-zero/);
    expect(() => Rng.fromState([1, 2, 3] as never)).toThrow(/4 uint32 words/);
  });

  it('random() is in [0, 1) with mean 1/2 and variance 1/12', () => {
    const r = new Rng(1);
    const n = 200_000;
    let s = 0;
    let s2 = 0;
    let outside = 0;
    for (let i = 0; i < n; i++) {
      const u = r.random();
      if (!(u >= 0 && u < 1)) outside++;
      s += u;
      s2 += u * u;
    }
    expect(outside).toBe(0);
    // 5 standard errors: a failure here is a real bias, not bad luck.
    expect(Math.abs(s / n - 0.5)).toBeLessThan(5 * Math.sqrt(1 / 12 / n));
    expect(Math.abs(s2 / n - (s / n) ** 2 - 1 / 12)).toBeLessThan(0.001);
  });

  it('randint(n) is uniform on [0, n) (chi-square) and exact for n up to 2^32', () => {
    const r = new Rng(2);
    const n = 7;
    const counts = new Array(n).fill(0);
    const draws = 70_000;
    for (let i = 0; i < draws; i++) counts[r.randint(n)]++;
    const e = draws / n;
    const chi2 = counts.reduce((a, c) => a + (c - e) ** 2 / e, 0);
    expect(chi2).toBeLessThan(22.5); // p = 0.001 for 6 degrees of freedom
    for (const big of [2 ** 32, 2 ** 32 - 1, 3 * 2 ** 30, 2 ** 31 + 1]) {
      let bad = 0;
      for (let i = 0; i < 1000; i++) {
        const v = r.randint(big);
        if (!(Number.isInteger(v) && v >= 0 && v < big)) bad++;
      }
      expect(bad).toBe(0);
    }
    // randint(2^32) is the raw 32-bit draw, by construction of the multiply-high.
    const a = new Rng(3);
    const b = new Rng(3);
    for (let i = 0; i < 100; i++) expect(a.randint(2 ** 32)).toBe(b.nextUint32());
    expect(() => r.randint(0)).toThrow(/n must be an integer in \[1, 2\^32\], got 0/);
  });

  it('normal() has mean 0 and variance 1', () => {
    const r = new Rng(4);
    const n = 200_000;
    let s = 0;
    let s2 = 0;
    for (let i = 0; i < n; i++) {
      const z = r.normal();
      s += z;
      s2 += z * z;
    }
    expect(Math.abs(s / n)).toBeLessThan(5 / Math.sqrt(n));
    expect(Math.abs(s2 / n - 1)).toBeLessThan(5 * Math.sqrt(2 / n));
  });

  it('permutation(n) is a permutation of 0..n-1 (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 300 }), fc.integer(), (n, seed) => {
        const p = Array.from(new Rng(seed).permutation(n)).sort((a, b) => a - b);
        expect(p).toEqual(Array.from({ length: n }, (_, i) => i));
      }),
      { seed: 1 },
    );
  });

  it('every position of a shuffle is equally likely (3 elements, 6 orders)', () => {
    const r = new Rng(9);
    const counts = new Map<string, number>();
    for (let i = 0; i < 60_000; i++) {
      const key = r.permutation(3).join('');
      counts.set(key, (counts.get(key) ?? 0) + 1);
    }
    expect(counts.size).toBe(6);
    for (const c of counts.values()) expect(Math.abs(c - 10_000)).toBeLessThan(500); // ~5 sd
  });
});
