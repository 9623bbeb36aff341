// R1 (matmul at three sizes, GFLOP/s) and R2 (one 3x3 convolution, forward and forward + both
// gradients, ms): single ops on random inputs every system draws from the same seed.

import type { ConvSpec, Workload } from '../types';

/** Values compared per output (the first ones, in our layouts: row-major, NCHW, OIHW). */
export const SAMPLE_VALUES = 16;

export function matmulWorkload(n: number): Workload {
  return {
    id: `R1-matmul-${n}`,
    group: 'R1',
    title: `R1 matmul ${n}x${n}x${n}`,
    unit: 'GFLOP/s',
    perRun: 2 * n * n * n,
    tolerance: 1e-4,
    compared: `the first ${SAMPLE_VALUES} values of C`,
    prepare: (system, seed) => system.matmul?.(n, n, n, seed) ?? null,
  };
}

/** Issue 7's R2 convolution: batch 32, 16 -> 16 channels, 32x32, 3x3, padding 1. */
export const CONV_R2: ConvSpec = { batch: 32, inChannels: 16, outChannels: 16, height: 32, width: 32, kernel: 3, padding: 1, stride: 1 };

export function convOutSize(s: ConvSpec): { oh: number; ow: number } {
  return {
    oh: Math.floor((s.height + 2 * s.padding - s.kernel) / s.stride) + 1,
    ow: Math.floor((s.width + 2 * s.padding - s.kernel) / s.stride) + 1,
  };
}

export function convFlops(s: ConvSpec): number {
  const { oh, ow } = convOutSize(s);
  return 2 * s.batch * s.outChannels * oh * ow * s.inChannels * s.kernel * s.kernel;
}

/**
 * R2: the forward alone, or the conv op of a training step: forward, dx, dw, each system as its
 * training runs it (ours: conv2dTraining, whose workspace the filter gradient reuses; TF.js: its
 * gradient function).
 */
export function convWorkload(spec: ConvSpec, backward: boolean): Workload {
  const shape = `${spec.batch}x${spec.inChannels}x${spec.height}x${spec.width} -> ${spec.outChannels}, ${spec.kernel}x${spec.kernel} pad ${spec.padding}`;
  return {
    id: backward ? 'R2-conv-fwd-bwd' : 'R2-conv-fwd',
    group: 'R2',
    title: backward ? `R2 conv2d ${shape} training fwd + dx + dw` : `R2 conv2d ${shape} fwd`,
    unit: 'ms',
    // the two gradients each cost as much as the forward pass
    perRun: convFlops(spec) * (backward ? 3 : 1),
    tolerance: 1e-4,
    compared: backward ? `the first ${SAMPLE_VALUES} values of y, dx and dw` : `the first ${SAMPLE_VALUES} values of y`,
    prepare: (system, seed) => system.conv2d?.(spec, backward, seed) ?? null,
  };
}

export function tensorWorkloads(): Workload[] {
  return [matmulWorkload(256), matmulWorkload(512), matmulWorkload(1024), convWorkload(CONV_R2, false), convWorkload(CONV_R2, true)];
}
