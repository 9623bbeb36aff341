// The `tensor` suite: matmul at three sizes and one 3x3 convolution, forward and forward+backward.

import type { ConvSpec, Workload } from '../types';

export function matmulWorkload(n: number): Workload {
  return {
    id: `matmul-${n}`,
    suite: 'tensor',
    title: `matmul ${n}x${n}x${n}`,
    flops: 2 * n * n * n,
    prepare: (system, seed) => system.matmul?.(n, n, n, seed) ?? null,
  };
}

/** Issue 2's convolution: batch 32, 16 -> 16 channels, 32x32, 3x3, padding 1. */
export const CONV_R2: ConvSpec = { batch: 32, inChannels: 16, outChannels: 16, height: 32, width: 32, kernel: 3, padding: 1, stride: 1 };

export function convFlops(s: ConvSpec): number {
  const oh = Math.floor((s.height + 2 * s.padding - s.kernel) / s.stride) + 1;
  const ow = Math.floor((s.width + 2 * s.padding - s.kernel) / s.stride) + 1;
  return 2 * s.batch * s.outChannels * oh * ow * s.inChannels * s.kernel * s.kernel;
}

export function convWorkload(spec: ConvSpec, backward: boolean): Workload {
  const shape = `${spec.batch}x${spec.inChannels}x${spec.height}x${spec.width} -> ${spec.outChannels}, ${spec.kernel}x${spec.kernel} pad ${spec.padding}`;
  return {
    id: backward ? 'conv-fwd-bwd' : 'conv-fwd',
    suite: 'tensor',
    title: backward ? `conv2d ${shape} forward+backward (dx, dw)` : `conv2d ${shape} forward`,
    // the two gradients each cost as much as the forward pass
    flops: convFlops(spec) * (backward ? 3 : 1),
    prepare: (system, seed) => system.conv2d?.(spec, backward, seed) ?? null,
  };
}

export function tensorSuite(): Workload[] {
  return [matmulWorkload(256), matmulWorkload(512), matmulWorkload(1024), convWorkload(CONV_R2, false), convWorkload(CONV_R2, true)];
}
