// One training step on a batch: forward in training mode, cross-entropy, the loss and the correct count
// read back together (one transfer: the only wait of the step on a GPU), a check for divergence, then
// backward, gradient clipping when asked (one more read: the global norm) and one optimiser step. A diverged
// batch is never applied: its loss is known before backward.

import type { Batch } from '@skipinit/data';
import { crossEntropy, tensor, tidy } from '@skipinit/tensor';
import type { Engine } from '@skipinit/tensor';
import { divergenceReason } from './divergence';
import type { TrainableModel } from './model';
import { labelTensor, lossAndCorrect, readLossAndCorrect } from './readout';
import { clipGradNorm } from './clip-grad-norm';
import type { Optimizer } from './optimizer';

export interface StepResult {
  readonly loss: number;
  /** Rows classified right (0 when the step diverged). */
  readonly correct: number;
  /** Why the loss counts as diverged, or null. */
  readonly reason: string | null;
  /** The gradients' global L2 norm before clipping; null without clipping. */
  readonly gradNorm: number | null;
}

export async function trainStep(args: {
  readonly model: TrainableModel;
  readonly optimizer: Optimizer;
  readonly engine: Engine;
  readonly batch: Batch;
  readonly shape: readonly number[];
  readonly lr: number;
  readonly maxLoss: number;
  /** Scale the gradients to at most this global L2 norm (torch's clip_grad_norm_); absent: no clipping. */
  readonly clipGradNorm?: number | undefined;
  /** Called after backward, before clipping and the update (the gradients are there): e.g. to take their norms. */
  readonly afterBackward?: (() => void) | undefined;
}): Promise<StepResult> {
  const { batch, engine } = args;
  const { loss, readout } = tidy(() => {
    const x = tensor(batch.x, [batch.size, ...args.shape], { engine });
    const labels = labelTensor(batch.y, engine);
    const logits = args.model.forward(x, { training: true });
    const l = crossEntropy(logits, labels);
    return { loss: l, readout: lossAndCorrect(l, logits, labels) };
  });
  try {
    const r = await readLossAndCorrect(readout);
    const reason = divergenceReason(r.loss, args.maxLoss);
    if (reason !== null) return { loss: r.loss, correct: 0, reason, gradNorm: null };
    tidy(() => loss.backward());
    args.afterBackward?.();
    const clip = args.clipGradNorm === undefined ? null : await clipGradNorm(args.optimizer.parameters, args.clipGradNorm);
    tidy(() => {
      if (clip !== null) args.optimizer.step(args.lr, clip.factor);
      else args.optimizer.step(args.lr);
      args.optimizer.zeroGrad();
    });
    return { loss: r.loss, correct: r.correct, reason: null, gradNorm: clip === null ? null : clip.norm };
  } finally {
    loss.dispose();
  }
}
