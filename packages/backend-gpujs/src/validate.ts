// Argument checks shared by the primitives: each error names the primitive and the shapes.

import type { Conv2dParams, MatmulParams, Pool2dParams, Shape } from '@skipinit/tensor';
import { product } from './kernel-source';
import { forwardDims, type ConvDims } from './kernels/conv';

export const fmt = (shape: Shape): string => `[${shape.join(',')}]`;

export function checkShape(op: string, what: string, shape: Shape): void {
  for (const d of shape) {
    if (!Number.isInteger(d) || d < 0) throw new RangeError(`${op}: ${what} shape ${fmt(shape)} has an invalid dimension ${d}`);
  }
}

export function checkSize(op: string, what: string, size: number, shape: Shape): void {
  checkShape(op, what, shape);
  if (size !== product(shape)) throw new RangeError(`${op}: ${what} holds ${size} elements but its shape ${fmt(shape)} needs ${product(shape)}`);
}

/** Numpy broadcasting of `shape` to `outShape`. */
export function checkBroadcast(op: string, shape: Shape, outShape: Shape): void {
  const offset = outShape.length - shape.length;
  const bad = offset < 0 || shape.some((d, k) => d !== 1 && d !== outShape[k + offset]);
  if (bad) throw new RangeError(`${op}: shape ${fmt(shape)} does not broadcast to ${fmt(outShape)}`);
}

export function checkAxis(op: string, axis: number, rank: number): void {
  if (!Number.isInteger(axis) || axis < 0 || axis >= rank) throw new RangeError(`${op}: axis ${axis} is out of range for rank ${rank}`);
}

export function checkAxes(op: string, axes: readonly number[], rank: number): void {
  for (let i = 0; i < axes.length; i++) {
    checkAxis(op, axes[i]!, rank);
    if (i > 0 && axes[i]! <= axes[i - 1]!) throw new RangeError(`${op}: axes [${axes.join(',')}] must be sorted and unique`);
  }
}

export function checkPermutation(op: string, perm: readonly number[], rank: number): void {
  const bad = perm.length !== rank || new Set(perm).size !== rank || perm.some((p) => !Number.isInteger(p) || p < 0 || p >= rank);
  if (bad) throw new RangeError(`${op}: [${perm.join(',')}] is not a permutation of ${rank} axes`);
}

/** Matmul params are consistent; returns the description errors start with. */
export function checkMatmul(p: MatmulParams): string {
  const desc = `matmul: [${p.batchA},${p.transA ? `${p.k},${p.m}` : `${p.m},${p.k}`}] x [${p.batchB},${p.transB ? `${p.n},${p.k}` : `${p.k},${p.n}`}]`;
  for (const name of ['batch', 'm', 'k', 'n', 'batchA', 'batchB'] as const) {
    if (!Number.isInteger(p[name]) || p[name] < 0) throw new RangeError(`${desc}: ${name} must be a non-negative integer`);
  }
  if ((p.batchA !== 1 && p.batchA !== p.batch) || (p.batchB !== 1 && p.batchB !== p.batch)) throw new RangeError(`${desc}: batches ${p.batchA} and ${p.batchB} do not broadcast to ${p.batch}`);
  return desc;
}

/** Conv params are consistent; returns the dims of the forward conv over the padded input. */
export function checkConv(op: string, p: Conv2dParams): ConvDims {
  const shapes = [p.xShape, p.wShape, p.outShape];
  if (shapes.some((s) => s.length !== 4)) throw new RangeError(`${op}: x ${fmt(p.xShape)}, w ${fmt(p.wShape)} and out ${fmt(p.outShape)} must all be rank 4`);
  shapes.forEach((s) => checkShape(op, 'conv', s));
  const d = forwardDims(p);
  const ok =
    p.wShape[1] === d.c &&
    p.outShape[0] === d.n &&
    p.outShape[1] === d.o &&
    p.strideH >= 1 &&
    p.strideW >= 1 &&
    [p.padTop, p.padBottom, p.padLeft, p.padRight].every((v) => Number.isInteger(v) && v >= 0) &&
    d.oh === Math.floor((d.hp - d.kh) / d.sh) + 1 &&
    d.ow === Math.floor((d.wp - d.kw) / d.sw) + 1;
  if (!ok) {
    throw new RangeError(
      `${op}: x ${fmt(p.xShape)}, w ${fmt(p.wShape)}, stride ${p.strideH}x${p.strideW}, ` +
        `pad ${p.padTop},${p.padBottom},${p.padLeft},${p.padRight} do not give out ${fmt(p.outShape)}`,
    );
  }
  return d;
}

export function checkPool(op: string, p: Pool2dParams): void {
  if (p.xShape.length !== 4 || p.outShape.length !== 4) throw new RangeError(`${op}: x ${fmt(p.xShape)} and out ${fmt(p.outShape)} must be rank 4`);
  const [n, c, h, w] = p.xShape as [number, number, number, number];
  const oh = Math.floor((h + p.padTop + p.padBottom - p.kernelH) / p.strideH) + 1;
  const ow = Math.floor((w + p.padLeft + p.padRight - p.kernelW) / p.strideW) + 1;
  const [on, oc, ph, pw] = p.outShape as [number, number, number, number];
  if (on !== n || oc !== c || ph !== oh || pw !== ow || p.strideH < 1 || p.strideW < 1 || p.kernelH < 1 || p.kernelW < 1) {
    throw new RangeError(`${op}: x ${fmt(p.xShape)}, kernel ${p.kernelH}x${p.kernelW}, stride ${p.strideH}x${p.strideW} do not give out ${fmt(p.outShape)}`);
  }
}
