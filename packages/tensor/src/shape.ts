// Shapes: sizes, strides, axis normalisation and numpy broadcasting.
//
// Broadcasting (numpy / torch rules): align shapes at the right; two dims are compatible when equal or
// when one of them is 1; the result takes the larger. Its adjoint is `sumToAxes`: the axes a gradient
// of the broadcast shape must be summed over to come back to the input's shape.

import type { Shape } from './backend';
import { TensorError, check, formatShape } from './errors';

/** Number of elements (1 for a scalar). */
export function sizeOf(shape: Shape): number {
  let n = 1;
  for (let i = 0; i < shape.length; i++) n *= shape[i];
  return n;
}

/** Row-major strides: the last axis is contiguous. */
export function stridesOf(shape: Shape): number[] {
  const strides = new Array<number>(shape.length);
  let s = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    strides[i] = s;
    s *= shape[i];
  }
  return strides;
}

export function shapesEqual(a: Shape, b: Shape): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** Throws unless every dim is a positive integer (empty tensors are not supported). */
export function checkShape(op: string, shape: Shape): void {
  check(Array.isArray(shape) || ArrayBuffer.isView(shape), op, () => `shape must be an array of integers, got ${String(shape)}`);
  for (let i = 0; i < shape.length; i++) {
    const d = shape[i];
    check(Number.isInteger(d) && d > 0, op, () =>
      Number.isInteger(d) && d === 0
        ? `shape ${formatShape(shape)} has a zero-size dimension ${i} (empty tensors are not supported)`
        : `shape ${formatShape(shape)}: dimension ${i} must be a positive integer, got ${d}`,
    );
  }
}

/** A (possibly negative) axis into [0, rank). */
export function normalizeAxis(op: string, axis: number, rank: number, shape?: Shape): number {
  const where = shape ? `${formatShape(shape)}: ` : '';
  check(Number.isInteger(axis), op, () => `${where}axis must be an integer, got ${axis}`);
  check(axis >= -rank && axis < rank, op, () =>
    rank === 0
      ? `${where}axis ${axis} is out of range for a scalar (rank 0)`
      : `${where}axis ${axis} is out of range for rank ${rank} (valid: ${-rank}..${rank - 1})`,
  );
  return axis < 0 ? axis + rank : axis;
}

/** Axes (number, list, or undefined = all) into a sorted, unique list in [0, rank). */
export function normalizeAxes(op: string, axes: number | readonly number[] | undefined | null, shape: Shape): number[] {
  const rank = shape.length;
  if (axes === undefined || axes === null) return Array.from({ length: rank }, (_, i) => i);
  const list = typeof axes === 'number' ? [axes] : axes;
  const out = list.map((a) => normalizeAxis(op, a, rank, shape));
  const sorted = [...out].sort((a, b) => a - b);
  for (let i = 1; i < sorted.length; i++) {
    check(sorted[i] !== sorted[i - 1], op, () => `${formatShape(shape)}: axis ${sorted[i]} is repeated in [${list.join(',')}]`);
  }
  return sorted;
}

/** The broadcast of two shapes, or a TensorError naming `op` and both shapes. */
export function broadcastShapes(op: string, a: Shape, b: Shape): number[] {
  const rank = Math.max(a.length, b.length);
  const out = new Array<number>(rank);
  for (let i = 0; i < rank; i++) {
    const da = i < rank - a.length ? 1 : a[i - (rank - a.length)];
    const db = i < rank - b.length ? 1 : b[i - (rank - b.length)];
    if (da !== db && da !== 1 && db !== 1) {
      throw new TensorError(
        op,
        `${formatShape(a)} and ${formatShape(b)}: shapes do not broadcast (dim ${i - rank}: ${da} vs ${db})`,
      );
    }
    out[i] = da === 1 ? db : da;
  }
  return out;
}

/** True when `from` broadcasts to exactly `to`. */
export function broadcastsTo(from: Shape, to: Shape): boolean {
  if (from.length > to.length) return false;
  const off = to.length - from.length;
  for (let i = 0; i < from.length; i++) if (from[i] !== 1 && from[i] !== to[i + off]) return false;
  return true;
}

/**
 * The axes of `from` (a broadcast result) to sum over to get back to `to`, and whether the summed result
 * then needs a reshape (leading axes dropped or size-1 axes kept).
 */
export function sumToAxes(from: Shape, to: Shape): number[] {
  const off = from.length - to.length;
  const axes: number[] = [];
  for (let i = 0; i < from.length; i++) {
    if (i < off || (to[i - off] === 1 && from[i] !== 1)) axes.push(i);
  }
  return axes;
}

/** `shape` with a -1 entry (at most one) resolved so the sizes match, or a TensorError. */
export function inferReshape(op: string, from: Shape, to: readonly number[]): number[] {
  const size = sizeOf(from);
  let unknown = -1;
  let known = 1;
  for (let i = 0; i < to.length; i++) {
    const d = to[i];
    if (d === -1) {
      check(unknown < 0, op, () => `${formatShape(from)} -> ${formatShape(to)}: only one dimension can be -1`);
      unknown = i;
    } else {
      check(Number.isInteger(d) && d > 0, op, () => `${formatShape(from)} -> ${formatShape(to)}: invalid dimension ${d}`);
      known *= d;
    }
  }
  const out = [...to];
  if (unknown >= 0) {
    check(size % known === 0, op, () => `${formatShape(from)} -> ${formatShape(to)}: ${size} elements do not divide into ${known}`);
    out[unknown] = size / known;
  }
  check(sizeOf(out) === size, op, () => `${formatShape(from)} (${size} elements) -> ${formatShape(to)} (${sizeOf(out)} elements): sizes differ`);
  return out;
}

/** `shape` with the reduced axes set to 1 (the keepdim shape). */
export function keepdimShape(shape: Shape, axes: readonly number[]): number[] {
  return shape.map((d, i) => (axes.includes(i) ? 1 : d));
}

/** `shape` with the reduced axes dropped. */
export function reducedShape(shape: Shape, axes: readonly number[]): number[] {
  return shape.filter((_, i) => !axes.includes(i));
}
