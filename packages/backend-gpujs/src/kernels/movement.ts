// Movement kernels: every one is a gather from the input at an index computed from the output cell.

import type { Shape } from '@skipinit/tensor';
import { kernel } from '../kernel';
import { contiguousStrides, int, kernelFunction, linear, mergeDims, product, type KernelSpec } from '../kernel-source';
import { flatLayout } from './flat-layout';

/** out[c] = x[offset + sum_k c_k * strides[k]] over the output's coordinates c. */
function stridedGather(op: string, outShape: Shape, strides: readonly number[], offset: number, limit: number): KernelSpec {
  const merged = mergeDims(outShape, [strides]);
  const st = merged.strides[0]!;
  const size = product(outShape);
  const isIdentity = merged.dims.length <= 1 && (merged.dims.length === 0 || st[0] === 1);
  if (isIdentity) {
    const index = size === 1 ? int(offset) : offset === 0 ? 'this.thread.x' : `this.thread.x + ${int(offset)}`;
    return { op, output: [size], source: kernelFunction(['x'], [`return x[${index}];`]) };
  }
  const layout = flatLayout(merged.dims, limit);
  const index = linear(st.map((s, k) => [layout.coords[k]!, s] as const), offset);
  return { op, output: layout.output, source: kernelFunction(['x'], [...layout.lines, `return x[${index}];`]) };
}

export const PERMUTE = kernel('permute', ({ shape, perm, limit }: { shape: Shape; perm: readonly number[]; limit: number }) => {
  const own = contiguousStrides(shape);
  return stridedGather('permute', perm.map((p) => shape[p]!), perm.map((p) => own[p]!), 0, limit);
});

export const SLICE = kernel('slice', ({ shape, begin, size, limit }: { shape: Shape; begin: readonly number[]; size: readonly number[]; limit: number }) => {
  const own = contiguousStrides(shape);
  return stridedGather('slice', size, own, begin.reduce((acc, b, k) => acc + b * own[k]!, 0), limit);
});

/** Copies x into the padded shape; new cells take the kernel argument `value`. */
export const PAD = kernel('pad', ({ shape, pads, limit }: { shape: Shape; pads: readonly (readonly [number, number])[]; limit: number }) => {
  const outShape = shape.map((d, k) => d + pads[k]![0] + pads[k]![1]);
  const own = contiguousStrides(shape);
  // keep dims that are padded; merge only runs of unpadded dims
  const [dims, strides, before, extent]: number[][] = [[], [], [], []];
  for (let k = 0; k < shape.length; k++) {
    const [b, a] = pads[k]!;
    const last = dims.length - 1;
    if (b === 0 && a === 0 && last >= 0 && before[last] === 0 && extent[last] === dims[last] && strides[last] === own[k]! * shape[k]!) {
      [dims[last], extent[last], strides[last]] = [dims[last]! * shape[k]!, dims[last]! * shape[k]!, own[k]!];
      continue;
    }
    [outShape[k]!, own[k]!, b, shape[k]!].forEach((v, j) => [dims, strides, before, extent][j]!.push(v));
  }
  const layout = flatLayout(dims, limit);
  const conds: string[] = [];
  const terms: (readonly [string, number])[] = [];
  let offset = 0;
  for (let k = 0; k < dims.length; k++) {
    const c = layout.coords[k]!;
    if (before[k] !== 0 || extent[k] !== dims[k]) conds.push(`${c} >= ${int(before[k]!)} && ${c} < ${int(before[k]! + extent[k]!)}`);
    terms.push([c, strides[k]!]);
    offset -= before[k]! * strides[k]!;
  }
  const index = linear(terms, offset);
  const body = conds.length === 0 ? [`return x[${index}];`] : [`if (${conds.join(' && ')}) {`, `  return x[${index}];`, '}', 'return value;'];
  return { op: 'pad', output: layout.output, source: kernelFunction(['x', 'value'], [...layout.lines, ...body]) };
});

/** Concatenation of two tensors along `axis` (n-ary concat chains these). */
export const CONCAT2 = kernel('concat', ({ a, b, axis, limit }: { a: Shape; b: Shape; axis: number; limit: number }) => {
  const [outer, inner, na, nb] = [product(a.slice(0, axis)), product(a.slice(axis + 1)), a[axis]!, b[axis]!];
  const { output, lines, coords } = flatLayout([outer, na + nb, inner], limit);
  const [c0, c1, c2] = coords as [string, string, string];
  const fromA = `  return a[${linear([[c0, na * inner], [c1, inner], [c2, 1]])}];`;
  const source = kernelFunction(['a', 'b'], [...lines, `if (${c1} < ${int(na)}) {`, fromA, '}', `return b[${linear([[c0, nb * inner], [c1, inner], [c2, 1]], -na * inner)}];`]);
  return { op: 'concat', output, source };
});
