// Reductions over axes, argmax, and the row-wise log-softmax.
//
// Each output cell loops over its reduced cells with literal bounds. Kept and reduced axes are
// merged into runs first, so a reduction over the trailing (or leading) axes is one plain loop.

import type { ReduceOp, Shape } from '@skipinit/tensor';
import { contiguousStrides, decompose, fl, int, kernelFunction, linear, product, type KernelSpec } from '../kernel-source';

interface Runs {
  kept: { dim: number; stride: number }[];
  reduced: { dim: number; stride: number }[];
}

/** Splits shape into merged runs of kept and reduced axes, each with its input stride. */
function runs(shape: Shape, axes: readonly number[]): Runs {
  const strides = contiguousStrides(shape);
  const kept: Runs['kept'] = [];
  const reduced: Runs['reduced'] = [];
  let lastKind: 'kept' | 'reduced' | null = null;
  for (let k = 0; k < shape.length; k++) {
    const d = shape[k]!;
    if (d === 1) continue;
    const kind = axes.includes(k) ? 'reduced' : 'kept';
    const list = kind === 'kept' ? kept : reduced;
    if (kind === lastKind) {
      const last = list[list.length - 1]!;
      last.dim *= d;
      last.stride = strides[k]!;
    } else {
      list.push({ dim: d, stride: strides[k]! });
    }
    lastKind = kind;
  }
  return { kept, reduced };
}

const COMBINE: Record<ReduceOp, string> = {
  sum: 'acc = acc + v;',
  max: 'acc = Math.max(acc, v);',
  min: 'acc = Math.min(acc, v);',
};

/** Nested literal-bound loops over the reduced runs; `body` sees the flat input index `j`. */
function loops(base: string, reduced: Runs['reduced'], body: string[]): string[] {
  const lines: string[] = [];
  const terms: (readonly [string, number])[] = [];
  reduced.forEach((r, k) => {
    lines.push(`${'  '.repeat(k)}for (let r${k} = 0; r${k} < ${int(r.dim)}; r${k}++) {`);
    terms.push([`r${k}`, r.stride]);
  });
  const depth = '  '.repeat(reduced.length);
  lines.push(`${depth}const j = ${base} + ${linear(terms)};`);
  for (const b of body) lines.push(depth + b);
  for (let k = reduced.length - 1; k >= 0; k--) lines.push(`${'  '.repeat(k)}}`);
  return lines;
}

function keptBase(kept: Runs['kept']): string[] {
  if (kept.length === 0) return ['const base = 0;'];
  return [
    'const i = this.thread.x;',
    ...decompose('i', kept.map((k) => k.dim), 'c'),
    `const base = ${linear(kept.map((k, n) => [`c${n}`, k.stride] as const))};`,
  ];
}

export function reduceKernel(op: ReduceOp, shape: Shape, axes: readonly number[]): KernelSpec {
  const { kept, reduced } = runs(shape, axes);
  const outSize = product(kept.map((k) => k.dim));
  const init = op === 'sum' ? 'let acc = 0.0;' : 'let acc = x[base];';
  return {
    op: `reduce.${op}`,
    output: [outSize],
    source: kernelFunction(['x'], [
      ...keptBase(kept),
      init,
      ...loops('base', reduced, ['const v = x[j];', COMBINE[op]]),
      'return acc;',
    ]),
  };
}

/** Index along `axis` of the first largest value; the axis is dropped. */
export function argmaxKernel(shape: Shape, axis: number): KernelSpec {
  const strides = contiguousStrides(shape);
  const n = shape[axis]!;
  const outShape = shape.filter((_, k) => k !== axis);
  const keptDims = outShape.length === 0 ? [] : outShape;
  const keptStrides = strides.filter((_, k) => k !== axis);
  const lines =
    keptDims.length === 0
      ? ['const base = 0;']
      : [
          'const i = this.thread.x;',
          ...decompose('i', keptDims, 'c'),
          `const base = ${linear(keptStrides.map((s, k) => [`c${k}`, s] as const))};`,
        ];
  return {
    op: 'argmax',
    output: [Math.max(product(outShape), 1)],
    source: kernelFunction(['x'], [
      ...lines,
      'let best = x[base];',
      'let at = 0.0;',
      `for (let r = 1; r < ${int(n)}; r++) {`,
      `  const v = x[base + r * ${int(strides[axis]!)}];`,
      '  if (v > best) {',
      '    best = v;',
      '    at = r;',
      '  }',
      '}',
      'return at;',
    ]),
  };
}

/** Per row of a [rows, cols] matrix: max + log(sum(exp(x - max))). */
export function logSumExpRowsKernel(rows: number, cols: number): KernelSpec {
  return {
    op: 'logSoftmax.lse',
    output: [rows],
    source: kernelFunction(['x'], [
      `const base = this.thread.x * ${int(cols)};`,
      'let m = x[base];',
      `for (let k = 1; k < ${int(cols)}; k++) {`,
      '  m = Math.max(m, x[base + k]);',
      '}',
      'let s = 0.0;',
      `for (let k = 0; k < ${int(cols)}; k++) {`,
      '  s = s + Math.exp(x[base + k] - m);',
      '}',
      'return m + Math.log(s);',
    ]),
  };
}

/** x - lse[row]. */
export function subtractRowKernel(rows: number, cols: number): KernelSpec {
  return {
    op: 'logSoftmax.sub',
    output: [rows * cols],
    source: kernelFunction(['x', 'lse'], [
      `const row = Math.floor(this.thread.x / ${fl(cols)});`,
      'return x[this.thread.x] - lse[row];',
    ]),
  };
}
