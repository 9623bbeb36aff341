// Index arithmetic for the reference backend's plain loops: row-major strides and broadcast offsets.

import type { Shape } from '../backend';

export function strides(shape: Shape): number[] {
  const s = new Array<number>(shape.length);
  let acc = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    s[i] = acc;
    acc *= shape[i];
  }
  return s;
}

export function size(shape: Shape): number {
  let n = 1;
  for (const d of shape) n *= d;
  return n;
}

/**
 * For each flat index of `outShape`, the flat index into an input of `inShape` broadcast to it (numpy
 * rules: aligned right, size-1 dims repeat).
 */
export function broadcastIndex(inShape: Shape, outShape: Shape): Int32Array {
  const n = size(outShape);
  const map = new Int32Array(n);
  const rank = outShape.length;
  const off = rank - inShape.length;
  const inStrides = strides(inShape);
  // stride of each out dim in the input (0 where the input is broadcast or absent)
  const s = outShape.map((_, d) => (d < off || inShape[d - off] === 1 ? 0 : inStrides[d - off]));
  const idx = new Array<number>(rank).fill(0);
  let offset = 0;
  for (let i = 0; i < n; i++) {
    map[i] = offset;
    for (let d = rank - 1; d >= 0; d--) {
      idx[d]++;
      offset += s[d];
      if (idx[d] < outShape[d]) break;
      offset -= s[d] * idx[d];
      idx[d] = 0;
    }
  }
  return map;
}
