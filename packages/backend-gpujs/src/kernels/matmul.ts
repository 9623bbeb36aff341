// Batched matrix multiply, shaped for gpu.js's WebAssembly vectoriser.
//
// The vectoriser runs four adjacent output cells (thread.x .. thread.x+3) per SIMD step. Every read
// whose index depends on thread.x becomes a gather (four scalar loads); a read that does not is one
// scalar load and a splat. So the blocked kernel puts output columns n on the SIMD lanes and returns
// Array(4) — four output rows per thread: each k step gathers b[k][n..n+3] once and reuses it for
// four rows of a (four splats), 16 multiply-adds per gather. Host modes (webasm, cpu) run the blocked
// kernel and de-interleave its [batch][m/4][n][4] output; GPU modes run one output per thread.
// On webasm (the patched generator of patches/: i32 locals, `base + thread.x` reads as one v128.load,
// Array(n) returns up to 16) the wide kernel takes eight rows per thread from a copy of a packed
// [batch][m/8][k][8] by a small kernel first, so a thread's eight a values for one k share a cache line
// and every b row is streamed half as often (matmul 1024: 7.4 -> 16-18 GFLOP/s on one thread). Each
// output's sum runs in the same order as in the blocked kernel: the results are the same bits.

import type { MatmulParams } from '@skipinit/tensor';
import { kernel, post } from '../kernel';
import { RETURN_FLUSHED, ZERO4, flushDenormal, int, kernelFunction } from '../kernel-source';

/** Index expressions of a[batch][row][k] and b[batch][k][col] honouring the transposed storage flags. */
function operands(p: MatmulParams) {
  const aBatch = p.batchA > 1 ? `this.thread.z * ${int(p.m * p.k)} + ` : '';
  const bBatch = p.batchB > 1 ? `this.thread.z * ${int(p.k * p.n)} + ` : '';
  const a = (row: string, k: string) => (p.transA ? `a[${aBatch}${k} * ${int(p.m)} + ${row}]` : `a[${aBatch}${row} * ${int(p.k)} + ${k}]`);
  const b = (k: string, col: string) => (p.transB ? `b[${bBatch}${col} * ${int(p.k)} + ${k}]` : `b[${bBatch}${k} * ${int(p.n)} + ${col}]`);
  return { a, b };
}

const output = (x: number, y: number, batch: number): number[] => (batch > 1 ? [x, y, batch] : [x, y]);

/** One output per thread: out[batch][m][n], threads [n, m, batch]. */
export const MATMUL_SCALAR = kernel('matmul.scalar', (p: MatmulParams) => {
  const { a, b } = operands(p);
  const source = kernelFunction(['a', 'b'], ['let s = 0.0;', `for (let k = 0; k < ${int(p.k)}; k++) {`, `  s = s + ${a('this.thread.y', '(k | 0)')} * ${b('(k | 0)', 'this.thread.x')};`, '}', 'return s;']);
  return { op: 'matmul', output: output(p.n, p.m, p.batch), splitWork: 2 * p.batch * p.m * p.n * p.k, source };
});

/**
 * Four rows per thread, columns on the SIMD lanes: threads [n, ceil(m/4), batch], Array(4); k unrolled by
 * two. Index arithmetic stays in i32: gpu.js types `this.thread.*`, integer literals and `(h | 0)` as
 * Integer, while every declared local (loop counters too) is float32 and a float index costs a float add
 * and a saturating truncation per read. So no index lives in a local: each is written inline from the
 * thread ids and `(h | 0)` (1.4x faster than float indices at 256^3 and 64x128x128).
 */
export const MATMUL_BLOCKED = kernel('matmul.blocked', (p: MatmulParams) => {
  const mq = Math.ceil(p.m / 4);
  const k2 = '(h | 0) * 2';
  const row = (i: number) => (i === 0 || p.m % 4 === 0 ? `this.thread.y * 4 + ${i}` : `Math.min(this.thread.y * 4 + ${i}, ${int(p.m - 1)})`);
  const aBatch = p.batchA > 1 ? `this.thread.z * ${int(p.m * p.k)} + ` : '';
  const bBatch = p.batchB > 1 ? `this.thread.z * ${int(p.k * p.n)} + ` : '';
  const aAt = (i: number, k: string) => (p.transA ? `a[${aBatch}(${k}) * ${int(p.m)} + ${row(i)}]` : `a[${aBatch}(${row(i)}) * ${int(p.k)} + ${k}]`);
  const bAt = (k: string) => (p.transB ? `b[${bBatch}this.thread.x * ${int(p.k)} + ${k}]` : `b[${bBatch}(${k}) * ${int(p.n)} + this.thread.x]`);
  const lines: string[] = [...ZERO4];
  const pairs = Math.floor(p.k / 2);
  if (pairs > 0) {
    lines.push(`for (let h = 0; h < ${int(pairs)}; h++) {`, `  const b0 = ${bAt(k2)};`, `  const b1 = ${bAt(`${k2} + 1`)};`);
    for (let i = 0; i < 4; i++) lines.push(`  s${i} = s${i} + ${aAt(i, k2)} * b0 + ${aAt(i, `${k2} + 1`)} * b1;`);
    lines.push('}');
  }
  if (p.k % 2 === 1) {
    const k = int(p.k - 1);
    lines.push(`const bl = ${bAt(k)};`);
    for (let i = 0; i < 4; i++) lines.push(`s${i} = s${i} + ${aAt(i, k)} * bl;`);
  }
  lines.push(RETURN_FLUSHED);
  return { op: 'matmul', output: output(p.n, mq, p.batch), components: 4, splitWork: 2 * p.batch * p.m * p.n * p.k, source: kernelFunction(['a', 'b'], lines) };
});

/** Rows per thread of the wide (webasm) kernels: eight accumulators and two b vectors stay in registers. */
export const WIDE_ROWS = 8;

/**
 * a [batchA][m][k] (or, transA, [batchA][k][m]) as [batchA][ceil(m/8)][k][8]: the eight rows a wide
 * thread reads for one k, adjacent (rows past m repeat row m - 1; their outputs are dropped). Threads
 * [k, ceil(m/8), batchA], Array(8): k on the lanes, so a plain a is read with eight v128.loads.
 */
export const MATMUL_PACK_A = kernel('matmul.packA', (p: MatmulParams) => {
  const mq = Math.ceil(p.m / WIDE_ROWS);
  const row = (i: number) => (p.m % WIDE_ROWS === 0 ? `this.thread.y * 8 + ${i}` : `(this.thread.y * 8 + ${i} < ${int(p.m)} ? this.thread.y * 8 + ${i} : ${int(p.m - 1)})`);
  const base = p.batchA > 1 ? `this.thread.z * ${int(p.m * p.k)} + ` : '';
  const at = (i: number) => (p.transA ? `a[${base}this.thread.x * ${int(p.m)} + ${row(i)}]` : `a[${base}(${row(i)}) * ${int(p.k)} + this.thread.x]`);
  const source = kernelFunction(['a'], [`return [${Array.from({ length: WIDE_ROWS }, (_, i) => at(i)).join(', ')}];`]);
  return { op: 'matmul.packA', output: p.batchA > 1 ? [p.k, mq, p.batchA] : [p.k, mq], components: WIDE_ROWS, source };
});

/**
 * Eight rows per thread over the packed a of MATMUL_PACK_A, columns on the SIMD lanes: threads [n,
 * ceil(m/8), batch], Array(8); output [batch][m/8][n][8]. Per k pair: two b vector loads (one v128.load
 * each: the index is lane-uniform + thread.x) and sixteen a splats from one cache line. The sums run
 * as in MATMUL_BLOCKED (k in pairs, then the odd last k), so every output is the same float.
 */
export const MATMUL_WIDE = kernel('matmul.wide', (p: MatmulParams) => {
  const mq = Math.ceil(p.m / WIDE_ROWS);
  const aBatch = p.batchA > 1 ? `this.thread.z * ${int(mq * p.k * 8)} + ` : '';
  const bBatch = p.batchB > 1 ? `this.thread.z * ${int(p.k * p.n)} + ` : '';
  const bAt = (k: string) => (p.transB ? `b[${bBatch}this.thread.x * ${int(p.k)} + ${k}]` : `b[${bBatch}(${k}) * ${int(p.n)} + this.thread.x]`);
  const lines: string[] = [];
  for (let i = 0; i < WIDE_ROWS; i++) lines.push(`let s${i} = 0.0;`);
  lines.push(`const ar = ${aBatch}this.thread.y * ${int(p.k * 8)};`);
  const pairs = Math.floor(p.k / 2);
  if (pairs > 0) {
    lines.push(`for (let h = 0; h < ${int(pairs)}; h++) {`, '  const k0 = h * 2;', '  const pa = ar + h * 16;', `  const b0 = ${bAt('k0')};`, `  const b1 = ${bAt('k0 + 1')};`);
    for (let i = 0; i < WIDE_ROWS; i++) lines.push(`  s${i} = s${i} + a[pa + ${i}] * b0 + a[pa + ${8 + i}] * b1;`);
    lines.push('}');
  }
  if (p.k % 2 === 1) {
    lines.push(`const bl = ${bAt(int(p.k - 1))};`);
    for (let i = 0; i < WIDE_ROWS; i++) lines.push(`s${i} = s${i} + a[ar + ${int((p.k - 1) * 8 + i)}] * bl;`);
  }
  lines.push(`return [${Array.from({ length: WIDE_ROWS }, (_, i) => flushDenormal(`s${i}`)).join(', ')}];`);
  return { op: 'matmul', output: output(p.n, mq, p.batch), components: WIDE_ROWS, splitWork: 2 * p.batch * p.m * p.n * p.k, source: kernelFunction(['a', 'b'], lines) };
});

/**
 * A blocked kernel's output [groups][rowsQ][cols][block] (block: its Array(n) width, 4 when absent) as
 * row-major [groups][rows][cols] (its padding rows past `rows` are dropped), plus a row bias when given
 * (extra[0]: a convolution's bias, added in this pass over every value).
 */
export const DEINTERLEAVE = post('deinterleave', (raw, q: { groups: number; rows: number; cols: number; block?: number }, alloc, extra) =>
  deinterleave(raw, q.groups, q.rows, q.cols, q.block ?? 4, alloc(q.groups * q.rows * q.cols), extra[0] ?? null),
);

function deinterleave(data: Float32Array, groups: number, rows: number, cols: number, block: number, out: Float32Array, rowBias: Float32Array | null): Float32Array {
  const rq = Math.ceil(rows / block);
  for (let g = 0; g < groups; g++) {
    for (let q = 0; q < rq; q++) {
      const src0 = (g * rq + q) * cols * block;
      const lanes = Math.min(block, rows - q * block);
      for (let i = 0; i < lanes; i++) {
        const dst = (g * rows + q * block + i) * cols;
        if (rowBias === null) for (let c = 0, s = src0 + i; c < cols; c++, s += block) out[dst + c] = data[s]!;
        else for (let c = 0, s = src0 + i, b = rowBias[q * block + i]!; c < cols; c++, s += block) out[dst + c] = data[s]! + b;
      }
    }
  }
  return out;
}
