// Winograd F(2x2, 3x3) kernels for stride-1 3x3 convolutions (Lavin & Gray 2016). Each 2x2 output tile
// comes from a 4x4 input tile: Y = A^T [ (G g G^T) . (B^T d B) ] A, 16 multiplies per input channel where
// direct convolution needs 36, with B^T = [1 0 -1 0; 0 1 1 0; 0 -1 1 0; 0 1 0 -1], A^T = [1 1 1 0; 0 1 -1 -1],
// G = [1 0 0; .5 .5 .5; .5 -.5 .5; 0 0 1]. The 16 elementwise products summed over channels are 16 matrix
// products (one per tile position `pos` = 4 i + j), one batched GEMM kernel. The filter gradient runs the
// algebra backwards: dU[pos] = dM[pos] V[pos]^T summed over tiles, dM = A dY A^T, dW = G^T dU G.
// Layouts (TT = TH * TW tiles per image, row-major; raw Array(4) outputs), the image n outermost (thread.z):
//   V   input transform   [N][C][4 (i)][TT][4 (j)]       (kernel threads [TT, 4C, N], Array(4))
//   U   weight transform  [16 (pos)][O][C]
//   M   products          [N][OQ][16 (pos)][TT][B (o%B)] (threads [TT, 16 OQ, N], Array(B); B = 4, or 8 on webasm)
//   Y   output tiles      [N][O][TT][4 (2x2, row-major)]  (threads [TT, O, N], Array(4))
//   dM  dy transform      [N][O][4 (i)][TT][4 (j)]
//   dU  filter products   [OQ][16 (pos)][C][B (o%B)]
// Indices stay in i32 as in matmul.ts: thread ids, literals, `(c | 0)` and bitwise ops are Integer;
// the lane's tile offset is the one float local, used as `(base | 0)`.

import { kernel, post } from '../kernel';
import { fl, flushDenormal, int, kernelFunction, returnFlushed, zeros } from '../kernel-source';

/** The tile grid of a stride-1 3x3 convolution with output OH x OW over n images: th, tw = ceil(OH / 2), ceil(OW / 2); tt = th tw tiles per image. */
export type WinogradTiles = { readonly n: number; readonly th: number; readonly tw: number; readonly tt: number };

export const winogradTiles = (n: number, oh: number, ow: number): WinogradTiles => ({ n, th: Math.ceil(oh / 2), tw: Math.ceil(ow / 2), tt: Math.ceil(oh / 2) * Math.ceil(ow / 2) });

/**
 * V = B^T d B for every (channel, tile) of x padded to [N][C][2 TH + 2][2 TW + 2]: threads [TT, 4C,
 * N] (y = 4 c + i), Array(4) = row i of V. Row i of B^T d is d[ra] + sg * d[rb]. (Folding the
 * padding into this kernel, with a bounds test per read, measured slower than the separate pad
 * kernel: 11.1 ms against 6.7 + 2.6 ms at the R2 shape.)
 */
export const WINOGRAD_INPUT = kernel('winograd.input', ({ g, c }: { g: WinogradTiles; c: number }) => {
  const [hp, wp] = [2 * g.th + 2, 2 * g.tw + 2];
  const i = '(this.thread.y & 3)';
  const ra = `(${i} - 2 * (${i} >> 1) * (this.thread.y & 1))`; // 0 1 2 1
  const rb = `(2 + (${i} >> 1) * (2 * (this.thread.y & 1) - 1))`; // 2 2 1 3
  // the tile's offset in its plane is the one float (below 2^24); the image and channel offsets are i32
  const at = (row: string, s: number) => `x[this.thread.z * ${int(c * hp * wp)} + (base | 0) + (this.thread.y >> 2) * ${int(hp * wp)} + ${row} * ${int(wp)} + ${s}]`;
  const lines = [`const ty = Math.floor(this.thread.x / ${fl(g.tw)});`, `const base = ty * ${int(2 * wp - 2 * g.tw)} + this.thread.x * 2;`, `const sg = ${i} == 1 ? 1.0 : -1.0;`];
  for (let s = 0; s < 4; s++) lines.push(`const u${s} = ${at(ra, s)} + sg * ${at(rb, s)};`);
  lines.push('return [u0 - u2, u1 + u2, u2 - u1, u1 - u3];');
  return { op: 'conv2d.winograd.input', output: [g.tt, 4 * c, g.n], components: 4, source: kernelFunction(['x'], lines) };
});

/**
 * U[pos][o][c] = (G g G^T)[i][j] for the filter g = w[o][c] (or, `flip`, the filter of the input
 * gradient: w[c][o] rotated by 180 degrees, with w stored [inCh][outCh][3][3] = [c][o][3][3] of the
 * forward conv). Threads [inCh, outCh, 16].
 */
export const WINOGRAD_WEIGHTS = kernel('winograd.weights', ({ outCh, inCh, flip }: { outCh: number; inCh: number; flip: boolean }) => {
  // g[a][b] of this thread's (o = thread.y, c = thread.x)
  const g = (a: number, b: number) =>
    flip ? `w[this.thread.x * ${int(outCh * 9)} + this.thread.y * 9 + ${(2 - a) * 3 + (2 - b)}]` : `w[this.thread.y * ${int(inCh * 9)} + this.thread.x * 9 + ${a * 3 + b}]`;
  // row i of G g: i = 0: g0; 1: (g0 + g1 + g2) / 2; 2: (g0 - g1 + g2) / 2; 3: g2
  const lines = ['const i = this.thread.z >> 2;', 'const j = this.thread.z & 3;'];
  for (let b = 0; b < 3; b++) lines.push(`const r${b} = i == 0 ? ${g(0, b)} : (i == 3 ? ${g(2, b)} : 0.5 * (${g(0, b)} + (i == 1 ? 1.0 : -1.0) * ${g(1, b)} + ${g(2, b)}));`);
  lines.push('return j == 0 ? r0 : (j == 3 ? r2 : 0.5 * (r0 + (j == 1 ? 1.0 : -1.0) * r1 + r2));');
  return { op: 'conv2d.winograd.weights', output: [inCh, outCh, 16], source: kernelFunction(['w'], lines) };
});

/**
 * The i-th of `block` channels from `(this.thread.y >> 4) * block` (y = 16 q + pos), clamped to
 * `count - 1` past the last channel.
 */
function blockChannel(i: number, count: number, block: number): string {
  const first = `(this.thread.y >> 4) * ${block}`;
  return count % block === 0 || i === 0 ? `${first} + ${i}` : `Math.min(${first} + ${i}, ${int(count - 1)})`;
}

/**
 * M[pos][o][t] = sum over c of U[pos][o][c] V[pos][c][t]: threads [TT, 16 OQ, N] (y = 16 oq + pos),
 * Array(block) = `block` output channels (4; 8 on webasm, which halves the V gathers per product);
 * tiles on the SIMD lanes. M is [N][OQ][16][TT][block]; every sum runs over c in the same order.
 */
export const WINOGRAD_GEMM = kernel('winograd.gemm', ({ g, c, o, block = 4 }: { g: WinogradTiles; c: number; o: number; block?: number }) => {
  const oq = Math.ceil(o / block);
  const pos = '(this.thread.y & 15)';
  const unroll = c % 4 === 0 ? 4 : c % 2 === 0 ? 2 : 1;
  const cc = (k: number) => (unroll === 1 ? '(c | 0)' : `(c | 0) * ${unroll} + ${k}`);
  const body: string[] = [];
  for (let k = 0; k < unroll; k++) body.push(`const v${k} = v[this.thread.z * ${int(c * 16 * g.tt)} + ((${cc(k)}) * 4 + (${pos} >> 2)) * ${int(g.tt * 4)} + this.thread.x * 4 + (this.thread.y & 3)];`);
  for (let r = 0; r < block; r++) body.push(`s${r} = s${r} + ${Array.from({ length: unroll }, (_, k) => `u[(${pos} * ${int(o)} + ${blockChannel(r, o, block)}) * ${int(c)} + ${cc(k)}] * v${k}`).join(' + ')};`);
  const source = kernelFunction(['u', 'v'], [...zeros(block), `for (let c = 0; c < ${int(c / unroll)}; c++) {`, ...body.map((l) => `  ${l}`), '}', returnFlushed(block)]);
  return { op: 'conv2d.winograd.gemm', output: [g.tt, 16 * oq, g.n], components: block, splitWork: 2 * 16 * g.n * g.tt * c * o, source };
});

/** Y = A^T M A per (o, tile) of M in the GEMM's layout (its `block`): threads [TT, O, N], Array(4) = the 2x2 output tile, row-major. */
export const WINOGRAD_OUTPUT = kernel('winograd.output', ({ g, o, block = 4 }: { g: WinogradTiles; o: number; block?: number }) => {
  const oq = Math.ceil(o / block);
  const shift = Math.log2(block);
  const m = (p: number) => `m[this.thread.z * ${int(oq * 16 * block * g.tt)} + ((this.thread.y >> ${shift}) * 16 + ${p}) * ${int(g.tt * block)} + this.thread.x * ${block} + (this.thread.y & ${block - 1})]`;
  const lines: string[] = [];
  for (let p = 0; p < 16; p++) lines.push(`const m${p} = ${m(p)};`);
  for (let s = 0; s < 4; s++) lines.push(`const z${s} = m${s} + m${4 + s} + m${8 + s};`, `const w${s} = m${4 + s} - m${8 + s} - m${12 + s};`);
  lines.push('const y0 = z0 + z1 + z2;', 'const y1 = z1 - z2 - z3;', 'const y2 = w0 + w1 + w2;', 'const y3 = w1 - w2 - w3;');
  lines.push(`return [${[0, 1, 2, 3].map((i) => flushDenormal(`y${i}`)).join(', ')}];`);
  return { op: 'conv2d.winograd.output', output: [g.tt, o, g.n], components: 4, source: kernelFunction(['m'], lines) };
});

/** dM = A dY A^T per (o, tile) of dy [N][O][OH][OW] (cells past its edge read as 0): threads [TT, 4 O, N] (y = 4 o + i), Array(4) = row i of dM. */
export const WINOGRAD_DY = kernel('winograd.dy', ({ g, o, oh, ow }: { g: WinogradTiles; o: number; oh: number; ow: number }) => {
  const rowsOut = 2 * g.th > oh;
  const colsOut = 2 * g.tw > ow;
  const at = (a: number, b: number) => {
    const read = `dy[this.thread.z * ${int(o * oh * ow)} + (base | 0) + (this.thread.y >> 2) * ${int(oh * ow)} + ${a * ow + b}]`;
    const conds = [...(rowsOut && a === 1 ? [`r0 < ${fl(oh - 1)}`] : []), ...(colsOut && b === 1 ? [`c0 < ${fl(ow - 1)}`] : [])];
    return conds.length === 0 ? read : `(${conds.join(' && ')} ? ${read} : 0.0)`;
  };
  const lines = [
    `const ty = Math.floor(this.thread.x / ${fl(g.tw)});`,
    'const r0 = ty * 2;',
    `const c0 = (this.thread.x - ty * ${int(g.tw)}) * 2;`,
    `const base = r0 * ${int(ow)} + c0;`,
    // row i of A: [1, 0], [1, 1], [1, -1], [0, -1]
    'const a0 = (this.thread.y & 3) < 3 ? 1.0 : 0.0;',
    'const a1 = (this.thread.y & 3) == 0 ? 0.0 : ((this.thread.y & 3) == 1 ? 1.0 : -1.0);',
    `const z0 = a0 * ${at(0, 0)} + a1 * ${at(1, 0)};`,
    `const z1 = a0 * ${at(0, 1)} + a1 * ${at(1, 1)};`,
    'return [z0, z0 + z1, z0 - z1, -z1];',
  ];
  return { op: 'conv2d.winograd.dy', output: [g.tt, 4 * o, g.n], components: 4, source: kernelFunction(['dy'], lines) };
});

/**
 * Images whose filter-gradient products one partial sum covers: as many as keep their V and dM (the
 * GEMM's inputs) within about 384 KB of cache, and divide the batch. One image at 28x28 with 16
 * channels (400 KB); several at 14x14 and 7x7, where per-image partials would be mostly writing.
 */
export function winogradFilterGroup(g: WinogradTiles, c: number, o: number): number {
  const perImage = 16 * (c + o) * g.tt * 4;
  let best = 1;
  for (let k = 1; k <= g.n; k++) if (g.n % k === 0 && k * perImage <= 384 * 1024) best = k;
  return best;
}

/**
 * dU[pos][o][c] of one group of `group` images = sum over their tiles of dM[pos][o][t] V[pos][c][t]:
 * threads [C, 16 OQ, N / group] (y = 16 oq + pos), Array(block) = `block` output channels; input channels
 * on the SIMD lanes, the group's tiles in the loop. Partial sums per group keep its V and dM in cache
 * while all its rows run; `winogradSumImagesKernel` adds the groups up.
 */
export const WINOGRAD_FILTER_GEMM = kernel('winograd.filterGemm', ({ g, c, o, group, block = 4 }: { g: WinogradTiles; c: number; o: number; group: number; block?: number }) => {
  const oq = Math.ceil(o / block);
  const pos = '(this.thread.y & 15)';
  const unroll = g.tt % 4 === 0 ? 4 : g.tt % 2 === 0 ? 2 : 1;
  const tt = (k: number) => (unroll === 1 ? '(t | 0)' : `(t | 0) * ${unroll} + ${k}`);
  const image = group === 1 ? 'this.thread.z' : `(this.thread.z * ${int(group)} + (q | 0))`;
  const body: string[] = [];
  for (let k = 0; k < unroll; k++) body.push(`const v${k} = v[${image} * ${int(c * 16 * g.tt)} + (this.thread.x * 4 + (${pos} >> 2)) * ${int(g.tt * 4)} + (${tt(k)}) * 4 + (this.thread.y & 3)];`);
  const dm = (r: number, k: number) => `dm[${image} * ${int(o * 16 * g.tt)} + ((${blockChannel(r, o, block)}) * 4 + (${pos} >> 2)) * ${int(g.tt * 4)} + (${tt(k)}) * 4 + (this.thread.y & 3)] * v${k}`;
  for (let r = 0; r < block; r++) body.push(`s${r} = s${r} + ${Array.from({ length: unroll }, (_, k) => dm(r, k)).join(' + ')};`);
  const tiles = [`for (let t = 0; t < ${int(g.tt / unroll)}; t++) {`, ...body.map((l) => `  ${l}`), '}'];
  const source = kernelFunction(['dm', 'v'], [...zeros(block), ...(group === 1 ? tiles : [`for (let q = 0; q < ${int(group)}; q++) {`, ...tiles.map((l) => `  ${l}`), '}']), returnFlushed(block)]);
  return { op: 'conv2dBackpropFilter.winograd.gemm', output: [c, 16 * oq, g.n / group], components: block, splitWork: 2 * 16 * g.n * g.tt * c * o, source };
});

/** The sum over the outermost axis of [n][size]: threads [size]. */
export const WINOGRAD_SUM_IMAGES = kernel('winograd.sumImages', ({ n, size }: { n: number; size: number }) => ({
  op: 'conv2dBackpropFilter.winograd.sum',
  output: [size],
  source: kernelFunction(['p'], ['let s = 0.0;', `for (let n = 0; n < ${int(n)}; n++) {`, `  s = s + p[(n | 0) * ${int(size)} + this.thread.x];`, '}', 'return s;']),
}));

/** dW[o][c][a][b] = (G^T dU G)[a][b] of dU in the filter GEMM's layout (its `block`): threads [C, O, 9] (z = 3 a + b); output [9][O][C]. */
export const WINOGRAD_FILTER_OUTPUT = kernel('winograd.filterOutput', ({ c, o, block = 4 }: { c: number; o: number; block?: number }) => {
  // column a of G: a = 0: [1, .5, .5, 0]; 1: [0, .5, -.5, 0]; 2: [0, .5, .5, 1]
  const shift = Math.log2(block);
  const du = (p: number) => `du[((this.thread.y >> ${shift}) * 16 + ${p}) * ${int(c * block)} + this.thread.x * ${block} + (this.thread.y & ${block - 1})]`;
  const lines = ['const a = Math.floor(this.thread.z / 3.0);', 'const b = this.thread.z - a * 3;'];
  for (const v of ['a', 'b']) lines.push(`const g${v}0 = ${v} == 0 ? 1.0 : 0.0;`, `const g${v}2 = ${v} == 1 ? -0.5 : 0.5;`, `const g${v}3 = ${v} == 2 ? 1.0 : 0.0;`);
  // row i of dU G, then the column combination with G[:, a]
  for (let i = 0; i < 4; i++) lines.push(`const q${i} = gb0 * ${du(4 * i)} + 0.5 * ${du(4 * i + 1)} + gb2 * ${du(4 * i + 2)} + gb3 * ${du(4 * i + 3)};`);
  lines.push('return ga0 * q0 + 0.5 * q1 + ga2 * q2 + ga3 * q3;');
  return { op: 'conv2dBackpropFilter.winograd.output', output: [c, o, 9], source: kernelFunction(['du'], lines) };
});

/** Output tiles [n][o][tt][2x2] laid out as [n][o][oh][ow] (+ bias[o], extra[0]), dropping cells past the edge. */
export const UNTILE = post('winograd.untile', (y, q: { g: WinogradTiles; o: number; oh: number; ow: number }, alloc, extra) => {
  const { g, o, oh, ow } = q;
  const out = alloc(g.n * o * oh * ow);
  const bias = extra[0] ?? null;
  const plane = oh * ow;
  for (let n = 0; n < g.n; n++) {
    for (let oc = 0; oc < o; oc++) {
      const dst = (n * o + oc) * plane;
      const b = bias === null ? 0 : bias[oc]!;
      let src = (n * o + oc) * g.tt * 4;
      for (let ty = 0; ty < g.th; ty++) {
        const r0 = dst + 2 * ty * ow;
        const bottom = 2 * ty + 1 < oh;
        for (let tx = 0; tx < g.tw; tx++, src += 4) {
          const col = 2 * tx;
          out[r0 + col] = y[src]! + b;
          if (col + 1 < ow) out[r0 + col + 1] = y[src + 1]! + b;
          if (bottom) {
            out[r0 + ow + col] = y[src + 2]! + b;
            if (col + 1 < ow) out[r0 + ow + col + 1] = y[src + 3]! + b;
          }
        }
      }
    }
  }
  return out;
});

/** The filter gradient's raw [9][o][c] as [o][c][3][3]. */
export const FILTER_TAPS = post('winograd.filterTaps', (raw, { c, o }: { c: number; o: number }, alloc) => {
  const dw = alloc(o * c * 9);
  for (let tap = 0; tap < 9; tap++) {
    for (let oc = 0; oc < o * c; oc++) dw[oc * 9 + tap] = raw[tap * o * c + oc]!;
  }
  return dw;
});
