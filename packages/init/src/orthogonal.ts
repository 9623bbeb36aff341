// Orthogonal initialisation (Saxe, McClelland & Ganguli 2014, "Exact solutions to the nonlinear
// dynamics of learning in deep linear networks"), computed as torch.nn.init.orthogonal_ does:
//
//   rows = shape[0], cols = (product of the other dims)
//   A = a rows x cols matrix of N(0, 1) draws (row-major, in rng order); if rows < cols use A^T
//   A = Q R (QR decomposition, Q with orthonormal columns), signs fixed so that diag(R) > 0
//   W = gain * Q (transposed back if rows < cols), reshaped to `shape`
//
// so the rows of W are orthonormal when rows <= cols and its columns are when rows >= cols. Fixing
// diag(R) > 0 makes Q unique and Haar-distributed (Mezzadri 2007); Gram-Schmidt gives that Q
// directly (its R has positive diagonal by construction). We use modified Gram-Schmidt with one
// re-orthogonalisation pass in float64 ("twice is enough", Giraud et al. 2005), so W W^T = I to
// float32 precision.

import { InitError, checkShape, formatShape } from './errors';
import { fillNormal } from './normal';
import type { InitRng } from './rng';

export interface OrthogonalOptions {
  /** Multiplier on the orthogonal matrix (default 1, as torch and Keras). */
  readonly gain?: number;
}

/** A gain-scaled (semi-)orthogonal matrix, reshaped to `shape` (rank >= 2). */
export function orthogonal(shape: readonly number[], rng: InitRng, options: OrthogonalOptions = {}): Float32Array {
  const size = checkShape('orthogonal', shape);
  if (shape.length < 2) throw new InitError('orthogonal', `shape ${formatShape(shape)}: only tensors with 2 or more dimensions are supported`);
  const gain = options.gain ?? 1;
  if (!Number.isFinite(gain)) throw new InitError('orthogonal', `gain ${gain} is not a finite number`);
  const rows = shape[0];
  const cols = size / rows;
  // A is rows x cols row-major; we orthonormalise the columns of M = (rows >= cols ? A : A^T),
  // an m x n matrix with m >= n, stored column by column.
  const a = fillNormal(new Float64Array(size), 1, rng);
  const transposed = rows < cols;
  const m = transposed ? cols : rows;
  const n = transposed ? rows : cols;
  const q = new Float64Array(m * n); // column j at q[j*m .. j*m+m)
  for (let j = 0; j < n; j++) {
    for (let i = 0; i < m; i++) q[j * m + i] = transposed ? a[j * cols + i] : a[i * cols + j];
  }
  for (let j = 0; j < n; j++) {
    const vj = j * m;
    for (let pass = 0; pass < 2; pass++) {
      for (let k = 0; k < j; k++) {
        const qk = k * m;
        let r = 0;
        for (let i = 0; i < m; i++) r += q[qk + i] * q[vj + i];
        for (let i = 0; i < m; i++) q[vj + i] -= r * q[qk + i];
      }
    }
    let norm = 0;
    for (let i = 0; i < m; i++) norm += q[vj + i] * q[vj + i];
    norm = Math.sqrt(norm);
    if (!(norm > 0)) throw new InitError('orthogonal', `shape ${formatShape(shape)}: the random matrix was rank-deficient (column ${j})`);
    for (let i = 0; i < m; i++) q[vj + i] /= norm;
  }
  // W (rows x cols, row-major) = M's Q, transposed back when A was.
  const out = new Float32Array(size);
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++) out[r * cols + c] = gain * (transposed ? q[r * m + c] : q[c * m + r]);
  }
  return out;
}
