import { describe, expect, it } from 'vitest';
import { Xoshiro128, invalidWords, shuffle } from './xoshiro128';

describe('Xoshiro128', () => {
  it('matches the reference C implementation of xoshiro128** 1.1', () => {
    // Outputs of Blackman & Vigna's xoshiro128starstar.c, compiled with gcc, from the states shown.
    const a = new Xoshiro128([1, 2, 3, 4]);
    expect(Array.from({ length: 8 }, () => a.nextUint32())).toEqual([11520, 0, 5927040, 70819200, 2031721883, 1637235492, 1287239034, 3734860849]);
    const b = new Xoshiro128([0x9e3779b9, 0x12345678, 0xdeadbeef, 0xcafebabe]);
    for (let i = 0; i < 1000; i++) b.nextUint32();
    expect(Array.from({ length: 4 }, () => b.nextUint32())).toEqual([1320115819, 4041874566, 2974328296, 2940586687]);
  });

  it('words() is the state: a generator made from it continues the stream exactly', () => {
    const a = new Xoshiro128([5, 6, 7, 8]);
    for (let i = 0; i < 10; i++) a.nextUint32();
    const b = new Xoshiro128(JSON.parse(JSON.stringify(a.words())));
    expect(Array.from({ length: 5 }, () => b.nextUint32())).toEqual(Array.from({ length: 5 }, () => a.nextUint32()));
  });

  it('never holds the all-zero state (it would stay there)', () => {
    expect(new Xoshiro128([0, 0, 0, 0]).words()).toEqual([1, 0, 0, 0]);
    expect(invalidWords([0, 0, 0, 0])).toMatch(/all-zero/);
    expect(invalidWords([1, 2, 3])).toMatch(/expected 4 uint32 words, got \[1,2,3\]/);
    expect(invalidWords([1, 2, 3, 2 ** 32])).toMatch(/expected 4 uint32 words/);
    expect(invalidWords([1, 2, 3, 4])).toBeNull();
  });

  it('random() takes 53 bits from two outputs, in [0, 1)', () => {
    const a = new Xoshiro128([1, 2, 3, 4]);
    const b = new Xoshiro128([1, 2, 3, 4]);
    const u = a.random();
    expect(u).toBe(((b.nextUint32() >>> 5) * 2 ** 26 + (b.nextUint32() >>> 6)) / 2 ** 53);
    for (let i = 0; i < 10_000; i++) {
      const v = a.random();
      expect(v >= 0 && v < 1).toBe(true);
    }
  });
});

describe('shuffle', () => {
  it('is Fisher-Yates from the end with the draw it is given', () => {
    const draws: number[] = [];
    const out = shuffle([0, 1, 2, 3], (n) => (draws.push(n), 0));
    expect(draws).toEqual([4, 3, 2]);
    expect(out).toEqual([1, 2, 3, 0]);
  });

  it('gives every order of 3 elements equally often', () => {
    const g = new Xoshiro128([9, 8, 7, 6]);
    const below = (n: number) => Math.floor(g.random() * n);
    const counts = new Map<string, number>();
    for (let i = 0; i < 60_000; i++) {
      const key = shuffle([0, 1, 2], below).join('');
      counts.set(key, (counts.get(key) ?? 0) + 1);
    }
    expect(counts.size).toBe(6);
    for (const c of counts.values()) expect(Math.abs(c - 10_000)).toBeLessThan(400); // ~4 sigma
  });
});
