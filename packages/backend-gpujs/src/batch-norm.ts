// The fused batch norm primitives on payloads (kernels in kernels/batchnorm.ts): statistics, forward,
// and the training-mode backward.

import type { BatchNormParams } from '@skipinit/tensor';
import type { Device, Payload } from './device';
import * as bn from './kernels/batchnorm';

const key = (p: BatchNormParams) => `${p.outer},${p.channels},${p.inner},${p.eps}`;

export function batchNormStats(device: Device, x: Payload, p: BatchNormParams): { mean: Payload; variance: Payload } {
  const mean = device.run(`batchNorm.mean|${key(p)}`, () => bn.batchNormMeanKernel(p), [x]);
  const variance = device.run(`batchNorm.variance|${key(p)}`, () => bn.batchNormVarianceKernel(p), [x, mean]);
  return { mean, variance };
}

export function batchNormForward(device: Device, x: Payload, mean: Payload, variance: Payload, weight: Payload | null, bias: Payload | null, p: BatchNormParams): Payload {
  const args = [x, mean, variance, ...(weight === null ? [] : [weight]), ...(bias === null ? [] : [bias])];
  return device.run(`batchNorm.forward|${key(p)}|${weight !== null},${bias !== null}`, () => bn.batchNormForwardKernel(p, weight !== null, bias !== null), args);
}

export function batchNormBackward(
  device: Device,
  dy: Payload,
  x: Payload,
  mean: Payload,
  variance: Payload,
  weight: Payload | null,
  p: BatchNormParams,
): { dx: Payload; dweight: Payload; dbias: Payload } {
  const sumArgs = [dy, x, mean, variance];
  let dbias: Payload;
  let dweight: Payload;
  if (device.hostResident) {
    // one pass over dy and x for both sums: raw [C][2]
    const c = p.channels;
    [dbias, dweight] = device.runWith(`batchNorm.sums|${key(p)}`, () => bn.batchNormSumsKernel(p, 'both'), sumArgs, (raw) => {
      const b = device.alloc(c);
      const w = device.alloc(c);
      for (let i = 0; i < c; i++) {
        b[i] = raw[2 * i]!;
        w[i] = raw[2 * i + 1]!;
      }
      return [b, w];
    });
  } else {
    dbias = device.run(`batchNorm.dbias|${key(p)}`, () => bn.batchNormSumsKernel(p, 'dbias'), sumArgs);
    dweight = device.run(`batchNorm.dweight|${key(p)}`, () => bn.batchNormSumsKernel(p, 'dweight'), sumArgs);
  }
  const dxArgs = [dy, x, mean, variance, dbias, dweight, ...(weight === null ? [] : [weight])];
  const dx = device.run(`batchNorm.dx|${key(p)}|${weight !== null}`, () => bn.batchNormDxKernel(p, weight !== null), dxArgs);
  return { dx, dweight, dbias };
}
