// Training-mode batch norm as plans over x viewed as [outer, channels, inner] (kernels in
// kernels/batchnorm.ts): statistics (mean, then variance: two passes, as the composite and PyTorch's CPU
// kernel compute it), the forward (one pass), and the backward: the per-channel sums dbias = sum(dy) and
// dweight = sum(dy xhat), then dx in one pass. Where the executor runs Array(n) kernels (host), both sums
// come from one pass over dy and x (Array(2), split on the host); elsewhere one kernel each.

import type { BatchNormParams } from '@skipinit/tensor';
import { BN_DX, BN_FORWARD, BN_MEAN, BN_SUMS, BN_VARIANCE, SPLIT_SUMS } from './kernels/batchnorm';
import { run, runPost, type Plan } from './plan';

/** mean and variance (input x). */
export function planBatchNormStats(p: BatchNormParams): Plan {
  return { steps: [run(BN_MEAN, p, ['x'], 'mean'), run(BN_VARIANCE, p, ['x', 'mean'], 'variance')], out: ['mean', 'variance'] };
}

/** y (inputs x, mean, variance[, weight][, bias]). */
export function planBatchNormForward(p: BatchNormParams, weight: boolean, bias: boolean): Plan {
  const args = ['x', 'mean', 'variance', ...(weight ? ['weight'] : []), ...(bias ? ['bias'] : [])];
  return { steps: [run(BN_FORWARD, { ...p, weight, bias }, args, 'y')], out: ['y'] };
}

/** dx, dweight, dbias (inputs dy, x, mean, variance[, weight]); `host`: the sums in one Array(2) pass. */
export function planBatchNormBackward(p: BatchNormParams, weight: boolean, host: boolean): Plan {
  const sums = ['dy', 'x', 'mean', 'variance'];
  const steps = host
    ? [runPost(BN_SUMS, { ...p, which: 'both' as const }, sums, SPLIT_SUMS, { channels: p.channels }, ['dbias', 'dweight'])]
    : [run(BN_SUMS, { ...p, which: 'dbias' as const }, sums, 'dbias'), run(BN_SUMS, { ...p, which: 'dweight' as const }, sums, 'dweight')];
  steps.push(run(BN_DX, { ...p, weight }, [...sums, 'dbias', 'dweight', ...(weight ? ['weight'] : [])], 'dx'));
  return { steps, out: ['dx', 'dweight', 'dbias'] };
}
