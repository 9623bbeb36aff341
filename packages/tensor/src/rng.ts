// The seeded random number generator: one seed reproduces everything.
//
// Algorithm: xoshiro128** (Blackman & Vigna, 2018), the workspace's one generator (@skipinit/random), a 32-bit
// generator with 128 bits of state, period 2^128 - 1, that passes BigCrush.
// Seeding: the seed (an integer in [0, 2^53)) is expanded into the four state words by splitmix32 (a 32-bit
// variant of SplitMix64's finaliser), so nearby seeds give unrelated streams and the state is never all zero.
// Uniform doubles take 53 bits from two outputs (numpy's `random()` construction). Normals use the
// Box-Muller transform; its second value is cached (`spare`) and is part of the saved state, so a restored
// generator continues exactly where the original was.
//
// Streams: `fork(label)` derives an independent generator from this one's current state and a label,
// without advancing this one (same label at the same state -> same stream); `split()` advances this one
// and returns a generator seeded from its output.

import { Xoshiro128, shuffle } from '@skipinit/random';

export interface RngState {
  readonly algorithm: 'xoshiro128**';
  /** The four 32-bit state words, as unsigned integers. */
  readonly s: readonly [number, number, number, number];
  /** The cached second Box-Muller normal, or null. */
  readonly spare: number | null;
}

const TWO_POW_32 = 4294967296;
const TWO_POW_53 = 9007199254740992;

function splitmix32(seed: number): () => number {
  let a = seed | 0;
  return () => {
    a = (a + 0x9e3779b9) | 0;
    let t = a ^ (a >>> 16);
    t = Math.imul(t, 0x21f0aaad);
    t ^= t >>> 15;
    t = Math.imul(t, 0x735a2d97);
    return (t ^ (t >>> 15)) >>> 0;
  };
}

/** FNV-1a hash of a string to 32 bits. */
function hashString(label: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < label.length; i++) {
    h ^= label.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k));
}

export class Rng extends Xoshiro128 {
  private spare: number | null = null;

  /** A generator seeded with an integer in [0, 2^53). */
  constructor(seed = 0) {
    super();
    if (!Number.isInteger(seed) || seed < 0 || seed >= TWO_POW_53) {
      throw new RangeError(`Rng: seed must be an integer in [0, 2^53), got ${seed}`);
    }
    const lo = seed % TWO_POW_32;
    const hi = Math.floor(seed / TWO_POW_32);
    const mix = splitmix32(lo ^ Math.imul(hi, 0x85ebca6b));
    for (let i = 0; i < 4; i++) this.s[i] = mix();
    if ((this.s[0] | this.s[1] | this.s[2] | this.s[3]) === 0) this.s[0] = 1;
  }

  /** Restores a generator from `state()`; it continues exactly where the saved one was. */
  static fromState(state: RngState): Rng {
    if (state === null || typeof state !== 'object' || state.algorithm !== 'xoshiro128**') {
      throw new TypeError(`Rng.fromState: expected { algorithm: 'xoshiro128**', s, spare }, got ${JSON.stringify(state)}`);
    }
    const s = state.s;
    if (!Array.isArray(s) || s.length !== 4 || !s.every((w) => Number.isInteger(w) && w >= 0 && w < TWO_POW_32)) {
      throw new TypeError(`Rng.fromState: s must be four unsigned 32-bit integers, got ${JSON.stringify(s)}`);
    }
    if ((s[0] | s[1] | s[2] | s[3]) === 0) throw new TypeError('Rng.fromState: the all-zero state is invalid');
    if (state.spare !== null && typeof state.spare !== 'number') {
      throw new TypeError(`Rng.fromState: spare must be a number or null, got ${JSON.stringify(state.spare)}`);
    }
    const rng = new Rng(0);
    rng.s.set(s);
    rng.spare = state.spare;
    return rng;
  }

  /** The full state, JSON-serialisable (plain numbers). */
  state(): RngState {
    return { algorithm: 'xoshiro128**', s: [this.s[0], this.s[1], this.s[2], this.s[3]], spare: this.spare };
  }

  /** An independent copy with the same state. */
  clone(): Rng {
    return Rng.fromState(this.state());
  }

  /** A double uniform in [0, 1) with 53 random bits; `uniform(low, high)` scales it to [low, high). */
  uniform(low = 0, high = 1): number {
    return low + (high - low) * this.random();
  }

  /** A normal draw (Box-Muller), mean `mean`, standard deviation `std`. */
  normal(mean = 0, std = 1): number {
    let z: number;
    if (this.spare !== null) {
      z = this.spare;
      this.spare = null;
    } else {
      const u1 = 1 - this.uniform(); // (0, 1]: log is finite
      const u2 = this.uniform();
      const r = Math.sqrt(-2 * Math.log(u1));
      z = r * Math.cos(2 * Math.PI * u2);
      this.spare = r * Math.sin(2 * Math.PI * u2);
    }
    return mean + std * z;
  }

  /** A uniform integer in [low, high) (numpy's `integers`); unbiased (rejection sampling). */
  integers(low: number, high: number): number {
    if (!Number.isInteger(low) || !Number.isInteger(high) || high <= low || high - low > TWO_POW_32) {
      throw new RangeError(`Rng.integers: need integers low < high with high - low <= 2^32, got [${low}, ${high})`);
    }
    const range = high - low;
    const limit = TWO_POW_32 - (TWO_POW_32 % range); // largest multiple of range <= 2^32
    for (;;) {
      const x = this.nextUint32();
      if (x < limit) return low + (x % range);
    }
  }

  /** Shuffles `array` in place (Fisher-Yates) and returns it. */
  shuffle<T extends { length: number; [i: number]: any }>(array: T): T {
    return shuffle(array, (n) => this.integers(0, n));
  }

  /** A random permutation of 0..n-1. */
  permutation(n: number): Int32Array {
    const p = new Int32Array(n);
    for (let i = 0; i < n; i++) p[i] = i;
    return this.shuffle(p);
  }

  /** Fills `out` with uniform values in [low, high) and returns it. */
  fillUniform<T extends Float32Array | Float64Array>(out: T, low = 0, high = 1): T {
    for (let i = 0; i < out.length; i++) out[i] = this.uniform(low, high);
    return out;
  }

  /** Fills `out` with normal values and returns it. */
  fillNormal<T extends Float32Array | Float64Array>(out: T, mean = 0, std = 1): T {
    for (let i = 0; i < out.length; i++) out[i] = this.normal(mean, std);
    return out;
  }

  /**
   * An independent generator derived from this one's current state and `label`, without advancing this one:
   * `rng.fork('dropout')` twice at the same state gives the same stream; different labels give unrelated ones.
   */
  fork(label: string): Rng {
    const h = hashString(label);
    const mix = splitmix32(h ^ this.s[0] ^ rotl(this.s[1], 8) ^ rotl(this.s[2], 16) ^ rotl(this.s[3], 24));
    const child = new Rng(0);
    for (let i = 0; i < 4; i++) child.s[i] = mix() ^ this.s[(i + 1) & 3] ^ h;
    if ((child.s[0] | child.s[1] | child.s[2] | child.s[3]) === 0) child.s[0] = 1;
    return child;
  }

  /** A new generator seeded from this one's next outputs (advances this one). */
  split(): Rng {
    const child = new Rng(0);
    const mix = splitmix32(this.nextUint32());
    for (let i = 0; i < 4; i++) child.s[i] = mix() ^ this.nextUint32();
    if ((child.s[0] | child.s[1] | child.s[2] | child.s[3]) === 0) child.s[0] = 1;
    return child;
  }
}
