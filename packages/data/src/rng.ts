/**
 * The package's seeded random streams.
 *
 * Generator: xoshiro128** 1.1, the workspace's one generator (@skipinit/random; checked there against the
 * authors' C reference). This file says how a seed becomes its state and which draws the package makes.
 *
 * Streams: every random decision of this package comes from a generator seeded by `streamKey(seed, ...parts)`,
 * a hash of the user's seed with small integers naming the purpose (e.g. [SHUFFLE, epoch] or
 * [AUGMENT, epoch, batch]). So the batch order of an epoch is a pure function of (seed, epoch) and the
 * augmentation of a batch a pure function of (seed, epoch, batch index): resuming mid-epoch needs no saved
 * generator state, only the position. The hash is Chris Wellons' `lowbias32` mixer, folded over the parts;
 * the four state words are then drawn from a SplitMix-style Weyl sequence through the same mixer.
 *
 * The full state is still exposed (`state()` / `Rng.fromState`) for callers that keep one long stream.
 */

import { Xoshiro128, invalidWords, shuffle } from '@skipinit/random';

/** A 32-bit avalanche mixer (lowbias32, bias ~0.17). */
export function mix32(x: number): number {
  x = (x ^ (x >>> 16)) >>> 0;
  x = Math.imul(x, 0x7feb352d);
  x = (x ^ (x >>> 15)) >>> 0;
  x = Math.imul(x, 0x846ca68b);
  return (x ^ (x >>> 16)) >>> 0;
}

const GOLDEN = 0x9e3779b9;

function checkSeed(seed: number, where: string): void {
  if (!Number.isSafeInteger(seed)) {
    throw new RangeError(`${where}: seed must be a safe integer, got ${seed}`);
  }
}

/**
 * Hashes a seed (any safe integer, negative allowed) and integer parts into one uint32 key. Different part
 * lists give unrelated keys; the same list always gives the same key.
 */
export function streamKey(seed: number, ...parts: number[]): number {
  checkSeed(seed, 'streamKey');
  const lo = seed >>> 0;
  const hi = Math.floor(seed / 0x1_0000_0000) >>> 0;
  let h = mix32(lo ^ GOLDEN);
  h = mix32((h + mix32(hi + 0x632be5ab)) >>> 0);
  for (const p of parts) {
    if (!Number.isInteger(p) || p < 0 || p > 0xffffffff) {
      throw new RangeError(`streamKey: parts must be integers in [0, 2^32), got ${p}`);
    }
    h = mix32((Math.imul(h, 31) + mix32(p ^ 0x85ebca6b)) >>> 0);
  }
  return h;
}

/** A serialisable generator state: the four xoshiro128** words. */
export type RngState = readonly [number, number, number, number];

export class Rng extends Xoshiro128 {
  /** A generator for `streamKey(seed, ...parts)`. */
  constructor(seed: number, ...parts: number[]) {
    super();
    let key = streamKey(seed, ...parts);
    const words: number[] = [];
    for (let i = 0; i < 4; i++) {
      key = (key + GOLDEN) >>> 0;
      words.push(mix32(key));
    }
    this.setWords(words); // the all-zero state, the one forbidden, becomes [1, 0, 0, 0]
  }

  /** Restores a generator from `state()`. */
  static fromState(state: RngState): Rng {
    const invalid = invalidWords(state);
    if (invalid) throw new RangeError(`Rng.fromState: ${invalid}`);
    const r = new Rng(0);
    r.setWords(state);
    return r;
  }

  state(): RngState {
    return this.words();
  }

  /** A uniform integer in [0, n), without modulo bias (Lemire's multiply-and-reject). 1 <= n <= 2^32. */
  randint(n: number): number {
    if (!Number.isInteger(n) || n < 1 || n > 0x1_0000_0000) {
      throw new RangeError(`Rng.randint: n must be an integer in [1, 2^32], got ${n}`);
    }
    const threshold = (0x1_0000_0000 - n) % n; // 2^32 mod n: draws whose low word falls below it are biased
    for (;;) {
      // The 64-bit product x * n, exactly, as (high, low) 32-bit words: split x into 16-bit halves.
      const x = this.nextUint32();
      const a = (x & 0xffff) * n; // < 2^48
      const b = (x >>> 16) * n; // < 2^48
      const mid = a + (b % 0x10000) * 0x10000; // < 2^49
      const low = mid % 0x1_0000_0000;
      if (low >= threshold) return Math.floor(b / 0x10000) + Math.floor(mid / 0x1_0000_0000);
    }
  }

  /** A standard normal draw (Box-Muller, cosine branch; two uniform draws per call, no cached spare). */
  normal(): number {
    const u1 = 1 - this.random(); // (0, 1]: log is finite
    const u2 = this.random();
    return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
  }

  /** Shuffles `a` in place (Fisher-Yates, from the end, with randint) and returns it. */
  shuffle<T extends { length: number; [i: number]: any }>(a: T): T {
    return shuffle(a, (n) => this.randint(n));
  }

  /** A uniformly random permutation of 0..n-1. */
  permutation(n: number): Uint32Array {
    const p = new Uint32Array(n);
    for (let i = 0; i < n; i++) p[i] = i;
    return this.shuffle(p);
  }
}

/** The purposes that name this package's random streams (the first part after the seed in `streamKey`). */
export const Stream = {
  shuffle: 1, // (seed, shuffle, epoch): the batch order of an epoch
  augment: 2, // (seed, augment, epoch, batch): crop offsets and flips of one batch
  split: 3, // (seed, split): the train/validation split
  synthetic: 4, // (seed, synthetic, ...): synthetic data sets
} as const;
