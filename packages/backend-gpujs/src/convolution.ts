// The three passes of a 2-D convolution (forward, input gradient, filter gradient) on payloads: which
// algorithm runs (Winograd F(2x2, 3x3), implicit GEMM, W^T dy + col2im for strided input gradients),
// and, on host modes, the batch cut into chunks when a pass's intermediates would outgrow
// `chunkElements`.
//
// Why chunks: the Winograd transforms and products are 4x an activation (an eval batch of 500 MNIST
// images at 16 channels makes 25M-element products), the strided input gradient's columns 2.25x.
// Kernel indices are i32, so size alone is not wrong any more, but every kernel owns a WebAssembly
// memory as large as its arguments and result (at most 4 GiB), so a pass over a large batch runs
// image chunks whose intermediates stay below the budget (default 2^24 elements, 64 MiB) and writes
// (or, for the filter gradient, sums) the chunks' results. Training batches run in one piece.

import type { Conv2dParams } from '@skipinit/tensor';
import { WinogradConv, winogradApplies, winogradPays } from './conv-winograd';
import type { Device, Payload } from './device';
import { checkIndexable } from './kernel-source';
import * as conv from './kernels/conv';
import { binaryKernel } from './kernels/elementwise';
import { deinterleave4, matmulBlockedKernel } from './kernels/matmul';
import type { WinogradTiles } from './kernels/winograd';
import { winogradTiles } from './kernels/winograd';

/** Stride-1 3x3 convolutions on host modes: 'winograd' wherever it applies, 'direct' never, 'auto' where it pays. */
export type ConvAlgorithm = 'auto' | 'direct' | 'winograd';

export type ConvPass = 'forward' | 'input' | 'filter';

export interface ConvolutionOptions {
  readonly blocked: boolean;
  readonly algorithm: ConvAlgorithm;
  /** Elements an intermediate of one chunk may hold before the batch is cut (host modes). */
  readonly chunkElements: number;
  /** Elements per tensor this backend holds. */
  readonly maxElements: number;
  readonly transformCacheBytes: number;
}

const roundUp4 = (v: number) => Math.ceil(v / 4) * 4;

function winogradPerImage(t: WinogradTiles, inCh: number, outCh: number): number {
  // padded input, V, M, output tiles
  return Math.max(inCh * (2 * t.th + 2) * (2 * t.tw + 2), 16 * inCh * t.tt, 16 * roundUp4(outCh) * t.tt, 4 * outCh * t.tt);
}

export class Convolution {
  readonly winograd: WinogradConv;

  constructor(
    private readonly device: Device,
    readonly options: ConvolutionOptions,
  ) {
    this.winograd = new WinogradConv(device, options.transformCacheBytes, options.maxElements);
  }

  /** Whether this convolution runs as Winograd F(2x2, 3x3) (host modes, stride-1 3x3 only). */
  usesWinograd(p: Conv2dParams): boolean {
    if (!this.options.blocked || this.options.algorithm === 'direct' || !winogradApplies(p)) return false;
    return this.options.algorithm === 'winograd' || winogradPays(p);
  }

  /** The largest intermediate (elements) one image of `pass` makes, results included. */
  perImage(p: Conv2dParams, pass: ConvPass): number {
    const [, c, h, w] = p.xShape as [number, number, number, number];
    const [o, , kh, kw] = p.wShape as [number, number, number, number];
    const [, , oh, ow] = p.outShape as [number, number, number, number];
    const hp = h + p.padTop + p.padBottom;
    const wp = w + p.padLeft + p.padRight;
    const io = Math.max(c * h * w, roundUp4(o) * oh * ow);
    if (this.usesWinograd(p)) {
      if (pass === 'forward') return Math.max(io, winogradPerImage(winogradTiles(1, oh, ow), c, o));
      if (pass === 'input') return Math.max(io, winogradPerImage(winogradTiles(1, h, w), o, c));
      const t = winogradTiles(1, oh, ow);
      return Math.max(io, c * hp * wp, 16 * c * t.tt, 16 * o * t.tt, 64 * roundUp4(o) * c);
    }
    if (pass === 'input') {
      if (this.options.blocked && (p.strideH > 1 || p.strideW > 1)) return Math.max(io, roundUp4(c * kh * kw) * oh * ow);
      return Math.max(io, o * (h + kh - 1) * (w + kw - 1));
    }
    return Math.max(io, c * hp * wp);
  }

  /** Images per chunk of `pass` (the whole batch where its intermediates fit the budget, or in GPU modes). */
  chunkImages(p: Conv2dParams, pass: ConvPass): number {
    const n = p.xShape[0]!;
    if (!this.device.hostResident) return n;
    const per = this.perImage(p, pass);
    if (per > this.options.maxElements) {
      throw new RangeError(
        `conv2d: one image of x [${p.xShape.join(',')}] with w [${p.wShape.join(',')}] makes ${per} elements in its ${pass} pass; ` +
          `this backend holds at most ${this.options.maxElements} elements per tensor`,
      );
    }
    return Math.max(1, Math.min(n, Math.floor(this.options.chunkElements / per)));
  }

  // ---- the passes, chunked over the batch --------------------------------------------------------

  /**
   * y = conv(x, w) (+ bias [O] per channel); `owner` (the input's storage) keeps the Winograd input
   * transform for the filter gradient.
   */
  forward(x: Payload, w: Payload, p: Conv2dParams, owner: object | null, bias: Payload | null = null): Payload {
    const per = this.chunkImages(p, 'forward');
    if (per >= p.xShape[0]!) return this.forwardOnce(x, w, p, owner, bias);
    return this.chunked(p, per, x, p.outShape, (xs, q) => this.forwardOnce(xs, w, q, null, bias));
  }

  /** dx from dy and w. */
  backpropInput(dy: Payload, w: Payload, p: Conv2dParams): Payload {
    const per = this.chunkImages(p, 'input');
    if (per >= p.xShape[0]!) return this.inputOnce(dy, w, p);
    return this.chunked(p, per, dy, p.xShape, (dys, q) => this.inputOnce(dys, w, q));
  }

  /** dw from x and dy (the chunks' filter gradients summed). */
  backpropFilter(x: Payload, dy: Payload, p: Conv2dParams, owner: object | null): Payload {
    const n = p.xShape[0]!;
    const per = this.chunkImages(p, 'filter');
    if (per >= n) return this.filterOnce(x, dy, p, owner);
    const xs = x as Float32Array;
    const dys = dy as Float32Array;
    const xPer = xs.length / n;
    const dyPer = dys.length / n;
    let sum: Float32Array | null = null;
    for (let i = 0; i < n; i += per) {
      const k = Math.min(per, n - i);
      const part = this.filterOnce(xs.subarray(i * xPer, (i + k) * xPer), dys.subarray(i * dyPer, (i + k) * dyPer), withBatch(p, k), null) as Float32Array;
      if (sum === null) {
        sum = part;
        continue;
      }
      for (let j = 0; j < sum.length; j++) sum[j] = sum[j]! + part[j]!;
      this.device.free(part);
    }
    return sum!;
  }

  /** Runs `once` on each chunk of `per` images of `input` and lays the results out as `outShape`. */
  private chunked(
    p: Conv2dParams,
    per: number,
    input: Payload,
    outShape: readonly number[],
    once: (input: Float32Array, q: Conv2dParams) => Payload,
  ): Float32Array {
    const n = p.xShape[0]!;
    const src = input as Float32Array;
    const inPer = src.length / n;
    const outPer = outShape.slice(1).reduce((a, d) => a * d, 1);
    const out = this.device.alloc(n * outPer);
    for (let i = 0; i < n; i += per) {
      const k = Math.min(per, n - i);
      const part = once(src.subarray(i * inPer, (i + k) * inPer), withBatch(p, k)) as Float32Array;
      out.set(part, i * outPer);
      this.device.free(part);
    }
    return out;
  }

  // ---- one piece --------------------------------------------------------------------------------

  /** x padded by the conv's padding (an intermediate the caller frees), or x itself. */
  private padded(x: Payload, p: Conv2dParams): { payload: Payload; owned: boolean } {
    if (p.padTop + p.padBottom + p.padLeft + p.padRight === 0) return { payload: x, owned: false };
    const [n, c, h, w] = p.xShape as [number, number, number, number];
    checkIndexable('conv2d', 'the padded input', n * c * (h + p.padTop + p.padBottom) * (w + p.padLeft + p.padRight), this.options.maxElements);
    const key = `pad2d|${n * c},${h},${w}|${p.padTop},${p.padBottom},${p.padLeft},${p.padRight}`;
    return { payload: this.device.run(key, () => conv.padSpatialKernel(n * c, h, w, p.padTop, p.padBottom, p.padLeft, p.padRight), [x]), owned: true };
  }

  /** The implicit-GEMM convolution of an already padded x (+ bias: added as the blocked output is laid out, else by a kernel). */
  private direct(d: conv.ConvDims, x: Payload, w: Payload, bias: Payload | null = null): Payload {
    const key = Object.values(d).join(',');
    if (this.options.blocked) {
      return this.device.runWith(`conv2d|blocked|${key}`, () => conv.convForwardBlockedKernel(d), [x, w], (raw) =>
        deinterleave4(raw, d.n, d.o, d.oh * d.ow, this.device.alloc(d.n * d.o * d.oh * d.ow), bias as Float32Array | null),
      );
    }
    const y = this.device.run(`conv2d|scalar|${key}`, () => conv.convForwardScalarKernel(d), [x, w]);
    if (bias === null) return y;
    const shape = [d.n, d.o, d.oh, d.ow];
    const out = this.device.run(`conv2d.bias|${shape}`, () => binaryKernel('add', shape, [1, d.o, 1, 1], shape), [y, bias]);
    this.device.free(y);
    return out;
  }

  private forwardOnce(x: Payload, w: Payload, p: Conv2dParams, owner: object | null, bias: Payload | null): Payload {
    if (this.usesWinograd(p)) return this.winograd.conv2d(x as Float32Array, w as Float32Array, p, owner, bias as Float32Array | null);
    const xp = this.padded(x, p);
    const out = this.direct(conv.forwardDims(p), xp.payload, w, bias);
    if (xp.owned) this.device.free(xp.payload);
    return out;
  }

  private inputOnce(dy: Payload, w: Payload, p: Conv2dParams): Payload {
    const [n, c, h, wi] = p.xShape as [number, number, number, number];
    const [o, , kh, kw] = p.wShape as [number, number, number, number];
    if (this.usesWinograd(p)) return this.winograd.conv2dBackpropInput(dy as Float32Array, w as Float32Array, p);
    if (this.options.blocked && (p.strideH > 1 || p.strideW > 1)) {
      // strided: W^T dy (no multiplies by the zeros a dilated dy would hold), then a gather
      const mp = conv.colsMatmul(p);
      checkIndexable('conv2dBackpropInput', 'the columns W^T dy', mp.batch * roundUp4(mp.m) * mp.n, this.options.maxElements);
      const mmKey = `${mp.batch},${mp.batchA},${mp.batchB},${mp.m},${mp.k},${mp.n},${mp.transA},${mp.transB}`;
      const cols = this.device.run(`matmul|blocked|${mmKey}`, () => matmulBlockedKernel(mp), [w, dy]);
      const key = `conv2dBackpropInput.col2im|${p.xShape}|${p.wShape}|${p.strideH},${p.strideW}|${p.padTop},${p.padLeft}`;
      const out = this.device.run(key, () => conv.col2imKernel(p), [cols]);
      this.device.free(cols);
      return out;
    }
    const hd = h + kh - 1;
    const wdl = wi + kw - 1;
    checkIndexable('conv2dBackpropInput', 'the dilated dy', n * o * hd * wdl, this.options.maxElements);
    const convKey = `${p.xShape}|${p.wShape}|${p.strideH},${p.strideW}|${p.padTop},${p.padBottom},${p.padLeft},${p.padRight}`;
    const dyp = this.device.run(`conv2dBackpropInput.dilate|${convKey}`, () => conv.dilatePadKernel(p), [dy]);
    const wT = this.device.run(`conv2dBackpropInput.flip|${p.wShape}`, () => conv.flipTransposeKernel(p.wShape), [w]);
    const dims: conv.ConvDims = { n, c: o, hp: hd, wp: wdl, o: c, kh, kw, sh: 1, sw: 1, oh: h, ow: wi };
    const out = this.direct(dims, dyp, wT);
    this.device.free(dyp);
    this.device.free(wT);
    return out;
  }

  private filterOnce(x: Payload, dy: Payload, p: Conv2dParams, owner: object | null): Payload {
    if (this.usesWinograd(p)) return this.winograd.conv2dBackpropFilter(x as Float32Array, dy as Float32Array, p, owner);
    const d = conv.forwardDims(p);
    const size = d.o * d.c * d.kh * d.kw;
    const xp = this.padded(x, p);
    let out: Payload;
    if (this.options.blocked) {
      out = this.device.runWith(`conv2dBackpropFilter|blocked|${Object.values(d).join(',')}`, () => conv.convFilterBlockedKernel(d), [xp.payload, dy], (raw) =>
        deinterleave4(raw, 1, d.o, d.c * d.kh * d.kw, this.device.alloc(size)),
      );
    } else {
      out = this.device.run(`conv2dBackpropFilter|scalar|${Object.values(d).join(',')}`, () => conv.convFilterScalarKernel(d), [xp.payload, dy]);
    }
    if (xp.owned) this.device.free(xp.payload);
    return out;
  }
}

/** The same convolution over `n` images. */
function withBatch(p: Conv2dParams, n: number): Conv2dParams {
  return { ...p, xShape: [n, ...p.xShape.slice(1)], outShape: [n, ...p.outShape.slice(1)] };
}
