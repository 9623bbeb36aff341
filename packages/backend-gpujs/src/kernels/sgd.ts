// The in-place optimiser step, as two kernels (gpu.js kernels have one output each): the new
// velocity, then the new parameter from it. PyTorch's momentum SGD with dampening 0.

import { kernel } from '../kernel';
import { kernelFunction } from '../kernel-source';

/** v' = momentum * v + (g + weightDecay * p). */
export const SGD_VELOCITY = kernel('sgd.velocity', ({ size }: { size: number }) => ({
  op: 'sgd.velocity',
  output: [size],
  source: kernelFunction(['p', 'g', 'v', 'momentum', 'weightDecay'], ['return momentum * v[this.thread.x] + (g[this.thread.x] + weightDecay * p[this.thread.x]);']),
}));

/** p' = p - lr * (nesterov ? (g + weightDecay * p) + momentum * v' : v'). */
export const SGD_PARAM = kernel('sgd.param', ({ size, nesterov }: { size: number; nesterov: boolean }) => {
  // indices inline: a local would be float32, inexact past 2^24
  const i = 'this.thread.x';
  const step = nesterov ? `(g[${i}] + weightDecay * p[${i}]) + momentum * v[${i}]` : `v[${i}]`;
  return {
    op: 'sgd.param',
    output: [size],
    source: kernelFunction(['p', 'g', 'v', 'lr', 'momentum', 'weightDecay'], [
      `return p[${i}] - lr * (${step});`,
    ]),
  };
});

/** A copy (uploads to GPU-resident storage, assign). */
export const COPY = kernel('copy', ({ size }: { size: number }) => ({ op: 'copy', output: [size], source: kernelFunction(['x'], ['return x[this.thread.x];']) }));

/** A constant (fill on GPU-resident storage). */
export const FILL = kernel('fill', ({ size }: { size: number }) => ({ op: 'fill', output: [size], source: kernelFunction(['value'], ['return value;']) }));
