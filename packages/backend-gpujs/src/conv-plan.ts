// The three passes of a 2-D convolution as plans: pure functions from the conv's shapes and the
// engine's options to kernel steps (conv-plan.test.ts reads them without running anything).
//   Winograd F(2x2, 3x3)  stride-1 3x3 convolutions on host executors where it pays ('auto') or applies
//                         ('winograd'); the input gradient is the forward algorithm on dy with the rotated
//                         filter, the filter gradient the algebra run backwards (kernels/winograd.ts)
//   implicit GEMM         the rest (kernels/conv.ts); strided input gradients on host executors as W^T dy
//                         (a blocked matmul: no multiplies by a dilated dy's zeros) and a gather
//   image chunks          on host executors, a pass whose intermediates would outgrow `chunkElements`
//                         runs over chunks of the batch: every kernel owns a WebAssembly memory as large
//                         as its arguments and result (an eval batch of 500 MNIST images makes 25M-element
//                         Winograd products)
// A training forward can keep its Winograd input transform V as a workspace (a second output) that the op
// hands back to the filter pass. docs/gpujs-engine-notes.md has the measurements behind each choice.

import type { Conv2dParams, Shape } from '@skipinit/tensor';
import type { Kernel, Post } from './kernel';
import { checkIndexable, product } from './kernel-source';
import * as cv from './kernels/conv';
import { BINARY } from './kernels/elementwise';
import { DEINTERLEAVE, MATMUL_BLOCKED } from './kernels/matmul';
import * as wk from './kernels/winograd';
import { run, runPost, type Arg, type Plan, type PlanOptions, type Step } from './plan';

export type ConvPass = 'forward' | 'input' | 'filter';

/** Whether Winograd F(2x2, 3x3) applies: 3x3 kernel, stride 1, padding at most 2 on every side. */
export function winogradApplies(p: Conv2dParams): boolean {
  const [, , kh, kw] = p.wShape;
  const pads = [p.padTop, p.padBottom, p.padLeft, p.padRight];
  return kh === 3 && kw === 3 && p.strideH === 1 && p.strideW === 1 && pads.every((q) => q <= 2) && p.outShape[2]! >= 2 && p.outShape[3]! >= 2;
}

/** 'auto' takes Winograd where its GEMM pays for the transforms: from 8 channels in and out (measured; see the notes). */
export function usesWinograd(p: Conv2dParams, o: PlanOptions): boolean {
  if (!o.blocked || o.algorithm === 'direct' || !winogradApplies(p)) return false;
  return o.algorithm === 'winograd' || (p.xShape[1]! >= 8 && p.wShape[0]! >= 8);
}

const roundUp4 = (v: number) => Math.ceil(v / 4) * 4;
/** Output channels per thread of the blocked conv kernels: 8 where the executor returns Array(8) (webasm), else 4. */
const blockOf = (o: PlanOptions): number => (o.wide ? 8 : 4);
const roundUpBlock = (v: number, o: PlanOptions) => Math.ceil(v / blockOf(o)) * blockOf(o);
/** The `block` parameter of the kernels that take one: absent for 4 (their declarations' default). */
const blocking = (o: PlanOptions): { block?: number } => (o.wide ? { block: 8 } : {});

/** Padded input, V, M, output tiles of one image of a Winograd pass. */
function winogradPerImage(t: wk.WinogradTiles, inCh: number, outCh: number, o: PlanOptions): number {
  return Math.max(inCh * (2 * t.th + 2) * (2 * t.tw + 2), 16 * inCh * t.tt, 16 * roundUpBlock(outCh, o) * t.tt, 4 * outCh * t.tt);
}

/** The largest intermediate (elements) one image of `pass` makes, results included. */
export function perImage(p: Conv2dParams, pass: ConvPass, o: PlanOptions): number {
  const { c, h, w, o: oc, kh, kw, oh, ow } = cv.sizes(p);
  const [hp, wp] = [h + p.padTop + p.padBottom, w + p.padLeft + p.padRight];
  const io = Math.max(c * h * w, roundUpBlock(oc, o) * oh * ow);
  if (usesWinograd(p, o)) {
    if (pass === 'forward') return Math.max(io, winogradPerImage(wk.winogradTiles(1, oh, ow), c, oc, o));
    if (pass === 'input') return Math.max(io, winogradPerImage(wk.winogradTiles(1, h, w), oc, c, o));
    const t = wk.winogradTiles(1, oh, ow);
    return Math.max(io, c * hp * wp, 16 * c * t.tt, 16 * oc * t.tt, 16 * roundUpBlock(oc, o) * c);
  }
  if (pass === 'input') {
    if (o.blocked && (p.strideH > 1 || p.strideW > 1)) return Math.max(io, roundUp4(c * kh * kw) * oh * ow);
    return Math.max(io, oc * (h + kh - 1) * (w + kw - 1));
  }
  return Math.max(io, c * hp * wp);
}

/** Images per chunk of `pass`: the whole batch where its intermediates fit the budget (always, on device executors). */
export function chunkImages(p: Conv2dParams, pass: ConvPass, o: PlanOptions): number {
  const n = p.xShape[0]!;
  if (!o.host) return n;
  const per = perImage(p, pass, o);
  if (per > o.maxElements) {
    const what = `one image of x [${p.xShape.join(',')}] with w [${p.wShape.join(',')}] makes ${per} elements in its ${pass} pass`;
    throw new RangeError(`conv2d: ${what}; this backend holds at most ${o.maxElements} elements per tensor`);
  }
  return Math.max(1, Math.min(n, Math.floor(o.chunkElements / per)));
}

/** Elements of the workspace a training forward keeps for the filter gradient (the Winograd input transform), or 0 when none applies. */
export function workspaceSize(p: Conv2dParams, o: PlanOptions): number {
  const n = p.xShape[0]!;
  if (!usesWinograd(p, o) || chunkImages(p, 'forward', o) < n || chunkImages(p, 'filter', o) < n) return 0;
  return 16 * p.xShape[1]! * n * wk.winogradTiles(n, p.outShape[2]!, p.outShape[3]!).tt;
}

/** Steps of one piece (the batch or a chunk of it); value names carry the chunk's tag. */
class Builder {
  constructor(
    readonly steps: Step[],
    readonly o: PlanOptions,
    private readonly tag = '',
  ) {}

  chunk = (i: number): Builder => new Builder(this.steps, this.o, `#${i}`);
  check = (op: string, what: string, size: number): void => checkIndexable(op, what, size, this.o.maxElements);

  run<P>(kernel: Kernel<P>, params: P, args: readonly Arg[], base: string): string {
    this.steps.push(run(kernel, params, args, base + this.tag));
    return base + this.tag;
  }

  post<P, Q>(kernel: Kernel<P>, params: P, args: readonly Arg[], fn: Post<Q>, q: Q, base: string, extra: readonly (string | null)[] = []): string {
    this.steps.push(runPost(kernel, params, args, fn, q, base + this.tag, extra));
    return base + this.tag;
  }
}

/** x [planes, h, w] zero-padded, or x itself when nothing needs padding. */
function pad(b: Builder, x: Arg, planes: number, h: number, w: number, top: number, bottom: number, left: number, right: number): Arg {
  if (top + bottom + left + right === 0) return x;
  b.check('conv2d', 'the padded input', planes * (h + top + bottom) * (w + left + right));
  return b.run(cv.PAD2D, { planes, h, w, top, bottom, left, right }, [x], 'xp');
}

/** V for input x [n][c][h][w] under padding (top, left) and the tile grid g (padded to the grid). */
function inputTransform(b: Builder, x: Arg, n: number, c: number, h: number, w: number, top: number, left: number, g: wk.WinogradTiles, out = 'v'): string {
  b.check('conv2d', 'the Winograd input transform', 16 * c * g.n * g.tt);
  const xp = pad(b, x, n * c, h, w, top, 2 * g.th + 2 - h - top, left, 2 * g.tw + 2 - w - left);
  return b.run(wk.WINOGRAD_INPUT, { g, c }, [xp], out);
}

/** The Winograd forward algorithm on x [n][c][h][w] with transformed filters u for o outputs; [n][o][oh][ow] (+ bias). */
function winograd(b: Builder, x: Arg, u: string, [n, c, h, w, o]: readonly number[], pads: readonly number[], out: string, bias: string | null, v?: string): string {
  const [top, bottom, left, right] = pads as [number, number, number, number];
  const [oh, ow] = [h! + top + bottom - 2, w! + left + right - 2];
  const g = wk.winogradTiles(n!, oh, ow);
  b.check('conv2d', 'the Winograd products', 16 * roundUpBlock(o!, b.o) * g.n * g.tt);
  const vt = inputTransform(b, x, n!, c!, h!, w!, top, left, g, v);
  const block = blocking(b.o);
  const m = b.run(wk.WINOGRAD_GEMM, { g, c: c!, o: o!, ...block }, [u, vt], 'm');
  return b.post(wk.WINOGRAD_OUTPUT, { g, o: o!, ...block }, [m], wk.UNTILE, { g, o: o!, oh, ow }, out, [bias]);
}

/** The implicit-GEMM convolution of an already padded x (+ bias: added as the blocked output is laid out, else by a kernel). */
function direct(b: Builder, d: cv.ConvDims, x: Arg, w: Arg, out: string, bias: string | null): string {
  if (b.o.blocked) return b.post(cv.CONV_FORWARD_BLOCKED, { ...d, ...blocking(b.o) }, [x, w], DEINTERLEAVE, { groups: d.n, rows: d.o, cols: d.oh * d.ow, block: blockOf(b.o) }, out, [bias]);
  if (bias === null) return b.run(cv.CONV_FORWARD_SCALAR, d, [x, w], out);
  const y = b.run(cv.CONV_FORWARD_SCALAR, d, [x, w], 'y0');
  const shape = [d.n, d.o, d.oh, d.ow];
  return b.run(BINARY, { op: 'add', a: shape, b: [1, d.o, 1, 1], out: shape, limit: b.o.indexLimit }, [y, bias], out);
}

function forwardOnce(b: Builder, x: Arg, p: Conv2dParams, bias: string | null, v?: string): string {
  const { n, c, h, w, o } = cv.sizes(p);
  if (usesWinograd(p, b.o)) {
    const u = b.run(wk.WINOGRAD_WEIGHTS, { outCh: o, inCh: c, flip: false }, ['w'], 'u');
    return winograd(b, x, u, [n, c, h, w, o], [p.padTop, p.padBottom, p.padLeft, p.padRight], 'y', bias, v);
  }
  return direct(b, cv.forwardDims(p), pad(b, x, n * c, h, w, p.padTop, p.padBottom, p.padLeft, p.padRight), 'w', 'y', bias);
}

function inputOnce(b: Builder, dy: Arg, p: Conv2dParams): string {
  const { n, c, h, w: wi, o, kh, kw, oh, ow } = cv.sizes(p);
  if (usesWinograd(p, b.o)) {
    const u = b.run(wk.WINOGRAD_WEIGHTS, { outCh: c, inCh: o, flip: true }, ['w'], 'u');
    return winograd(b, dy, u, [n, o, oh, ow, c], [2 - p.padTop, 2 - p.padBottom, 2 - p.padLeft, 2 - p.padRight], 'dx', null);
  }
  if (b.o.blocked && (p.strideH > 1 || p.strideW > 1)) {
    // strided: W^T dy in the blocked matmul's raw layout, then a gather
    const mp = cv.colsMatmul(p);
    b.check('conv2dBackpropInput', 'the columns W^T dy', mp.batch * roundUp4(mp.m) * mp.n);
    return b.run(cv.COL2IM, p, [b.run(MATMUL_BLOCKED, mp, ['w', dy], 'cols')], 'dx');
  }
  b.check('conv2dBackpropInput', 'the dilated dy', n * o * (h + kh - 1) * (wi + kw - 1));
  const dyp = b.run(cv.DILATE_PAD, p, [dy], 'dyp');
  const wT = b.run(cv.FLIP_TRANSPOSE, { wShape: p.wShape }, ['w'], 'wT');
  return direct(b, { n, c: o, hp: h + kh - 1, wp: wi + kw - 1, o: c, kh, kw, sh: 1, sw: 1, oh: h, ow: wi }, dyp, wT, 'dx', null);
}

function filterOnce(b: Builder, x: Arg, dy: Arg, p: Conv2dParams, workspace: boolean): string {
  const { n, c, h, w: wd, o, oh, ow } = cv.sizes(p);
  if (usesWinograd(p, b.o)) {
    const g = wk.winogradTiles(n, oh, ow);
    b.check('conv2dBackpropFilter', 'the Winograd dy transform', 16 * o * g.n * g.tt);
    const v = workspace ? 'v' : inputTransform(b, x, n, c, h, wd, p.padTop, p.padLeft, g);
    const dm = b.run(wk.WINOGRAD_DY, { g, o, oh, ow }, [dy], 'dm');
    const group = wk.winogradFilterGroup(g, c, o);
    const block = blocking(b.o);
    const parts = b.run(wk.WINOGRAD_FILTER_GEMM, { g, c, o, group, ...block }, [dm, v], 'parts');
    const du = g.n === group ? parts : b.run(wk.WINOGRAD_SUM_IMAGES, { n: g.n / group, size: 16 * roundUpBlock(o, b.o) * c }, [parts], 'du');
    return b.post(wk.WINOGRAD_FILTER_OUTPUT, { c, o, ...block }, [du], wk.FILTER_TAPS, { c, o }, 'dw');
  }
  const d = cv.forwardDims(p);
  const xp = pad(b, x, n * c, h, wd, p.padTop, p.padBottom, p.padLeft, p.padRight);
  if (!b.o.blocked) return b.run(cv.CONV_FILTER_SCALAR, d, [xp, dy], 'dw');
  return b.post(cv.CONV_FILTER_BLOCKED, { ...d, ...blocking(b.o) }, [xp, dy], DEINTERLEAVE, { groups: 1, rows: d.o, cols: d.c * d.kh * d.kw, block: blockOf(b.o) }, 'dw');
}

/** The same convolution over `n` images. */
function withBatch(p: Conv2dParams, n: number): Conv2dParams {
  return { ...p, xShape: [n, ...p.xShape.slice(1)], outShape: [n, ...p.outShape.slice(1)] };
}

const perImageOf = (shape: readonly number[]) => shape.slice(1).reduce((a, d) => a * d, 1);

/**
 * `once` over chunks of `per` images (slices of x and dy), each chunk's result written into `out` at
 * its offset, or (out null: the filter gradient) summed into the first chunk's.
 */
function chunked(b: Builder, p: Conv2dParams, per: number, out: { name: string; shape: Shape } | null, once: (b: Builder, x: Arg, dy: Arg, q: Conv2dParams) => string): Plan {
  const n = p.xShape[0]!;
  const [xPer, dyPer] = [perImageOf(p.xShape), perImageOf(p.outShape)];
  if (out) b.steps.push({ alloc: n * perImageOf(out.shape), out: out.name });
  let first = '';
  for (let i = 0; i < n; i += per) {
    const k = Math.min(per, n - i);
    const part = once(b.chunk(i), { of: 'x', start: i * xPer, length: k * xPer }, { of: 'dy', start: i * dyPer, length: k * dyPer }, withBatch(p, k));
    if (out) b.steps.push({ write: part, into: out.name, at: i * perImageOf(out.shape) });
    else if (first === '') first = part;
    else b.steps.push({ add: part, into: first });
  }
  return { steps: b.steps, out: [out ? out.name : first] };
}

/** y = conv(x, w) (+ bias), inputs x, w[, bias]; `keep`: also output the workspace 'v' (when workspaceSize(p) > 0). */
export function planConv2d(p: Conv2dParams, o: PlanOptions, bias: boolean, keep = false): Plan {
  const b = new Builder([], o);
  const per = chunkImages(p, 'forward', o);
  if (per < p.xShape[0]!) return chunked(b, p, per, { name: 'y', shape: p.outShape }, (c, x, _dy, q) => forwardOnce(c, x, q, bias ? 'bias' : null));
  if (keep && workspaceSize(p, o) === 0) throw new Error('internal: conv2d: no workspace applies to this convolution');
  forwardOnce(b, 'x', p, bias ? 'bias' : null, keep ? 'v' : undefined);
  return { steps: b.steps, out: keep ? ['y', 'v'] : ['y'] };
}

/** dx from dy and w (inputs dy, w). */
export function planConvInput(p: Conv2dParams, o: PlanOptions): Plan {
  const b = new Builder([], o);
  const per = chunkImages(p, 'input', o);
  if (per < p.xShape[0]!) return chunked(b, p, per, { name: 'dx', shape: p.xShape }, (c, _x, dy, q) => inputOnce(c, dy, q));
  inputOnce(b, 'dy', p);
  return { steps: b.steps, out: ['dx'] };
}

/** dw from x and dy (inputs x, dy[, v]: the forward's workspace); chunks' filter gradients are summed. */
export function planConvFilter(p: Conv2dParams, o: PlanOptions, workspace = false): Plan {
  const b = new Builder([], o);
  const n = p.xShape[0]!;
  if (n * p.outShape[2]! * p.outShape[3]! === 0) return { steps: [{ fill: 0, size: product(p.wShape), out: 'dw' }], out: ['dw'] };
  const per = chunkImages(p, 'filter', o);
  if (workspace && (per < n || workspaceSize(p, o) === 0)) throw new Error('internal: conv2dBackpropFilter: a workspace for a convolution that keeps none');
  if (per < n) return chunked(b, p, per, null, (c, x, dy, q) => filterOnce(c, x, dy, q, false));
  filterOnce(b, 'x', 'dy', p, workspace);
  return { steps: b.steps, out: ['dw'] };
}
