// xoshiro128** 1.1 (Blackman & Vigna, 2018): the workspace's one random generator. 128 bits of state as four
// uint32 words, period 2^128 - 1, passes BigCrush; only 32-bit integer arithmetic (Math.imul), so it is exact
// and fast in JavaScript. Its output is checked in the tests against the authors' C reference.
//
// This is the generator alone. How a seed becomes the four words, and which distributions are drawn from it,
// belong to its users: @skipinit/tensor's `Rng` (seeded through splitmix32, `fork(label)` and `split()`) and
// @skipinit/data's streams (`streamKey(seed, ...parts)`, so that a batch's order and augmentation are pure
// functions of the seed and its position). Both extend this class, so their streams are the same
// xoshiro128** outputs they always were.

/** The four state words, as unsigned integers. */
export type Words = [number, number, number, number];

function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k));
}

/** Why `words` cannot be a xoshiro128** state, or null when it can: four uint32 words, not all zero. */
export function invalidWords(words: unknown): string | null {
  if (!Array.isArray(words) || words.length !== 4 || !words.every((w) => Number.isInteger(w) && w >= 0 && w <= 0xffffffff)) {
    return `expected 4 uint32 words, got ${JSON.stringify(words)}`;
  }
  if ((words[0] | words[1] | words[2] | words[3]) === 0) return 'the all-zero state is not a valid xoshiro128** state';
  return null;
}

export class Xoshiro128 {
  protected readonly s = new Uint32Array(4);

  /** A generator at the state `words` (the all-zero state, the one xoshiro cannot leave, becomes [1, 0, 0, 0]). */
  constructor(words: ArrayLike<number> = [1, 0, 0, 0]) {
    this.setWords(words);
  }

  /** The state, as four plain numbers. */
  words(): Words {
    return [this.s[0], this.s[1], this.s[2], this.s[3]];
  }

  /** Moves the generator to the state `words` (as the constructor does). */
  protected setWords(words: ArrayLike<number>): void {
    for (let i = 0; i < 4; i++) this.s[i] = words[i];
    if ((this.s[0] | this.s[1] | this.s[2] | this.s[3]) === 0) this.s[0] = 1;
  }

  /** The next raw 32-bit output, an unsigned integer. */
  nextUint32(): number {
    const s = this.s;
    const result = Math.imul(rotl(Math.imul(s[1], 5), 7), 9) >>> 0;
    const t = s[1] << 9;
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = rotl(s[3], 11);
    return result;
  }

  /** A double uniform in [0, 1) with 53 random bits from two outputs (numpy's `random()` construction). */
  random(): number {
    const a = this.nextUint32() >>> 5; // 27 bits
    const b = this.nextUint32() >>> 6; // 26 bits
    return (a * 67108864 + b) / 9007199254740992;
  }
}

/**
 * Shuffles `array` in place (Fisher-Yates, from the end) and returns it. `below(n)` draws a uniform integer
 * in [0, n): the users of the generator each keep their own (rejection on the modulo, or Lemire's multiply).
 */
export function shuffle<T extends { length: number; [i: number]: any }>(array: T, below: (n: number) => number): T {
  for (let i = array.length - 1; i > 0; i--) {
    const j = below(i + 1);
    const tmp = array[i];
    array[i] = array[j];
    array[j] = tmp;
  }
  return array;
}
