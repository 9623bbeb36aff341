// Movement kernels: every one is a gather from the input at an index computed from the output cell.

import type { Shape } from '@skipinit/tensor';
import { contiguousStrides, decompose, fl, int, kernelFunction, linear, mergeDims, product, type KernelSpec } from '../kernel-source';

/** out[c] = x[offset + sum_k c_k * strides[k]] over the output's coordinates c. */
function stridedGather(op: string, outShape: Shape, strides: readonly number[], offset: number): KernelSpec {
  const merged = mergeDims(outShape, [strides]);
  const st = merged.strides[0]!;
  const size = product(outShape);
  let index: string;
  let lines: string[] = [];
  const isIdentity = merged.dims.length <= 1 && (merged.dims.length === 0 || st[0] === 1);
  if (isIdentity) {
    index = size === 1 ? int(offset) : offset === 0 ? 'this.thread.x' : `this.thread.x + ${int(offset)}`;
  } else {
    lines = ['const i = this.thread.x;', ...decompose('i', merged.dims, 'c')];
    index = linear(st.map((s, k) => [`c${k}`, s] as const), offset);
  }
  return { op, output: [size], source: kernelFunction(['x'], [...lines, `return x[${index}];`]) };
}

export function permuteKernel(shape: Shape, perm: readonly number[]): KernelSpec {
  const own = contiguousStrides(shape);
  const outShape = perm.map((p) => shape[p]!);
  return stridedGather('permute', outShape, perm.map((p) => own[p]!), 0);
}

export function sliceKernel(shape: Shape, begin: readonly number[], size: readonly number[]): KernelSpec {
  const own = contiguousStrides(shape);
  const offset = begin.reduce((acc, b, k) => acc + b * own[k]!, 0);
  return stridedGather('slice', size, own, offset);
}

/** Copies x into the padded shape; new cells take the kernel argument `value`. */
export function padKernel(shape: Shape, pads: readonly (readonly [number, number])[]): KernelSpec {
  const outShape = shape.map((d, k) => d + pads[k]![0] + pads[k]![1]);
  const own = contiguousStrides(shape);
  // keep dims that are padded; merge only runs of unpadded dims
  const dims: number[] = [];
  const strides: number[] = [];
  const before: number[] = [];
  const extent: number[] = [];
  for (let k = 0; k < shape.length; k++) {
    const [b, a] = pads[k]!;
    const last = dims.length - 1;
    if (b === 0 && a === 0 && last >= 0 && before[last] === 0 && extent[last] === dims[last] && strides[last] === own[k]! * shape[k]!) {
      dims[last] = dims[last]! * shape[k]!;
      extent[last] = dims[last]!;
      strides[last] = own[k]!;
      continue;
    }
    dims.push(outShape[k]!);
    strides.push(own[k]!);
    before.push(b);
    extent.push(shape[k]!);
  }
  const lines = ['const i = this.thread.x;', ...decompose('i', dims, 'c')];
  const conds: string[] = [];
  const terms: (readonly [string, number])[] = [];
  let offset = 0;
  for (let k = 0; k < dims.length; k++) {
    if (before[k] !== 0 || extent[k] !== dims[k]) {
      conds.push(`c${k} >= ${fl(before[k]!)} && c${k} < ${fl(before[k]! + extent[k]!)}`);
    }
    terms.push([`c${k}`, strides[k]!]);
    offset -= before[k]! * strides[k]!;
  }
  const index = linear(terms, offset);
  const body =
    conds.length === 0
      ? [`return x[${index}];`]
      : [`if (${conds.join(' && ')}) {`, `  return x[${index}];`, '}', 'return value;'];
  return { op: 'pad', output: [product(outShape)], source: kernelFunction(['x', 'value'], [...lines, ...body]) };
}

/** Concatenation of two tensors along `axis` (n-ary concat chains these). */
export function concat2Kernel(aShape: Shape, bShape: Shape, axis: number): KernelSpec {
  const outer = product(aShape.slice(0, axis));
  const inner = product(aShape.slice(axis + 1));
  const na = aShape[axis]!;
  const nb = bShape[axis]!;
  const n = na + nb;
  const lines = ['const i = this.thread.x;', ...decompose('i', [outer, n, inner], 'c')];
  return {
    op: 'concat',
    output: [outer * n * inner],
    source: kernelFunction(['a', 'b'], [
      ...lines,
      `if (c1 < ${fl(na)}) {`,
      `  return a[${linear([['c0', na * inner], ['c1', inner], ['c2', 1]])}];`,
      '}',
      `return b[${linear([['c0', nb * inner], ['c1', inner], ['c2', 1]], -na * inner)}];`,
    ]),
  };
}
