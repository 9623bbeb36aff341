// Standard normal draws from uniform ones: the ziggurat method (Marsaglia & Tsang 2000, "The Ziggurat
// Method for Generating Random Variables"), 128 layers.
//
// Initialising a 1000-block network draws tens of millions of normals, and the ziggurat needs about one
// uniform per normal and no transcendental function 98.8% of the time (Box-Muller needs a log, a sqrt and
// a cos/sin per pair): about twice as fast here. The draw is exact (not an approximation of the normal):
//
//   The density f(x) = exp(-x^2/2) is covered by 128 layers of equal area v: layer 0 is the base strip
//   [0, v/f(r)] (a rectangle [0, r] x [0, f(r)] plus the tail beyond r) and layer i (1..127) the
//   rectangle [0, x_i] x [f(x_i), f(x_{i+1})], with x_1 = r, x_{i+1} = f^-1(v/x_i + f(x_i)), x_128 = 0.
//   One uniform u picks the layer (7 bits), the sign (1 bit) and z = frac * x_i (the other 45 bits).
//   If z < x_{i+1} the point lies under the curve: accept. Otherwise layer 0 samples the tail (Marsaglia
//   1964: r + a, a = -ln(U1)/r, accepted when -2 ln(U2) > a^2), and the other layers test the wedge
//   f(x_{i+1}) + U (f(x_i) - f(x_{i+1})) < f(z), drawing again on rejection.

import type { InitRng } from './rng';

const LAYERS = 128;
/** Start of the tail and the common layer area, for 128 layers (Marsaglia & Tsang's constants). */
const R = 3.442619855899;
const V = 9.91256303526217e-3;

const density = (x: number): number => Math.exp(-0.5 * x * x);

/** Layer right edges x_0..x_128 and the density there. */
export const ZIGGURAT_X = new Float64Array(LAYERS + 1);
export const ZIGGURAT_F = new Float64Array(LAYERS + 1);
ZIGGURAT_X[0] = V / density(R);
ZIGGURAT_X[1] = R;
for (let i = 1; i < LAYERS - 1; i++) ZIGGURAT_X[i + 1] = Math.sqrt(-2 * Math.log(V / ZIGGURAT_X[i] + density(ZIGGURAT_X[i])));
ZIGGURAT_X[LAYERS] = 0;
for (let i = 0; i <= LAYERS; i++) ZIGGURAT_F[i] = density(ZIGGURAT_X[i]);

/** The slow path of a draw whose first point fell outside layer i's inner rectangle: the tail or a wedge. */
function outside(rng: InitRng, i: number, z: number, sign: number): number | null {
  if (i === 0) {
    let a: number;
    let b: number;
    do {
      a = -Math.log(1 - rng.uniform()) / R;
      b = -Math.log(1 - rng.uniform());
    } while (2 * b <= a * a);
    return sign * (R + a);
  }
  const F = ZIGGURAT_F;
  return F[i + 1] + rng.uniform() * (F[i] - F[i + 1]) < density(z) ? sign * z : null;
}

/** One N(0, 1) draw, taking uniforms from `rng` (about 1.03 per draw on average). */
export function standardNormal(rng: InitRng): number {
  const X = ZIGGURAT_X;
  for (;;) {
    const s = rng.uniform() * 2 * LAYERS;
    const k = Math.floor(s);
    const i = k >> 1;
    const z = (s - k) * X[i];
    const sign = (k & 1) === 0 ? 1 : -1;
    if (z < X[i + 1]) return sign * z;
    const v = outside(rng, i, z, sign);
    if (v !== null) return v;
  }
}

/**
 * Fills `out` with N(0, std^2) draws: the same values, in the same order, as `std * standardNormal(rng)`
 * per element, with the fast path inlined (initialising a large network spends its time here).
 */
export function fillNormal<T extends Float32Array | Float64Array>(out: T, std: number, rng: InitRng): T {
  const X = ZIGGURAT_X;
  const n = out.length;
  for (let j = 0; j < n; j++) {
    for (;;) {
      const s = rng.uniform() * 2 * LAYERS;
      const k = Math.floor(s);
      const i = k >> 1;
      const z = (s - k) * X[i];
      if (z < X[i + 1]) {
        out[j] = std * ((k & 1) === 0 ? z : -z);
        break;
      }
      const v = outside(rng, i, z, (k & 1) === 0 ? 1 : -1);
      if (v !== null) {
        out[j] = std * v;
        break;
      }
    }
  }
  return out;
}
