// Reductions over axes, argmax, and the row-wise log-softmax. Each output cell loops over its reduced
// cells with literal bounds; kept and reduced axes are merged into runs first, so a reduction over the
// trailing (or leading) axes is one plain loop.

import type { ReduceOp, Shape } from '@skipinit/tensor';
import { kernel } from '../kernel';
import { contiguousStrides, int, kernelFunction, linear } from '../kernel-source';
import { flatLayout } from './flat-layout';

type Runs = { kept: { dim: number; stride: number }[]; reduced: { dim: number; stride: number }[] };

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
    if (kind === lastKind) list[list.length - 1] = { dim: list[list.length - 1]!.dim * d, stride: strides[k]! };
    else list.push({ dim: d, stride: strides[k]! });
    lastKind = kind;
  }
  return { kept, reduced };
}

const COMBINE: Record<ReduceOp, string> = { sum: 'acc = acc + v;', max: 'acc = Math.max(acc, v);', min: 'acc = Math.min(acc, v);' };

/**
 * Nested literal-bound loops over the reduced runs; `body` sees the read `x[...]` of the current
 * cell as `read` (the index is written inline from the Integer `base` and `(r | 0)` terms: i32).
 */
function loops(base: string, reduced: Runs['reduced'], body: (read: string) => string[]): string[] {
  const lines: string[] = [];
  const terms: (readonly [string, number])[] = [];
  reduced.forEach((r, k) => {
    lines.push(`${'  '.repeat(k)}for (let r${k} = 0; r${k} < ${int(r.dim)}; r${k}++) {`);
    terms.push([`(r${k} | 0)`, r.stride]);
  });
  const depth = '  '.repeat(reduced.length);
  const offset = linear(terms);
  for (const b of body(`x[${base === '0' ? offset : `${base} + ${offset}`}]`)) lines.push(depth + b);
  for (let k = reduced.length - 1; k >= 0; k--) lines.push(`${'  '.repeat(k)}}`);
  return lines;
}

/** The kept runs as a kernel layout and the Integer index of each output cell's first input cell. */
function keptBase(kept: Runs['kept'], limit: number): { output: number[]; lines: string[]; base: string } {
  if (kept.length === 0) return { output: [1], lines: [], base: '0' };
  const layout = flatLayout(kept.map((k) => k.dim), limit);
  return { output: layout.output, lines: layout.lines, base: linear(kept.map((k, n) => [layout.coords[n]!, k.stride] as const)) };
}

export const REDUCE = kernel('reduce', ({ op, shape, axes, limit }: { op: ReduceOp; shape: Shape; axes: readonly number[]; limit: number }) => {
  const { kept, reduced } = runs(shape, axes);
  const { output, lines, base } = keptBase(kept, limit);
  const init = op === 'sum' ? 'let acc = 0.0;' : `let acc = x[${base}];`;
  return { op: `reduce.${op}`, output, source: kernelFunction(['x'], [...lines, init, ...loops(base, reduced, (read) => [`const v = ${read};`, COMBINE[op]]), 'return acc;']) };
});

/** Index along `axis` of the first largest value; the axis is dropped. */
export const ARGMAX = kernel('argmax', ({ shape, axis, limit }: { shape: Shape; axis: number; limit: number }) => {
  const strides = contiguousStrides(shape);
  const n = shape[axis]!;
  const keptDims = shape.filter((_, k) => k !== axis);
  const keptStrides = strides.filter((_, k) => k !== axis);
  const layout = flatLayout(keptDims, limit);
  const base = keptDims.length === 0 ? '0' : linear(keptStrides.map((s, k) => [layout.coords[k]!, s] as const));
  return {
    op: 'argmax',
    output: layout.output,
    source: kernelFunction(['x'], [...layout.lines, `let best = x[${base}];`, 'let at = 0.0;', `for (let r = 1; r < ${int(n)}; r++) {`, `  const v = x[${base} + (r | 0) * ${int(strides[axis]!)}];`, '  if (v > best) {', '    best = v;', '    at = r;', '  }', '}', 'return at;']),
  };
});

/** Per row of a [rows, cols] matrix: max + log(sum(exp(x - max))). */
export const LOG_SUM_EXP_ROWS = kernel('logSoftmax.lse', ({ rows, cols }: { rows: number; cols: number }) => {
  const at = (k: string) => `x[this.thread.x * ${int(cols)} + ${k}]`;
  const max = [`let m = ${at('0')};`, `for (let k = 1; k < ${int(cols)}; k++) {`, `  m = Math.max(m, ${at('(k | 0)')});`, '}'];
  const sum = ['let s = 0.0;', `for (let k = 0; k < ${int(cols)}; k++) {`, `  s = s + Math.exp(${at('(k | 0)')} - m);`, '}'];
  return { op: 'logSoftmax.lse', output: [rows], source: kernelFunction(['x'], [...max, ...sum, 'return m + Math.log(s);']) };
});

/** x - lse[row]: threads [cols, rows]. */
export const SUBTRACT_ROW = kernel('logSoftmax.sub', ({ rows, cols }: { rows: number; cols: number }) => ({
  op: 'logSoftmax.sub',
  output: [cols, rows],
  source: kernelFunction(['x', 'lse'], [`return x[this.thread.y * ${int(cols)} + this.thread.x] - lse[this.thread.y];`]),
}));
