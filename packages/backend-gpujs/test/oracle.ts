// Plain-loop float64 expectations for the primitive tests (independent of the kernels under test).

export function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Uniform values in [lo, hi), rounded to float32. */
export function randomArray(n: number, seed: number, lo = -1, hi = 1): Float32Array {
  const r = rng(seed);
  return Float32Array.from({ length: n }, () => lo + (hi - lo) * r());
}

export const size = (s: readonly number[]) => s.reduce((p, d) => p * d, 1);

export function strides(s: readonly number[]): number[] {
  const out = new Array<number>(s.length);
  let k = 1;
  for (let i = s.length - 1; i >= 0; i--) {
    out[i] = k;
    k *= s[i]!;
  }
  return out;
}

export function unravel(i: number, s: readonly number[]): number[] {
  const st = strides(s);
  return s.map((_, k) => Math.floor(i / st[k]!) % s[k]!);
}

export function ravel(c: readonly number[], s: readonly number[]): number {
  const st = strides(s);
  return c.reduce((acc, v, k) => acc + v * st[k]!, 0);
}

/** x (shape) read at output coordinate c of a broadcast to out shape. */
export function broadcastRead(x: ArrayLike<number>, shape: readonly number[], out: readonly number[], c: readonly number[]): number {
  const off = out.length - shape.length;
  const cc = shape.map((d, k) => (d === 1 ? 0 : c[k + off]!));
  return x[ravel(cc, shape)]!;
}

export function matmul(a: ArrayLike<number>, b: ArrayLike<number>, p: { batch: number; batchA: number; batchB: number; m: number; k: number; n: number; transA: boolean; transB: boolean }): number[] {
  const out: number[] = [];
  for (let z = 0; z < p.batch; z++) {
    const ab = p.batchA > 1 ? z * p.m * p.k : 0;
    const bb = p.batchB > 1 ? z * p.k * p.n : 0;
    for (let i = 0; i < p.m; i++) {
      for (let j = 0; j < p.n; j++) {
        let s = 0;
        for (let k = 0; k < p.k; k++) {
          const av = p.transA ? a[ab + k * p.m + i]! : a[ab + i * p.k + k]!;
          const bv = p.transB ? b[bb + j * p.k + k]! : b[bb + k * p.n + j]!;
          s += av * bv;
        }
        out.push(s);
      }
    }
  }
  return out;
}

export interface ConvP {
  xShape: number[];
  wShape: number[];
  strideH: number;
  strideW: number;
  padTop: number;
  padBottom: number;
  padLeft: number;
  padRight: number;
  outShape: number[];
}

export function convParams(xShape: number[], wShape: number[], stride: [number, number], pad: [number, number, number, number]): ConvP {
  const [n, , h, w] = xShape as [number, number, number, number];
  const [o, , kh, kw] = wShape as [number, number, number, number];
  const oh = Math.floor((h + pad[0] + pad[1] - kh) / stride[0]) + 1;
  const ow = Math.floor((w + pad[2] + pad[3] - kw) / stride[1]) + 1;
  return { xShape, wShape, strideH: stride[0], strideW: stride[1], padTop: pad[0], padBottom: pad[1], padLeft: pad[2], padRight: pad[3], outShape: [n, o, oh, ow] };
}

/** Visits every (n, o, oy, ox, c, kh, kw) tap with in-bounds input coordinates. */
function taps(p: ConvP, f: (yi: number, xi: number, wi: number) => void): void {
  const [n, c, h, w] = p.xShape as [number, number, number, number];
  const [o, , kh, kw] = p.wShape as [number, number, number, number];
  const [, , oh, ow] = p.outShape as [number, number, number, number];
  for (let b = 0; b < n; b++)
    for (let q = 0; q < o; q++)
      for (let y = 0; y < oh; y++)
        for (let x = 0; x < ow; x++)
          for (let ci = 0; ci < c; ci++)
            for (let i = 0; i < kh; i++)
              for (let j = 0; j < kw; j++) {
                const iy = y * p.strideH - p.padTop + i;
                const ix = x * p.strideW - p.padLeft + j;
                if (iy < 0 || iy >= h || ix < 0 || ix >= w) continue;
                f(((b * o + q) * oh + y) * ow + x, ((b * c + ci) * h + iy) * w + ix, ((q * c + ci) * kh + i) * kw + j);
              }
}

export function conv2d(x: ArrayLike<number>, wt: ArrayLike<number>, p: ConvP): number[] {
  const out = new Array<number>(size(p.outShape)).fill(0);
  taps(p, (yi, xi, wi) => (out[yi]! += x[xi]! * wt[wi]!));
  return out;
}

export function conv2dBackpropInput(dy: ArrayLike<number>, wt: ArrayLike<number>, p: ConvP): number[] {
  const dx = new Array<number>(size(p.xShape)).fill(0);
  taps(p, (yi, xi, wi) => (dx[xi]! += dy[yi]! * wt[wi]!));
  return dx;
}

export function conv2dBackpropFilter(x: ArrayLike<number>, dy: ArrayLike<number>, p: ConvP): number[] {
  const dw = new Array<number>(size(p.wShape)).fill(0);
  taps(p, (yi, xi, wi) => (dw[wi]! += dy[yi]! * x[xi]!));
  return dw;
}

/** Max relative error: |got - want| / (atol + |want|)-style check; returns the worst offender. */
export function worst(got: ArrayLike<number>, want: ArrayLike<number>, rtol: number, atol: number): { index: number; got: number; want: number } | null {
  if (got.length !== want.length) return { index: -1, got: got.length, want: want.length };
  for (let i = 0; i < want.length; i++) {
    const g = got[i]!;
    const w = want[i]!;
    if (g === w) continue;
    if (Number.isNaN(w) ? !Number.isNaN(g) : !(Math.abs(g - w) <= atol + rtol * Math.abs(w))) return { index: i, got: g, want: w };
  }
  return null;
}
