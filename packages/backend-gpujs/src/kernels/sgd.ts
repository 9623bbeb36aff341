// The in-place optimiser step, as two kernels (gpu.js kernels have one output each): the new
// velocity, then the new parameter from it. PyTorch's momentum SGD with dampening 0.

import { kernelFunction, type KernelSpec } from '../kernel-source';

/** v' = momentum * v + (g + weightDecay * p). */
export function sgdVelocityKernel(size: number): KernelSpec {
  return {
    op: 'sgd.velocity',
    output: [size],
    source: kernelFunction(['p', 'g', 'v', 'momentum', 'weightDecay'], [
      'return momentum * v[this.thread.x] + (g[this.thread.x] + weightDecay * p[this.thread.x]);',
    ]),
  };
}

/** p' = p - lr * (nesterov ? (g + weightDecay * p) + momentum * v' : v'). */
export function sgdParamKernel(size: number, nesterov: boolean): KernelSpec {
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
}

/** A copy (uploads to GPU-resident storage, assign). */
export function copyKernel(size: number): KernelSpec {
  return { op: 'copy', output: [size], source: kernelFunction(['x'], ['return x[this.thread.x];']) };
}

/** A constant (fill on GPU-resident storage). */
export function fillKernel(size: number): KernelSpec {
  return { op: 'fill', output: [size], source: kernelFunction(['value'], ['return value;']) };
}
