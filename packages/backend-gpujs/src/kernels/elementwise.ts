// Elementwise kernels: unary maps, broadcasting binary ops, where, and the affine map. `limit` is where
// float32 index math stops being exact (2^24; lowered by tests to run the multi-axis layouts).

import type { BinaryOp, Shape, UnaryOp } from '@skipinit/tensor';
import { kernel } from '../kernel';
import { broadcastStrides, flushDenormal, kernelFunction, linear, mergeDims, product } from '../kernel-source';
import { flatLayout } from './flat-layout';

/** Each unary op as an expression of the value `v`. */
const UNARY_EXPRESSIONS: Readonly<Record<UnaryOp, string>> = {
  neg: '-v', exp: 'Math.exp(v)', log: 'Math.log(v)', sqrt: 'Math.sqrt(v)', rsqrt: '1.0 / Math.sqrt(v)', abs: 'Math.abs(v)',
  sign: '(v > 0.0 ? 1.0 : (v < 0.0 ? -1.0 : v))', square: 'v * v', reciprocal: '1.0 / v', relu: '(v > 0.0 ? v : 0.0)',
  sigmoid: '1.0 / (1.0 + Math.exp(-v))', tanh: 'Math.tanh(v)',
};

/**
 * u^w with the sign of a negative base taken by hand for integer w: WGSL's pow is exp2(w * log2(u)),
 * undefined (Infinity, NaN) for u < 0, where JavaScript's Math.pow gives (-2)^3 = -8.
 */
const POW = '(u < 0.0 && Math.floor(w) == w ? (Math.floor(w * 0.5) * 2.0 == w ? Math.pow(-u, w) : -Math.pow(-u, w)) : Math.pow(u, w))';

/** Each binary op as an expression of `u` (left) and `w` (right). Comparisons give 1 or 0. */
const BINARY_EXPRESSIONS: Readonly<Record<BinaryOp, string>> = {
  add: 'u + w', sub: 'u - w', mul: 'u * w', div: 'u / w', pow: POW, maximum: 'Math.max(u, w)', minimum: 'Math.min(u, w)',
  eq: '(u == w ? 1.0 : 0.0)', ne: '(u != w ? 1.0 : 0.0)', lt: '(u < w ? 1.0 : 0.0)', le: '(u <= w ? 1.0 : 0.0)',
  gt: '(u > w ? 1.0 : 0.0)', ge: '(u >= w ? 1.0 : 0.0)',
};

const ARITHMETIC = new Set<BinaryOp>(['add', 'sub', 'mul', 'div', 'pow']);

export const UNARY = kernel('unary', ({ op, size }: { op: UnaryOp; size: number }) => ({
  op: `unary.${op}`,
  output: [size],
  source: kernelFunction(['x'], ['const v = x[this.thread.x];', `return ${UNARY_EXPRESSIONS[op]};`]),
}));

/** relu's gradient from its output: dy where y > 0, else 0 (NaN y passes dy, as torch's threshold_backward). */
export const RELU_BACKWARD = kernel('reluBackward', ({ size }: { size: number }) => ({
  op: 'reluBackward',
  output: [size],
  source: kernelFunction(['dy', 'y'], ['return (y[this.thread.x] <= 0.0 ? 0.0 : dy[this.thread.x]);']),
}));

/** out = x * scale + shift; scale and shift are kernel arguments so one kernel serves every value. */
export const AFFINE = kernel('affine', ({ size }: { size: number }) => ({
  op: 'affine',
  output: [size],
  source: kernelFunction(['x', 'scale', 'shift'], ['const r = x[this.thread.x] * scale + shift;', `return ${flushDenormal('r')};`]),
}));

/**
 * Index expressions of several operands broadcast to `outShape`: the kernel's output dims, the
 * statements to emit first, and one Integer index expression per operand. Contiguous and scalar
 * operands need no coordinates; the others read through flatLayout (exact at any size).
 */
function broadcastIndices(shapes: readonly Shape[], outShape: Shape, limit: number): { output: number[]; lines: string[]; indices: string[] } {
  const strides = shapes.map((s) => broadcastStrides(s, outShape));
  const merged = mergeDims(outShape, strides);
  const size = product(outShape);
  const contiguous = (st: readonly number[]) => {
    let s = 1;
    for (let k = merged.dims.length - 1; k >= 0; k--) {
      if (st[k] !== s) return false;
      s *= merged.dims[k]!;
    }
    return true;
  };
  const needs = merged.strides.some((st, j) => !contiguous(st) && product(shapes[j]!) !== 1);
  if (!needs) return { output: [size], lines: [], indices: shapes.map((s) => (product(s) === 1 ? '0' : 'this.thread.x')) };
  const layout = flatLayout(merged.dims, limit);
  const indices = merged.strides.map((st, j) => {
    if (product(shapes[j]!) === 1) return '0';
    if (contiguous(st)) return layout.flat;
    return linear(st.map((s, k) => [layout.coords[k]!, s] as const));
  });
  return { output: layout.output, lines: layout.lines, indices };
}

export const BINARY = kernel('binary', ({ op, a, b, out, limit }: { op: BinaryOp; a: Shape; b: Shape; out: Shape; limit: number }) => {
  const { output, lines, indices } = broadcastIndices([a, b], out, limit);
  // arithmetic results are flushed (see flushDenormal); comparisons give 0 or 1
  const result = ARITHMETIC.has(op) ? [`const r = ${BINARY_EXPRESSIONS[op]};`, `return ${flushDenormal('r')};`] : [`return ${BINARY_EXPRESSIONS[op]};`];
  return { op: `binary.${op}`, output, source: kernelFunction(['a', 'b'], [...lines, `const u = a[${indices[0]}];`, `const w = b[${indices[1]}];`, ...result]) };
});

export const WHERE = kernel('where', ({ cond, a, b, out, limit }: { cond: Shape; a: Shape; b: Shape; out: Shape; limit: number }) => {
  const { output, lines, indices } = broadcastIndices([cond, a, b], out, limit);
  return { op: 'where', output, source: kernelFunction(['cond', 'a', 'b'], [...lines, `const u = a[${indices[1]}];`, `const w = b[${indices[2]}];`, `return (cond[${indices[0]}] != 0.0 ? u : w);`]) };
});

/** Materialises x (numpy-broadcast) at outShape. */
export const BROADCAST_TO = kernel('broadcastTo', ({ shape, out, limit }: { shape: Shape; out: Shape; limit: number }) => {
  const { output, lines, indices } = broadcastIndices([shape], out, limit);
  return { op: 'broadcastTo', output, source: kernelFunction(['x'], [...lines, `return x[${indices[0]}];`]) };
});
