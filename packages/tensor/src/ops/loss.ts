// log-softmax (a fused backend primitive: the max-subtracted form is what keeps it stable), softmax,
// and cross-entropy with integer class labels.

import { TensorError, formatShape } from '../errors';
import { tidy } from '../memory';
import { normalizeAxis } from '../shape';
import { apply } from '../tape';
import type { Op } from '../tape';
import type { Tensor } from '../tensor';
import { eq } from './elementwise';
import { permute, reshape } from './movement';

const LOG_SOFTMAX: Op<{ rows: number; cols: number }> = {
  name: 'logSoftmax',
  saves: ['out'],
  forward: (b, [x], { rows, cols }) => ({ data: b.logSoftmax(x.storage.id, rows, cols), shape: x.shape }),
  // y = x - logsumexp(x): dx = dy - softmax(x) * sum(dy)
  backward: (dy, { saved: [y] }) => [dy.sub(y.exp().mul(dy.sum(-1, true)))],
};

/** log(softmax(x)) along `axis` (default the last), numerically stable. */
export function logSoftmax(x: Tensor, axis = -1): Tensor {
  x.assertAlive('logSoftmax');
  if (x.rank === 0) throw new TensorError('logSoftmax', '[]: needs rank >= 1');
  const a = normalizeAxis('logSoftmax', axis, x.rank, x.shape);
  const cols = x.shape[a];
  if (a === x.rank - 1) return apply(LOG_SOFTMAX, [x], { rows: x.size / cols, cols });
  return tidy(() => {
    const perm = x.shape.map((_, i) => i);
    perm.splice(a, 1);
    perm.push(a);
    const inverse = perm.map((_, i) => perm.indexOf(i));
    return permute(apply(LOG_SOFTMAX, [permute(x, perm)], { rows: x.size / cols, cols }), inverse);
  });
}

/** softmax(x) along `axis` (default the last): exp(logSoftmax(x)). */
export function softmax(x: Tensor, axis = -1): Tensor {
  return tidy(() => logSoftmax(x, axis).exp());
}

/** Integer class labels: a plain array, an Int32Array (checked on the host), or a tensor of class indices. */
export type Labels = Tensor | Int32Array | Uint8Array | readonly number[];

export interface CrossEntropyOptions {
  /** 'mean' over the batch (default, as in torch), 'sum', or 'none' (one loss per row, [N]). */
  readonly reduction?: 'mean' | 'sum' | 'none';
}

/**
 * Cross-entropy between logits [N, C] and integer labels [N] (torch.nn.functional.cross_entropy).
 * Host labels are checked (integers in [0, C)); labels given as a tensor stay on the device and are
 * not checked (that would need a read-back): a row whose label matches no class contributes 0.
 */
export function crossEntropy(logits: Tensor, labels: Labels, options: CrossEntropyOptions = {}): Tensor {
  logits.assertAlive('crossEntropy');
  const reduction = options.reduction ?? 'mean';
  if (logits.rank !== 2) throw new TensorError('crossEntropy', `logits ${formatShape(logits.shape)}: must be [N, C] (rank 2)`);
  const [n, c] = logits.shape;
  const e = logits.engine;
  if (!['mean', 'sum', 'none'].includes(reduction)) {
    throw new TensorError('crossEntropy', `reduction must be 'mean', 'sum' or 'none', got ${JSON.stringify(reduction)}`);
  }
  return tidy(() => {
    let onehot: Tensor;
    if (isTensor(labels)) {
      labels.assertAlive('crossEntropy');
      if (labels.engine !== e) throw new TensorError('crossEntropy', 'logits and labels belong to different engines');
      if (labels.rank !== 1 || labels.shape[0] !== n) {
        throw new TensorError('crossEntropy', `logits ${formatShape(logits.shape)}, labels ${formatShape(labels.shape)}: labels must be [${n}]`);
      }
      const classes = e.wrap(e.backend.upload(Float32Array.from({ length: c }, (_, i) => i)), [1, c]);
      onehot = eq(reshape(labels, [n, 1]), classes);
    } else {
      if (labels.length !== n) {
        throw new TensorError('crossEntropy', `logits ${formatShape(logits.shape)}: ${labels.length} labels for a batch of ${n}`);
      }
      const hot = new Float32Array(n * c);
      for (let i = 0; i < n; i++) {
        const l = labels[i];
        if (!Number.isInteger(l)) throw new TensorError('crossEntropy', `logits ${formatShape(logits.shape)}: labels[${i}] = ${l} is not an integer`);
        if (l < 0 || l >= c) {
          throw new TensorError('crossEntropy', `logits ${formatShape(logits.shape)}: labels[${i}] = ${l} is out of range [0, ${c})`);
        }
        hot[i * c + l] = 1;
      }
      onehot = e.wrap(e.backend.upload(hot), [n, c]);
    }
    const rowLoss = logSoftmax(logits).mul(onehot).sum(1).neg();
    if (reduction === 'none') return rowLoss;
    return reduction === 'sum' ? rowLoss.sum() : rowLoss.mean();
  });
}

function isTensor(l: Labels): l is Tensor {
  return typeof (l as Tensor).assertAlive === 'function';
}
