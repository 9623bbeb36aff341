// Stride-1 3x3 convolutions by Winograd F(2x2, 3x3) on host modes (webasm, cpu): forward, input
// gradient (the forward algorithm on dy with the rotated, channel-transposed filter) and filter
// gradient (the Winograd form run backwards). See kernels/winograd.ts for the algebra and layouts.
//
// Measured at issue 7's R2 shape (32x16x32x32, 16 filters, pad 1, webasm, one thread, cpu time,
// forward + both gradients): 187 ms direct, 126 ms Winograd (see docs/gpujs-engine-notes.md). Other
// shapes keep the direct kernels (conv.ts).

import type { Conv2dParams } from '@skipinit/tensor';
import type { Device, KernelArg } from './device';
import type { KernelSpec } from './kernel-source';
import { checkIndexable } from './kernel-source';
import { padSpatialKernel } from './kernels/conv';
import * as wk from './kernels/winograd';

/** Whether Winograd F(2x2, 3x3) applies: 3x3 kernel, stride 1, padding at most 2 on every side. */
export function winogradApplies(p: Conv2dParams): boolean {
  const [, , kh, kw] = p.wShape;
  const pads = [p.padTop, p.padBottom, p.padLeft, p.padRight];
  return kh === 3 && kw === 3 && p.strideH === 1 && p.strideW === 1 && pads.every((q) => q <= 2) && p.outShape[2]! >= 2 && p.outShape[3]! >= 2;
}

/**
 * Where 'auto' picks Winograd: enough channels for its GEMM to pay for the transforms. Measured
 * (64x32x32 inputs, forward + filter gradient, cpu time): 3 -> 16 channels direct 54 ms, Winograd
 * 65 ms; 8 -> 8 direct 63, Winograd 47; 16 -> 16 direct 255, Winograd 147.
 */
export function winogradPays(p: Conv2dParams): boolean {
  return p.xShape[1]! >= 8 && p.wShape[0]! >= 8;
}

/**
 * Input transforms V kept from a forward convolution for the filter gradient of the same input
 * (training computes conv2d(x) and later conv2dBackpropFilter(x, dy) on the same x): keyed by the
 * input's storage object and the convolution's geometry, taken (and freed) by the filter gradient,
 * dropped when the input is disposed or overwritten, bounded in bytes (oldest dropped first).
 */
export class TransformCache {
  private readonly entries = new Map<object, { key: string; v: Float32Array }>();
  private bytes = 0;

  constructor(
    readonly maxBytes: number,
    private readonly free: (v: Float32Array) => void,
  ) {}

  put(owner: object, key: string, v: Float32Array): boolean {
    if (v.length * 4 > this.maxBytes) return false;
    this.drop(owner);
    this.entries.set(owner, { key, v });
    this.bytes += v.length * 4;
    for (const [o] of this.entries) {
      if (this.bytes <= this.maxBytes) break;
      this.drop(o);
    }
    return true;
  }

  /** The transform of `owner` under `key`, now the caller's (removed from the cache), or null. */
  take(owner: object, key: string): Float32Array | null {
    const e = this.entries.get(owner);
    if (!e || e.key !== key) return null;
    this.entries.delete(owner);
    this.bytes -= e.v.length * 4;
    return e.v;
  }

  drop(owner: object): void {
    const e = this.entries.get(owner);
    if (!e) return;
    this.entries.delete(owner);
    this.bytes -= e.v.length * 4;
    this.free(e.v);
  }

  clear(): void {
    for (const o of [...this.entries.keys()]) this.drop(o);
  }

  stats(): { entries: number; bytes: number; maxBytes: number } {
    return { entries: this.entries.size, bytes: this.bytes, maxBytes: this.maxBytes };
  }
}

export class WinogradConv {
  readonly cache: TransformCache;

  constructor(
    private readonly device: Device,
    cacheBytes: number,
    /** Elements per tensor the backend holds. */
    private readonly maxElements: number,
  ) {
    this.cache = new TransformCache(cacheBytes, (v) => device.free(v));
  }

  private run(key: string, spec: () => KernelSpec, args: readonly KernelArg[]): Float32Array {
    return this.device.run(key, spec, args) as Float32Array;
  }

  /** x [planes, h, w] zero-padded (an owned buffer), or null when nothing needs padding. */
  private pad(x: Float32Array, planes: number, h: number, w: number, top: number, bottom: number, left: number, right: number): Float32Array | null {
    if (top + bottom + left + right === 0) return null;
    checkIndexable('conv2d', 'the padded input', planes * (h + top + bottom) * (w + left + right), this.maxElements);
    return this.run(`pad2d|${planes},${h},${w}|${top},${bottom},${left},${right}`, () => padSpatialKernel(planes, h, w, top, bottom, left, right), [x]);
  }

  /** V for input x [n][c][h][w] under padding (top, left) and the tile grid g (pads to the grid). */
  private inputTransform(x: Float32Array, n: number, c: number, h: number, w: number, top: number, left: number, g: wk.WinogradTiles): Float32Array {
    const hp = 2 * g.th + 2;
    const wp = 2 * g.tw + 2;
    checkIndexable('conv2d', 'the Winograd input transform', 16 * c * g.n * g.tt, this.maxElements);
    const xp = this.pad(x, n * c, h, w, top, hp - h - top, left, wp - w - left);
    const v = this.run(`winograd.input|${n},${c},${g.th},${g.tw}`, () => wk.winogradInputKernel(g, c), [xp ?? x]);
    if (xp) this.device.free(xp);
    return v;
  }

  /**
   * The forward algorithm: x [n][c][h][w] (already the conv's input, unpadded), U for o filters,
   * padding (top, bottom, left, right); returns [n][o][oh][ow].
   */
  private forward(
    x: Float32Array,
    u: Float32Array,
    n: number,
    c: number,
    h: number,
    w: number,
    o: number,
    pads: readonly [number, number, number, number],
    keep: ((v: Float32Array) => boolean) | null = null,
    bias: Float32Array | null = null,
  ): Float32Array {
    const [top, bottom, left, right] = pads;
    const oh = h + top + bottom - 2;
    const ow = w + left + right - 2;
    const g = wk.winogradTiles(n, oh, ow);
    checkIndexable('conv2d', 'the Winograd products', 16 * Math.ceil(o / 4) * 4 * g.n * g.tt, this.maxElements);
    const v = this.inputTransform(x, n, c, h, w, top, left, g);
    const m = this.run(`winograd.gemm|${g.n},${g.th},${g.tw},${c},${o}`, () => wk.winogradGemmKernel(g, c, o), [u, v]);
    if (keep === null || !keep(v)) this.device.free(v);
    const out = this.device.runWith(`winograd.output|${g.n},${g.th},${g.tw},${o}`, () => wk.winogradOutputKernel(g, o), [m], (y) => untile(y, this.device.alloc(n * o * oh * ow), g, o, oh, ow, bias));
    this.device.free(m);
    return out;
  }

  /**
   * `owner`: the input's storage, whose transform is kept for its filter gradient (null: not kept);
   * `bias` [O] is added as the output tiles are laid out.
   */
  conv2d(x: Float32Array, w: Float32Array, p: Conv2dParams, owner: object | null = null, bias: Float32Array | null = null): Float32Array {
    const [n, c, h, wd] = p.xShape as [number, number, number, number];
    const o = p.wShape[0]!;
    const u = this.run(`winograd.weights|${o},${c}|fwd`, () => wk.winogradWeightKernel(o, c, false), [w]);
    const out = this.forward(x, u, n, c, h, wd, o, [p.padTop, p.padBottom, p.padLeft, p.padRight], owner === null ? null : (v) => this.cache.put(owner, inputKey(p), v), bias);
    this.device.free(u);
    return out;
  }

  /** dx: the forward algorithm on dy with the rotated filter and padding 2 - p on each side. */
  conv2dBackpropInput(dy: Float32Array, w: Float32Array, p: Conv2dParams): Float32Array {
    const [n, c] = p.xShape as [number, number];
    const [, o, oh, ow] = p.outShape as [number, number, number, number];
    const u = this.run(`winograd.weights|${c},${o}|flip`, () => wk.winogradWeightKernel(c, o, true), [w]);
    const out = this.forward(dy, u, n, o, oh, ow, c, [2 - p.padTop, 2 - p.padBottom, 2 - p.padLeft, 2 - p.padRight]);
    this.device.free(u);
    return out;
  }

  conv2dBackpropFilter(x: Float32Array, dy: Float32Array, p: Conv2dParams, owner: object | null = null): Float32Array {
    const [n, c, h, wd] = p.xShape as [number, number, number, number];
    const [, o, oh, ow] = p.outShape as [number, number, number, number];
    const g = wk.winogradTiles(n, oh, ow);
    checkIndexable('conv2dBackpropFilter', 'the Winograd dy transform', 16 * o * g.n * g.tt, this.maxElements);
    const v = (owner === null ? null : this.cache.take(owner, inputKey(p))) ?? this.inputTransform(x, n, c, h, wd, p.padTop, p.padLeft, g);
    const dm = this.run(`winograd.dy|${n},${o},${oh},${ow}`, () => wk.winogradDyKernel(g, o, oh, ow), [dy]);
    const group = wk.winogradFilterGroup(g, c, o);
    const parts = this.run(`winograd.filterGemm|${g.n},${g.th},${g.tw},${c},${o},${group}`, () => wk.winogradFilterGemmKernel(g, c, o, group), [dm, v]);
    this.device.free(dm);
    this.device.free(v);
    const size = 64 * Math.ceil(o / 4) * c;
    const count = g.n / group;
    const du = count === 1 ? parts : this.run(`winograd.sumImages|${count},${size}`, () => wk.winogradSumImagesKernel(count, size), [parts]);
    if (du !== parts) this.device.free(parts);
    const out = this.device.runWith(`winograd.filterOutput|${c},${o}`, () => wk.winogradFilterOutputKernel(c, o), [du], (raw) => {
      // raw [9][o][c] -> [o][c][3][3]
      const dw = this.device.alloc(o * c * 9);
      for (let tap = 0; tap < 9; tap++) {
        for (let oc = 0; oc < o * c; oc++) dw[oc * 9 + tap] = raw[tap * o * c + oc]!;
      }
      return dw;
    });
    this.device.free(du);
    return out;
  }
}

/** What an input transform depends on besides the input's values: its shape and the padding. */
function inputKey(p: Conv2dParams): string {
  return `${p.xShape}|${p.padTop},${p.padBottom},${p.padLeft},${p.padRight}|${p.outShape}`;
}

/** Output tiles [n][o][tt][2x2] into out [n][o][oh][ow] (+ bias[o]), dropping cells past the edge. */
function untile(y: Float32Array, out: Float32Array, g: wk.WinogradTiles, o: number, oh: number, ow: number, bias: Float32Array | null): Float32Array {
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
}
