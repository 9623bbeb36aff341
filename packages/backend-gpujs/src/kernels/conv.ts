// 2-D convolution (cross-correlation, NCHW/OIHW) as implicit GEMM: no im2col buffer. Padding is applied
// by a pad kernel first, so the hot loops read without bounds checks. The blocked (host) kernels put
// output pixels (forward) or filter cells (filter gradient) on the SIMD lanes and four output channels in
// an Array(4) return: one gather of x feeds four weight splats. The input gradient is a stride-1 forward
// convolution of the dilated, padded dy with the flipped, channel-transposed filter (or col2im).

import type { Conv2dParams, MatmulParams } from '@skipinit/tensor';
import { kernel } from '../kernel';
import { fl, flushDenormal, int, kernelFunction, returnFlushed, zeros } from '../kernel-source';

/** Dims of a forward conv over an already padded input (hp, wp: its padded height and width). */
export type ConvDims = { [K in 'n' | 'c' | 'hp' | 'wp' | 'o' | 'kh' | 'kw' | 'sh' | 'sw' | 'oh' | 'ow']: number };

/** The sizes of a conv: x [n, c, h, w], w [o, c, kh, kw], out [n, o, oh, ow]. */
export function sizes(p: Conv2dParams): { [K in 'n' | 'c' | 'h' | 'w' | 'o' | 'kh' | 'kw' | 'oh' | 'ow']: number } {
  const [[n, c, h, w], [o, , kh, kw], [, , oh, ow]] = [p.xShape, p.wShape, p.outShape] as number[][];
  return { n: n!, c: c!, h: h!, w: w!, o: o!, kh: kh!, kw: kw!, oh: oh!, ow: ow! };
}

/** cols = W^T dy per image, for COL2IM: W [O][C KH KW] read transposed, dy [N][O][OH OW]. */
export function colsMatmul(p: Conv2dParams): MatmulParams {
  const { n, c, o, kh, kw, oh, ow } = sizes(p);
  return { batch: n, batchA: 1, batchB: n, m: c * kh * kw, k: o, n: oh * ow, transA: true, transB: false };
}

export function forwardDims(p: Conv2dParams): ConvDims {
  const { n, c, h, w, o, kh, kw, oh, ow } = sizes(p);
  return { n, c, hp: h + p.padTop + p.padBottom, wp: w + p.padLeft + p.padRight, o, kh, kw, sh: p.strideH, sw: p.strideW, oh, ow };
}

const work = (d: ConvDims): number => 2 * d.n * d.o * d.oh * d.ow * d.c * d.kh * d.kw;

const pixelLines = (d: ConvDims): string[] => [`const oh = Math.floor(this.thread.x / ${fl(d.ow)});`, `const ow = this.thread.x - oh * ${int(d.ow)};`, `const pix = oh * ${int(d.sh * d.wp)} + ow * ${int(d.sw)};`];

function tapLoops(d: ConvDims, body: string[]): string[] {
  return [
    `for (let c = 0; c < ${int(d.c)}; c++) {`,
    `  for (let kh = 0; kh < ${int(d.kh)}; kh++) {`,
    `    for (let kw = 0; kw < ${int(d.kw)}; kw++) {`,
    // the image's offset in i32, the offset inside it (below 2^24) as a float made Integer
    `      const xv = x[this.thread.z * ${int(d.c * d.hp * d.wp)} + ((c * ${int(d.hp * d.wp)} + kh * ${int(d.wp)} + kw + pix) | 0)];`,
    `      const wo = c * ${int(d.kh * d.kw)} + kh * ${int(d.kw)} + kw;`,
    ...body.map((l) => `      ${l}`),
    '    }', '  }', '}',
  ];
}

/** out[n][o][p], threads [OH*OW, O, N]. */
export const CONV_FORWARD_SCALAR = kernel('conv2d.scalar', (d: ConvDims) => ({
  op: 'conv2d',
  output: [d.oh * d.ow, d.o, d.n],
  splitWork: work(d),
  source: kernelFunction(['x', 'w'], [...pixelLines(d), `const wr = this.thread.y * ${int(d.c * d.kh * d.kw)};`, 'let s = 0.0;', ...tapLoops(d, ['s = s + w[wr + wo] * xv;']), 'return s;']),
}));

/** The i-th of `block` channels from `this.thread.y * block` (clamped to `count - 1` when count % block != 0). */
function channel(i: number, count: number, block = 4): string {
  return i === 0 || count % block === 0 ? `this.thread.y * ${block} + ${i}` : `Math.min(this.thread.y * ${block} + ${i}, ${int(count - 1)})`;
}

/** A blocked kernel's dims: `block` output channels per thread (Array(block): 4, or 8 on webasm); 4 when absent. */
export type Blocked<D> = D & { readonly block?: number };

/** Taps unrolled up to this many (7x7); larger kernels loop over kh and kw. */
const MAX_UNROLLED_TAPS = 49;

/**
 * `block` output channels per thread (4; 8 on webasm): threads [OH*OW, ceil(O/block), N], Array(block);
 * output [n][o/block][p][block]. Indices stay in i32 wherever gpu.js allows (see matmul.ts); the one
 * float is the lane's pixel offset `pix` (a division by OW), used as `(pix | 0)`. The taps are unrolled:
 * each channel step gathers KH*KW input vectors and feeds each to `block` weight splats (1.8x faster
 * than float indices at issue 7's R2; eight channels halve the gathers per product).
 */
export const CONV_FORWARD_BLOCKED = kernel('conv2d.blocked', ({ block = 4, ...d }: Blocked<ConvDims>) => {
  const taps = d.kh * d.kw;
  const xAt = (tap: string) => `x[this.thread.z * ${int(d.c * d.hp * d.wp)} + (c | 0) * ${int(d.hp * d.wp)} + ${tap} + (pix | 0)]`;
  const wAt = (i: number, tap: string) => `w[(${channel(i, d.o, block)}) * ${int(d.c * taps)} + (c | 0) * ${int(taps)} + ${tap}]`;
  const body: string[] = [];
  if (taps <= MAX_UNROLLED_TAPS) {
    for (let kh = 0; kh < d.kh; kh++) {
      for (let kw = 0; kw < d.kw; kw++) body.push(`const x${kh * d.kw + kw} = ${xAt(int(kh * d.wp + kw))};`);
    }
    for (let i = 0; i < block; i++) {
      const terms = Array.from({ length: taps }, (_, t) => `${wAt(i, int(t))} * x${t}`);
      body.push(`s${i} = s${i} + ${terms.join(' + ')};`);
    }
  } else {
    body.push(
      `for (let kh = 0; kh < ${int(d.kh)}; kh++) {`,
      `  for (let kw = 0; kw < ${int(d.kw)}; kw++) {`,
      `    const xv = ${xAt(`(kh | 0) * ${int(d.wp)} + (kw | 0)`)};`,
      ...Array.from({ length: block }, (_, i) => `    s${i} = s${i} + ${wAt(i, `(kh | 0) * ${int(d.kw)} + (kw | 0)`)} * xv;`),
      '  }', '}',
    );
  }
  // pix = oh * sh * WP + ow * sw for oh = floor(p / OW), ow = p - oh * OW
  const pix = `const pix = Math.floor(this.thread.x / ${fl(d.ow)}) * ${int(d.sh * d.wp - d.ow * d.sw)} + this.thread.x * ${int(d.sw)};`;
  const source = kernelFunction(['x', 'w'], [pix, ...zeros(block), `for (let c = 0; c < ${int(d.c)}; c++) {`, ...body.map((l) => `  ${l}`), '}', returnFlushed(block)]);
  return { op: 'conv2d', output: [d.oh * d.ow, Math.ceil(d.o / block), d.n], components: block, splitWork: work(d), source };
});

/** Filter-gradient dims: reduction over N*OH*OW, output [O][C*KH*KW]. */
function filterLines(d: ConvDims): string[] {
  return [
    `const c = Math.floor(this.thread.x / ${fl(d.kh * d.kw)});`,
    `const rest = this.thread.x - c * ${int(d.kh * d.kw)};`,
    `const kh = Math.floor(rest / ${fl(d.kw)});`,
    `const kw = rest - kh * ${int(d.kw)};`,
    `const joff = c * ${int(d.hp * d.wp)} + kh * ${int(d.wp)} + kw;`,
  ];
}

function pixelLoops(d: ConvDims, body: string[]): string[] {
  return [
    `for (let n = 0; n < ${int(d.n)}; n++) {`,
    `  for (let oh = 0; oh < ${int(d.oh)}; oh++) {`,
    `    for (let ow = 0; ow < ${int(d.ow)}; ow++) {`,
    `      const xv = x[(n | 0) * ${int(d.c * d.hp * d.wp)} + ((oh * ${int(d.sh * d.wp)} + ow * ${int(d.sw)} + joff) | 0)];`,
    `      const g = oh * ${int(d.ow)} + ow;`,
    ...body.map((l) => `      ${l}`),
    '    }', '  }', '}',
  ];
}

/** dw[o][j], threads [C*KH*KW, O]. */
export const CONV_FILTER_SCALAR = kernel('conv2dBackpropFilter.scalar', (d: ConvDims) => ({
  op: 'conv2dBackpropFilter',
  output: [d.c * d.kh * d.kw, d.o],
  splitWork: work(d),
  source: kernelFunction(['x', 'dy'], [
    ...filterLines(d),
    `const dr = this.thread.y * ${int(d.oh * d.ow)};`,
    'let s = 0.0;',
    ...pixelLoops(d, [`s = s + dy[(n | 0) * ${int(d.o * d.oh * d.ow)} + ((g + dr) | 0)] * xv;`]),
    'return s;',
  ]),
}));

/**
 * `block` output channels per thread (4; 8 on webasm): threads [C*KH*KW, ceil(O/block)], Array(block); output [o/block][j][block]. The
 * lanes are filter cells j = (c, kh, kw), whose input offset `joff` is the one float index (used as
 * `(joff | 0)`); the reduction over N*OH*OW keeps n and oh in loops and unrolls ow (fully up to
 * 32, else in steps of 8, 4 or 2), so every other index is i32 (see matmul.ts).
 */
export const CONV_FILTER_BLOCKED = kernel('conv2dBackpropFilter.blocked', ({ block = 4, ...d }: Blocked<ConvDims>) => {
  const unroll = d.ow <= 32 ? d.ow : [8, 4, 2, 1].find((u) => d.ow % u === 0)!;
  const body: string[] = [];
  for (let u = 0; u < unroll; u++) {
    const ow = unroll === d.ow ? int(u) : `(q | 0) * ${int(unroll)} + ${u}`;
    body.push(`const x${u} = x[(joff | 0) + (n | 0) * ${int(d.c * d.hp * d.wp)} + (oh | 0) * ${int(d.sh * d.wp)} + (${ow}) * ${int(d.sw)}];`);
  }
  for (let i = 0; i < block; i++) {
    const terms = Array.from({ length: unroll }, (_, u) => {
      const ow = unroll === d.ow ? int(u) : `(q | 0) * ${int(unroll)} + ${u}`;
      return `dy[(n | 0) * ${int(d.o * d.oh * d.ow)} + (${channel(i, d.o, block)}) * ${int(d.oh * d.ow)} + (oh | 0) * ${int(d.ow)} + ${ow}] * x${u}`;
    });
    body.push(`s${i} = s${i} + ${terms.join(' + ')};`);
  }
  const inner = unroll === d.ow ? body.map((l) => `    ${l}`) : [`    for (let q = 0; q < ${int(d.ow / unroll)}; q++) {`, ...body.map((l) => `      ${l}`), '    }'];
  const loops = [`for (let n = 0; n < ${int(d.n)}; n++) {`, `  for (let oh = 0; oh < ${int(d.oh)}; oh++) {`, ...inner, '  }', '}'];
  const source = kernelFunction(['x', 'dy'], [...filterLines(d), ...zeros(block), ...loops, returnFlushed(block)]);
  return { op: 'conv2dBackpropFilter', output: [d.c * d.kh * d.kw, Math.ceil(d.o / block)], components: block, splitWork: work(d), source };
});

/**
 * x [planes, h, w] zero-padded to [planes, h + top + bottom, w + left + right]: threads [W', H',
 * planes], every index i32 (the bounds test is predicated per lane; out-of-range reads are clamped
 * by gpu.js and discarded).
 */
export type Pad2d = { [K in 'planes' | 'h' | 'w' | 'top' | 'bottom' | 'left' | 'right']: number };

export const PAD2D = kernel('pad2d', ({ planes, h, w, top, bottom, left, right }: Pad2d) => {
  const inside = [
    left > 0 ? `this.thread.x >= ${int(left)}` : '',
    right > 0 ? `this.thread.x < ${int(left + w)}` : '',
    top > 0 ? `this.thread.y >= ${int(top)}` : '',
    bottom > 0 ? `this.thread.y < ${int(top + h)}` : '',
  ].filter((s) => s !== '');
  const read = `x[this.thread.z * ${int(h * w)} + (this.thread.y - ${int(top)}) * ${int(w)} + this.thread.x - ${int(left)}]`;
  const source = kernelFunction(['x'], inside.length === 0 ? [`return ${read};`] : [`if (${inside.join(' && ')}) {`, `  return ${read};`, '}', 'return 0.0;']);
  return { op: 'pad2d', output: [w + left + right, h + top + bottom, planes], source };
});

/**
 * The input gradient of a strided convolution as a gather ("col2im"): dx[n][c][h][w] = the sum, over
 * the taps (kh, kw) that put input cell (h, w) on an output cell (oh, ow) of the stride grid, of
 * cols[n][c KH KW + tap][oh OW + ow], where cols = W^T dy came from the blocked matmul and is still in
 * its raw layout [n][rows / 4][OH OW][4]. Threads [W, H, N C]; each tap's test is predicated per lane.
 */
export const COL2IM = kernel('conv2dBackpropInput.col2im', (p: Conv2dParams) => {
  const { n, c, h, w, kh, kw, oh, ow } = sizes(p);
  const rq = Math.ceil((c * kh * kw) / 4);
  const lines = [`const n = Math.floor(this.thread.z / ${fl(c)});`, `const ch = this.thread.z - n * ${int(c)};`, 'let s = 0.0;'];
  for (let a = 0; a < kh; a++) {
    for (let b = 0; b < kw; b++) {
      const t = a * kw + b;
      const row = `ch * ${int(kh * kw)} + ${t}`;
      lines.push(
        `const ih${t} = this.thread.y + ${int(p.padTop - a)};`,
        `const iw${t} = this.thread.x + ${int(p.padLeft - b)};`,
        `const qh${t} = Math.floor(ih${t} / ${fl(p.strideH)});`,
        `const qw${t} = Math.floor(iw${t} / ${fl(p.strideW)});`,
        `const rq${t} = Math.floor((${row}) / 4.0);`,
        `if (ih${t} >= 0.0 && iw${t} >= 0.0 && qh${t} * ${int(p.strideH)} == ih${t} && qw${t} * ${int(p.strideW)} == iw${t} && qh${t} < ${fl(oh)} && qw${t} < ${fl(ow)}) {`,
        `  s = s + cols[(n | 0) * ${int(rq * oh * ow * 4)} + (((rq${t} * ${int(oh * ow)} + qh${t} * ${int(ow)} + qw${t}) * 4 + (${row}) - rq${t} * 4) | 0)];`,
        '}',
      );
    }
  }
  lines.push(`return ${flushDenormal('s')};`);
  return { op: 'conv2dBackpropInput.col2im', output: [w, h, n * c], source: kernelFunction(['cols'], lines) };
});

/**
 * dy [N, O, OH, OW] dilated by the stride and padded so that a stride-1 correlation with the
 * flipped filter yields dx [N, C, H, W]: out [N, O, H+KH-1, W+KW-1].
 */
export const DILATE_PAD = kernel('conv2dBackpropInput.dilate', (p: Conv2dParams) => {
  const { n, h, w, o, kh, kw, oh, ow } = sizes(p);
  return {
    op: 'conv2dBackpropInput.dilate',
    output: [w + kw - 1, h + kh - 1, n * o],
    source: kernelFunction(['dy'], [
      `const ty = this.thread.y - ${int(kh - 1 - p.padTop)};`,
      `const tx = this.thread.x - ${int(kw - 1 - p.padLeft)};`,
      `const qy = Math.floor(ty / ${fl(p.strideH)});`,
      `const qx = Math.floor(tx / ${fl(p.strideW)});`,
      `if (ty >= 0.0 && tx >= 0.0 && qy * ${int(p.strideH)} == ty && qx * ${int(p.strideW)} == tx && qy < ${fl(oh)} && qx < ${fl(ow)}) {`,
      `  return dy[this.thread.z * ${int(oh * ow)} + ((qy * ${int(ow)} + qx) | 0)];`,
      '}',
      'return 0.0;',
    ]),
  };
});

/** w [O, C, KH, KW] -> wT [C, O, KH, KW] with both spatial axes reversed. */
export const FLIP_TRANSPOSE = kernel('conv2dBackpropInput.flip', ({ wShape }: { wShape: readonly number[] }) => {
  const [o, c, kh, kw] = wShape as [number, number, number, number];
  const at = `w[this.thread.y * ${int(c * kh * kw)} + this.thread.z * ${int(kh * kw)} + (${int(kh - 1)} - a) * ${int(kw)} + (${int(kw - 1)} - b)]`;
  return { op: 'conv2dBackpropInput.flip', output: [kh * kw, o, c], source: kernelFunction(['w'], [`const a = Math.floor(this.thread.x / ${fl(kw)});`, `const b = this.thread.x - a * ${int(kw)};`, `return ${at};`]) };
});
