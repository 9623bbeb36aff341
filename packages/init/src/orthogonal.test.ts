import { describe, expect, it } from 'vitest';
import { SeededRng } from '../test/seeded-rng';
import { Z, zScores } from '../test/moments';
import { standardNormal } from './normal';
import { orthogonal } from './orthogonal';

/** G = W W^T (rows <= cols) or W^T W, for W viewed as rows x cols. */
function gram(w: Float32Array, rows: number, cols: number): Float64Array {
  const byRows = rows <= cols;
  const k = byRows ? rows : cols;
  const g = new Float64Array(k * k);
  for (let a = 0; a < k; a++)
    for (let b = 0; b < k; b++) {
      let s = 0;
      if (byRows) for (let c = 0; c < cols; c++) s += w[a * cols + c] * w[b * cols + c];
      else for (let r = 0; r < rows; r++) s += w[r * cols + a] * w[r * cols + b];
      g[a * k + b] = s;
    }
  return g;
}

function maxDeviationFromIdentity(g: Float64Array, gain: number): number {
  const k = Math.round(Math.sqrt(g.length));
  let worst = 0;
  for (let a = 0; a < k; a++) for (let b = 0; b < k; b++) worst = Math.max(worst, Math.abs(g[a * k + b] - (a === b ? gain * gain : 0)));
  return worst;
}

describe('orthogonal', () => {
  const cases: [string, number[]][] = [
    ['square dense', [64, 64]],
    ['tall dense (orthonormal columns)', [100, 30]],
    ['wide dense (orthonormal rows)', [30, 100]],
    ['conv [out, in, k, k] with out < in*k*k', [16, 8, 3, 3]],
    ['conv with out > in*k*k', [40, 2, 3, 3]],
  ];
  for (const [what, shape] of cases) {
    it(`${what} ${JSON.stringify(shape)}: W W^T = I (or W^T W = I) to float32 precision`, () => {
      const rows = shape[0];
      const cols = shape.slice(1).reduce((a, b) => a * b, 1);
      const w = orthogonal(shape, new SeededRng(rows * 7 + cols));
      expect(w.length).toBe(rows * cols);
      expect(maxDeviationFromIdentity(gram(w, rows, cols), 1)).toBeLessThan(2e-6);
    });
  }

  it('gain scales it: W W^T = gain^2 I', () => {
    const w = orthogonal([20, 50], new SeededRng(5), { gain: Math.SQRT2 });
    expect(maxDeviationFromIdentity(gram(w, 20, 50), Math.SQRT2)).toBeLessThan(4e-6);
  });

  it('is Haar-distributed: entries of a square orthogonal matrix have mean 0 and variance 1/n', () => {
    // Entries of a Haar orthogonal n x n matrix are ~ N(0, 1/n) for large n (mean 0, variance exactly 1/n).
    const n = 200;
    const w = orthogonal([n, n], new SeededRng(17));
    const z = zScores(w, 'normal', 1 / n);
    expect(Math.abs(z.mean)).toBeLessThan(Z);
    // The sum of squares is exactly n (every row has norm 1): the variance is 1/n by construction.
    expect(w.reduce((s, v) => s + v * v, 0)).toBeCloseTo(n, 3);
  });

  it('follows torch: Q of the QR of a normal matrix with diag(R) > 0 (so W^T A is upper triangular with positive diagonal)', () => {
    // For rows >= cols: A = Q R with R = Q^T A upper triangular, diag > 0.
    const rows = 6;
    const cols = 4;
    const draws = new SeededRng(3);
    const a = Array.from({ length: rows * cols }, () => standardNormal(draws));
    const q = orthogonal([rows, cols], new SeededRng(3));
    for (let i = 0; i < cols; i++)
      for (let j = 0; j < cols; j++) {
        let r = 0;
        for (let k = 0; k < rows; k++) r += q[k * cols + i] * a[k * cols + j];
        if (i > j) expect(Math.abs(r)).toBeLessThan(1e-5);
        if (i === j) expect(r).toBeGreaterThan(0);
      }
  });

  it('refuses rank-1 shapes and bad gains', () => {
    expect(() => orthogonal([5], new SeededRng(0))).toThrow(/orthogonal: shape \[5\]: only tensors with 2 or more dimensions/);
    expect(() => orthogonal([5, 5], new SeededRng(0), { gain: Infinity })).toThrow(/gain Infinity/);
  });
});
