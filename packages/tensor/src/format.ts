// toString for tensors, in torch's style: `tensor([[ 1.0000, -2.5000], [ 3.0000,  4.0000]])`, with
// large tensors summarised (first and last 3 entries per dim) and the autograd state appended.

import type { Tensor } from './tensor';

const THRESHOLD = 1000;
const EDGE = 3;

function formatter(values: ArrayLike<number>): (v: number) => string {
  let allInt = true;
  let maxAbs = 0;
  let minAbs = Infinity;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (!Number.isFinite(v)) continue;
    if (!Number.isInteger(v)) allInt = false;
    const a = Math.abs(v);
    maxAbs = Math.max(maxAbs, a);
    if (a > 0) minAbs = Math.min(minAbs, a);
  }
  const sci = maxAbs >= 1e8 || (!allInt && (minAbs < 1e-4 || maxAbs / minAbs >= 1e3 * 1e3));
  return (v) => {
    if (Number.isNaN(v)) return 'nan';
    if (!Number.isFinite(v)) return v > 0 ? 'inf' : '-inf';
    if (sci) return v.toExponential(4);
    return allInt ? `${v}.` : v.toFixed(4);
  };
}

export function formatTensor(t: Tensor): string {
  if (t.isDisposed) return `tensor(<disposed>, shape=[${t.shape.join(',')}])`;
  let values: Float32Array;
  try {
    values = t.dataSync();
  } catch {
    return `tensor(<shape [${t.shape.join(',')}] on ${t.engine.backend.mode}: read it with await t.data()>)`;
  }
  const summarise = t.size > THRESHOLD;
  const fmt = formatter(values);
  const strings = Array.from(values, fmt);
  const width = strings.reduce((w, s) => Math.max(w, s.length), 0);
  const shape = t.shape;
  const strides = shape.map((_, i) => shape.slice(i + 1).reduce((a, b) => a * b, 1));
  const indent = ' '.repeat('tensor('.length);
  const build = (dim: number, offset: number): string => {
    if (dim === shape.length) return strings[offset].padStart(width);
    const n = shape[dim];
    const idx = summarise && n > 2 * EDGE ? [...range(0, EDGE), -1, ...range(n - EDGE, n)] : range(0, n);
    const parts = idx.map((i) => (i < 0 ? '...' : build(dim + 1, offset + i * strides[dim])));
    const sep = dim === shape.length - 1 ? ', ' : ',' + '\n'.repeat(shape.length - dim - 1) + indent + ' '.repeat(dim + 1);
    return `[${parts.join(sep)}]`;
  };
  const extras: string[] = [];
  if (summarise) extras.push(`shape=[${shape.join(',')}]`);
  if (t.gradFn !== null) extras.push(`gradFn=<${t.gradFn}>`);
  else if (t.requiresGrad) extras.push('requiresGrad=true');
  return `tensor(${build(0, 0)}${extras.map((e) => ', ' + e).join('')})`;
}

function range(a: number, b: number): number[] {
  return Array.from({ length: b - a }, (_, i) => a + i);
}
