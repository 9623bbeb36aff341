// Argument checks shared by the primitives: each error names the primitive and the shapes.

import type { Shape } from '@skipinit/tensor';
import { product } from './kernel-source';

export const fmt = (shape: Shape): string => `[${shape.join(',')}]`;

export function checkShape(op: string, what: string, shape: Shape): void {
  for (const d of shape) {
    if (!Number.isInteger(d) || d < 0) throw new RangeError(`${op}: ${what} shape ${fmt(shape)} has an invalid dimension ${d}`);
  }
}

export function checkSize(op: string, what: string, size: number, shape: Shape): void {
  checkShape(op, what, shape);
  if (size !== product(shape)) {
    throw new RangeError(`${op}: ${what} holds ${size} elements but its shape ${fmt(shape)} needs ${product(shape)}`);
  }
}

/** Numpy broadcasting of `shape` to `outShape`. */
export function checkBroadcast(op: string, shape: Shape, outShape: Shape): void {
  const offset = outShape.length - shape.length;
  const bad = offset < 0 || shape.some((d, k) => d !== 1 && d !== outShape[k + offset]);
  if (bad) throw new RangeError(`${op}: shape ${fmt(shape)} does not broadcast to ${fmt(outShape)}`);
}

export function checkAxis(op: string, axis: number, rank: number): void {
  if (!Number.isInteger(axis) || axis < 0 || axis >= rank) {
    throw new RangeError(`${op}: axis ${axis} is out of range for rank ${rank}`);
  }
}

export function checkAxes(op: string, axes: readonly number[], rank: number): void {
  for (let i = 0; i < axes.length; i++) {
    checkAxis(op, axes[i]!, rank);
    if (i > 0 && axes[i]! <= axes[i - 1]!) throw new RangeError(`${op}: axes [${axes.join(',')}] must be sorted and unique`);
  }
}

export function checkPermutation(op: string, perm: readonly number[], rank: number): void {
  const seen = new Set(perm);
  if (perm.length !== rank || seen.size !== rank || perm.some((p) => !Number.isInteger(p) || p < 0 || p >= rank)) {
    throw new RangeError(`${op}: [${perm.join(',')}] is not a permutation of ${rank} axes`);
  }
}
