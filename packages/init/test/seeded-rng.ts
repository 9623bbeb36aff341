// A small seeded generator for the tests (this package may not import @skipinit/tensor, whose Rng
// production code uses): splitmix32 for uniforms, Box-Muller for normals. Any InitRng would do.
import type { InitRng } from '../src';

export class SeededRng implements InitRng {
  private a: number;
  private spare: number | null = null;
  draws = 0;
  constructor(seed: number) {
    this.a = seed | 0;
  }
  private next32(): number {
    this.a = (this.a + 0x9e3779b9) | 0;
    let t = this.a ^ (this.a >>> 16);
    t = Math.imul(t, 0x21f0aaad);
    t ^= t >>> 15;
    t = Math.imul(t, 0x735a2d97);
    return (t ^ (t >>> 15)) >>> 0;
  }
  uniform(): number {
    this.draws++;
    return ((this.next32() >>> 5) * 67108864 + (this.next32() >>> 6)) / 9007199254740992;
  }
  normal(): number {
    if (this.spare !== null) {
      const z = this.spare;
      this.spare = null;
      return z;
    }
    const r = Math.sqrt(-2 * Math.log(1 - this.uniform()));
    const t = 2 * Math.PI * this.uniform();
    this.spare = r * Math.sin(t);
    return r * Math.cos(t);
  }
}
