// Training-mode batch norm as fused kernels over x viewed as [outer, channels, inner] (NCHW: [N, C, H*W]).
//
//   statistics  mean[c], then var[c] = mean((x - mean)^2): threads [C], each looping over its channel
//               (per-image partial sums added up, so the float32 error grows with the image count, not
//               with N*H*W); two passes, as the composite (and PyTorch's CPU kernel) compute it
//   forward     y = (x - mean) * (weight * invstd) + bias: one pass, channel = thread.y (its values are
//               uniform across a SIMD quad), or thread.x when inner = 1
//   backward    per-channel sums dbias = sum(dy), dweight = sum(dy xhat) (one pass returning both,
//               Array(2), on host modes; one kernel each on GPU modes), then
//               dx = weight invstd (dy - dbias / M - xhat dweight / M): one pass
// where the composite batchNorm(x, moments(x)) runs about twenty elementwise and reduction kernels.
// Every index is i32 (thread ids and `(n | 0)` terms); outputs flush denormals to 0.

import type { BatchNormParams } from '@skipinit/tensor';
import { kernel, post } from '../kernel';
import { fl, flushDenormal, int, kernelFunction } from '../kernel-source';

/** Threads over x's cells and the expressions for the cell's index and channel. */
function cells(p: BatchNormParams): { output: number[]; at: string; ch: string } {
  if (p.inner === 1) return { output: [p.channels, p.outer], at: `this.thread.y * ${int(p.channels)} + this.thread.x`, ch: 'this.thread.x' };
  return { output: [p.inner, p.channels, p.outer], at: `this.thread.z * ${int(p.channels * p.inner)} + this.thread.y * ${int(p.inner)} + this.thread.x`, ch: 'this.thread.y' };
}

/** Loops over one channel's cells (thread.x = channel): `term(read)` is added for each, per image then summed. */
function channelSum(p: BatchNormParams, term: (at: string) => string, acc = 's'): string[] {
  const at = `(n | 0) * ${int(p.channels * p.inner)} + this.thread.x * ${int(p.inner)} + (i | 0)`;
  const inner = [`  for (let i = 0; i < ${int(p.inner)}; i++) {`, `    t${acc} = t${acc} + ${term(at)};`, '  }'];
  return [`let ${acc} = 0.0;`, `for (let n = 0; n < ${int(p.outer)}; n++) {`, `  let t${acc} = 0.0;`, ...inner, `  ${acc} = ${acc} + t${acc};`, '}'];
}

const count = (p: BatchNormParams) => fl(p.outer * p.inner);

/** mean[c]: threads [C]. */
export const BN_MEAN = kernel('batchNorm.mean', (p: BatchNormParams) => ({
  op: 'batchNorm.mean',
  output: [p.channels],
  source: kernelFunction(['x'], [...channelSum(p, (at) => `x[${at}]`), `return s / ${count(p)};`]),
}));

/** var[c] = mean((x - mean[c])^2): threads [C]. */
export const BN_VARIANCE = kernel('batchNorm.variance', (p: BatchNormParams) => ({
  op: 'batchNorm.variance',
  output: [p.channels],
  source: kernelFunction(['x', 'mean'], ['const m = mean[this.thread.x];', ...channelSum(p, (at) => `(x[${at}] - m) * (x[${at}] - m)`), `return s / ${count(p)};`]),
}));

/** y = (x - mean) * weight * invstd + bias; arguments x, mean, variance[, weight][, bias]. */
export const BN_FORWARD = kernel('batchNorm.forward', (p: BatchNormParams & { weight: boolean; bias: boolean }) => {
  const [hasWeight, hasBias] = [p.weight, p.bias];
  const { output, at, ch } = cells(p);
  const params = ['x', 'mean', 'variance', ...(hasWeight ? ['weight'] : []), ...(hasBias ? ['bias'] : [])];
  const scale = `const scale = ${hasWeight ? `weight[${ch}] * ` : ''}(1.0 / Math.sqrt(variance[${ch}] + ${fl(p.eps)}));`;
  const y = `const y = (x[${at}] - mean[${ch}]) * scale${hasBias ? ` + bias[${ch}]` : ''};`;
  return { op: 'batchNorm.forward', output, source: kernelFunction(params, [scale, y, `return ${flushDenormal('y')};`]) };
});

/** Host modes: [dbias, dweight] per channel in one pass, threads [C], Array(2) (raw output [C][2]). GPU modes: `which` 'dbias' or 'dweight' alone. */
export const BN_SUMS = kernel('batchNorm.sums', (p: BatchNormParams & { which: 'both' | 'dbias' | 'dweight' }) => {
  const which = p.which;
  const invstd = `(1.0 / Math.sqrt(variance[this.thread.x] + ${fl(p.eps)}))`;
  const xhat = (at: string) => `(x[${at}] - m)`;
  const lines = ['const m = mean[this.thread.x];'];
  if (which !== 'dweight') lines.push(...channelSum(p, (at) => `dy[${at}]`, 'b'));
  if (which !== 'dbias') lines.push(...channelSum(p, (at) => `dy[${at}] * ${xhat(at)}`, 'w'));
  const ret = which === 'both' ? `return [b, w * ${invstd}];` : which === 'dbias' ? 'return b;' : `return w * ${invstd};`;
  return { op: 'batchNorm.sums', output: [p.channels], ...(which === 'both' ? { components: 2 as const } : {}), source: kernelFunction(['dy', 'x', 'mean', 'variance'], [...lines, ret]) };
});

/** The two-output sums' raw [C][2] as [dbias, dweight]. */
export const SPLIT_SUMS = post('batchNorm.splitSums', (raw, { channels }: { channels: number }, alloc) => {
  const [b, w] = [alloc(channels), alloc(channels)];
  for (let i = 0; i < channels; i++) [b[i], w[i]] = [raw[2 * i]!, raw[2 * i + 1]!];
  return [b, w];
});

/** dx = weight invstd (dy - dbias / M - xhat dweight / M); arguments dy, x, mean, variance, dbias, dweight[, weight]. */
export const BN_DX = kernel('batchNorm.dx', (p: BatchNormParams & { weight: boolean }) => {
  const hasWeight = p.weight;
  const { output, at, ch } = cells(p);
  const m = count(p);
  const lines = [
    `const invstd = 1.0 / Math.sqrt(variance[${ch}] + ${fl(p.eps)});`,
    `const k = invstd * dweight[${ch}] / ${m};`,
    `const g = (dy[${at}] - dbias[${ch}] / ${m} - (x[${at}] - mean[${ch}]) * k) * invstd${hasWeight ? ` * weight[${ch}]` : ''};`,
    `return ${flushDenormal('g')};`,
  ];
  return { op: 'batchNorm.dx', output, source: kernelFunction(['dy', 'x', 'mean', 'variance', 'dbias', 'dweight', ...(hasWeight ? ['weight'] : [])], lines) };
});
