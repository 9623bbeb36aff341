// The float64 plain-loop reference backend: THE TEST ORACLE, not an execution path to pick for work.
//
// Every primitive of backend.ts written as the most direct loop over Float64Array storage, so that it is
// easy to check by reading. Tests compare other backends against it (the conformance suite in
// @skipinit/tensor/testing) and run gradient checks on it (central differences need float64). It is
// slow by design; train on @skipinit/backend-gpujs.

import type { Backend, BackendMemory, BatchNormParams, BinaryOp, Conv2dParams, DataId, MatmulParams, Pool2dParams, ReduceOp, SgdParams, Shape, UnaryOp } from '../backend';
import * as cv from './conv';
import { broadcastIndex, size, strides } from './indexing';

class RefData implements DataId {
  constructor(public values: Float64Array | null) {}
  get size(): number {
    return this.values?.length ?? 0;
  }
}

const UNARY: Record<UnaryOp, (x: number) => number> = {
  neg: (x) => -x,
  exp: Math.exp,
  log: Math.log,
  sqrt: Math.sqrt,
  rsqrt: (x) => 1 / Math.sqrt(x),
  abs: Math.abs,
  sign: (x) => (x > 0 ? 1 : x < 0 ? -1 : x), // sign(0) = 0, sign(NaN) = NaN
  square: (x) => x * x,
  reciprocal: (x) => 1 / x,
  relu: (x) => (x > 0 ? x : Number.isNaN(x) ? x : 0),
  sigmoid: (x) => (x >= 0 ? 1 / (1 + Math.exp(-x)) : Math.exp(x) / (1 + Math.exp(x))),
  tanh: Math.tanh,
};

const BINARY: Record<BinaryOp, (a: number, b: number) => number> = {
  add: (a, b) => a + b,
  sub: (a, b) => a - b,
  mul: (a, b) => a * b,
  div: (a, b) => a / b,
  pow: Math.pow,
  maximum: (a, b) => (Number.isNaN(a) || Number.isNaN(b) ? NaN : Math.max(a, b)),
  minimum: (a, b) => (Number.isNaN(a) || Number.isNaN(b) ? NaN : Math.min(a, b)),
  eq: (a, b) => +(a === b),
  ne: (a, b) => +(a !== b),
  lt: (a, b) => +(a < b),
  le: (a, b) => +(a <= b),
  gt: (a, b) => +(a > b),
  ge: (a, b) => +(a >= b),
};

export class ReferenceBackend implements Backend {
  readonly name = 'reference';
  readonly mode = 'reference';
  readonly precision = 'float64' as const;
  private live = 0;
  private liveElements = 0;

  // ---- storage --------------------------------------------------------------------------------

  private make(values: Float64Array): RefData {
    this.live++;
    this.liveElements += values.length;
    return new RefData(values);
  }

  private v(id: DataId): Float64Array {
    const d = id as RefData;
    if (!(d instanceof RefData)) throw new Error('ReferenceBackend: this DataId was made by another backend');
    if (d.values === null) throw new Error('ReferenceBackend: use of a disposed DataId');
    return d.values;
  }

  upload(values: ArrayLike<number>): DataId {
    return this.make(Float64Array.from(values));
  }
  fill(n: number, value: number): DataId {
    return this.make(new Float64Array(n).fill(value));
  }
  read(id: DataId): Float64Array {
    return this.v(id).slice();
  }
  readAsync(id: DataId): Promise<Float64Array> {
    return Promise.resolve(this.read(id));
  }
  dispose(id: DataId): void {
    const d = id as RefData;
    if (d.values === null) return;
    this.live--;
    this.liveElements -= d.values.length;
    d.values = null;
  }
  memory(): BackendMemory {
    return { numDataIds: this.live, numBytes: this.liveElements * 8 };
  }

  // ---- elementwise ----------------------------------------------------------------------------

  unary(op: UnaryOp, x: DataId, n: number): DataId {
    const xv = this.v(x);
    const f = UNARY[op];
    const out = new Float64Array(n);
    for (let i = 0; i < n; i++) out[i] = f(xv[i]);
    return this.make(out);
  }

  reluBackward(dy: DataId, y: DataId, n: number): DataId {
    const [gv, yv] = [this.v(dy), this.v(y)];
    const out = new Float64Array(n);
    for (let i = 0; i < n; i++) out[i] = yv[i] <= 0 ? 0 : gv[i];
    return this.make(out);
  }

  binary(op: BinaryOp, a: DataId, aShape: Shape, b: DataId, bShape: Shape, outShape: Shape): DataId {
    const av = this.v(a);
    const bv = this.v(b);
    const ia = broadcastIndex(aShape, outShape);
    const ib = broadcastIndex(bShape, outShape);
    const f = BINARY[op];
    const out = new Float64Array(ia.length);
    for (let i = 0; i < out.length; i++) out[i] = f(av[ia[i]], bv[ib[i]]);
    return this.make(out);
  }

  where(cond: DataId, condShape: Shape, a: DataId, aShape: Shape, b: DataId, bShape: Shape, outShape: Shape): DataId {
    const [cv_, av, bv] = [this.v(cond), this.v(a), this.v(b)];
    const [ic, ia, ib] = [broadcastIndex(condShape, outShape), broadcastIndex(aShape, outShape), broadcastIndex(bShape, outShape)];
    const out = new Float64Array(ic.length);
    for (let i = 0; i < out.length; i++) out[i] = cv_[ic[i]] !== 0 ? av[ia[i]] : bv[ib[i]];
    return this.make(out);
  }

  affine(x: DataId, n: number, scale: number, shift: number): DataId {
    const xv = this.v(x);
    const out = new Float64Array(n);
    for (let i = 0; i < n; i++) out[i] = xv[i] * scale + shift;
    return this.make(out);
  }

  // ---- reductions -----------------------------------------------------------------------------

  reduce(op: ReduceOp, x: DataId, shape: Shape, axes: readonly number[]): DataId {
    const xv = this.v(x);
    const keep = shape.map((d, i) => (axes.includes(i) ? 1 : d));
    const outIndex = broadcastIndex(keep, shape); // input cell -> output cell
    const out = new Float64Array(size(keep)).fill(op === 'sum' ? 0 : op === 'max' ? -Infinity : Infinity);
    for (let i = 0; i < xv.length; i++) {
      const o = outIndex[i];
      const v = xv[i];
      if (op === 'sum') out[o] += v;
      else if (Number.isNaN(v) || (op === 'max' ? v > out[o] : v < out[o])) out[o] = v; // NaN sticks, as in torch
    }
    return this.make(out);
  }

  argmax(x: DataId, shape: Shape, axis: number): DataId {
    const xv = this.v(x);
    const st = strides(shape);
    const n = shape[axis];
    const outer = size(shape.slice(0, axis));
    const inner = st[axis];
    const out = new Float64Array(outer * inner);
    for (let o = 0; o < outer; o++)
      for (let i = 0; i < inner; i++) {
        let best = 0;
        for (let k = 1; k < n; k++) if (xv[o * n * inner + k * inner + i] > xv[o * n * inner + best * inner + i]) best = k;
        out[o * inner + i] = best;
      }
    return this.make(out);
  }

  // ---- movement -------------------------------------------------------------------------------

  permute(x: DataId, shape: Shape, perm: readonly number[]): DataId {
    const xv = this.v(x);
    const outShape = perm.map((p) => shape[p]);
    const inStrides = strides(shape);
    // the out array viewed through the input's strides, permuted
    const permuted = perm.map((p) => inStrides[p]);
    const out = new Float64Array(xv.length);
    const idx = new Array<number>(outShape.length).fill(0);
    for (let i = 0; i < out.length; i++) {
      let off = 0;
      for (let d = 0; d < idx.length; d++) off += idx[d] * permuted[d];
      out[i] = xv[off];
      for (let d = idx.length - 1; d >= 0; d--) {
        if (++idx[d] < outShape[d]) break;
        idx[d] = 0;
      }
    }
    return this.make(out);
  }

  broadcastTo(x: DataId, shape: Shape, outShape: Shape): DataId {
    const xv = this.v(x);
    const map = broadcastIndex(shape, outShape);
    const out = new Float64Array(map.length);
    for (let i = 0; i < out.length; i++) out[i] = xv[map[i]];
    return this.make(out);
  }

  slice(x: DataId, shape: Shape, begin: readonly number[], sz: readonly number[]): DataId {
    const xv = this.v(x);
    const st = strides(shape);
    const out = new Float64Array(size(sz));
    const idx = new Array<number>(sz.length).fill(0);
    for (let i = 0; i < out.length; i++) {
      let off = 0;
      for (let d = 0; d < idx.length; d++) off += (begin[d] + idx[d]) * st[d];
      out[i] = xv[off];
      for (let d = idx.length - 1; d >= 0; d--) {
        if (++idx[d] < sz[d]) break;
        idx[d] = 0;
      }
    }
    return this.make(out);
  }

  pad(x: DataId, shape: Shape, pads: readonly (readonly [number, number])[], value: number): DataId {
    const xv = this.v(x);
    const outShape = shape.map((d, i) => d + pads[i][0] + pads[i][1]);
    const ost = strides(outShape);
    const out = new Float64Array(size(outShape)).fill(value);
    const idx = new Array<number>(shape.length).fill(0);
    for (let i = 0; i < xv.length; i++) {
      let off = 0;
      for (let d = 0; d < idx.length; d++) off += (idx[d] + pads[d][0]) * ost[d];
      out[off] = xv[i];
      for (let d = idx.length - 1; d >= 0; d--) {
        if (++idx[d] < shape[d]) break;
        idx[d] = 0;
      }
    }
    return this.make(out);
  }

  concat(xs: readonly DataId[], shapes: readonly Shape[], axis: number): DataId {
    const outer = size(shapes[0].slice(0, axis));
    const inner = size(shapes[0].slice(axis + 1));
    const total = shapes.reduce((n, s) => n + s[axis], 0);
    const out = new Float64Array(outer * total * inner);
    let start = 0;
    xs.forEach((x, k) => {
      const xv = this.v(x);
      const n = shapes[k][axis];
      for (let o = 0; o < outer; o++)
        for (let a = 0; a < n; a++)
          for (let i = 0; i < inner; i++) out[(o * total + start + a) * inner + i] = xv[(o * n + a) * inner + i];
      start += n;
    });
    return this.make(out);
  }

  // ---- linear algebra and convolution ---------------------------------------------------------

  matmul(a: DataId, b: DataId, p: MatmulParams): DataId {
    const [av, bv] = [this.v(a), this.v(b)];
    const { m, k, n } = p;
    const out = new Float64Array(p.batch * m * n);
    for (let t = 0; t < p.batch; t++) {
      const ao = (p.batchA === 1 ? 0 : t) * m * k;
      const bo = (p.batchB === 1 ? 0 : t) * k * n;
      for (let i = 0; i < m; i++)
        for (let j = 0; j < n; j++) {
          let acc = 0;
          for (let q = 0; q < k; q++) {
            const x = av[ao + (p.transA ? q * m + i : i * k + q)];
            const y = bv[bo + (p.transB ? j * k + q : q * n + j)];
            acc += x * y;
          }
          out[(t * m + i) * n + j] = acc;
        }
    }
    return this.make(out);
  }

  conv2d(x: DataId, w: DataId, p: Conv2dParams, bias: DataId | null = null): DataId {
    const y = cv.conv2d(this.v(x), this.v(w), p);
    if (bias !== null) {
      const bv = this.v(bias);
      const [, o, oh, ow] = p.outShape;
      for (let i = 0; i < y.length; i++) y[i] += bv[Math.floor(i / (oh * ow)) % o];
    }
    return this.make(y);
  }
  /** Keeps no workspace: the filter gradient recomputes everything from x. */
  conv2dTraining(x: DataId, w: DataId, p: Conv2dParams, bias: DataId | null = null): { y: DataId; workspace: DataId | null } {
    return { y: this.conv2d(x, w, p, bias), workspace: null };
  }
  conv2dBackpropInput(dy: DataId, w: DataId, p: Conv2dParams): DataId {
    return this.make(cv.conv2dBackpropInput(this.v(dy), this.v(w), p));
  }
  conv2dBackpropFilter(x: DataId, dy: DataId, p: Conv2dParams): DataId {
    return this.make(cv.conv2dBackpropFilter(this.v(x), this.v(dy), p));
  }
  pool2d(x: DataId, p: Pool2dParams): DataId {
    return this.make(cv.pool2d(this.v(x), p));
  }
  pool2dBackward(dy: DataId, x: DataId, p: Pool2dParams): DataId {
    return this.make(cv.pool2dBackward(this.v(dy), this.v(x), p));
  }

  // ---- fused ----------------------------------------------------------------------------------

  logSoftmax(x: DataId, rows: number, cols: number): DataId {
    const xv = this.v(x);
    const out = new Float64Array(rows * cols);
    for (let r = 0; r < rows; r++) {
      let m = -Infinity;
      for (let c = 0; c < cols; c++) m = Math.max(m, xv[r * cols + c]);
      let s = 0;
      for (let c = 0; c < cols; c++) s += Math.exp(xv[r * cols + c] - m);
      const lse = m + Math.log(s);
      for (let c = 0; c < cols; c++) out[r * cols + c] = xv[r * cols + c] - lse;
    }
    return this.make(out);
  }

  /** Visits every cell of x [outer, channels, inner] as (flat index, channel). */
  private static cells(p: BatchNormParams, f: (i: number, c: number) => void): void {
    for (let o = 0; o < p.outer; o++)
      for (let c = 0; c < p.channels; c++)
        for (let k = 0; k < p.inner; k++) f((o * p.channels + c) * p.inner + k, c);
  }

  batchNormStats(x: DataId, p: BatchNormParams): { mean: DataId; variance: DataId } {
    const xv = this.v(x);
    const m = p.outer * p.inner;
    const mean = new Float64Array(p.channels);
    const variance = new Float64Array(p.channels);
    ReferenceBackend.cells(p, (i, c) => (mean[c] += xv[i]));
    for (let c = 0; c < p.channels; c++) mean[c] /= m;
    ReferenceBackend.cells(p, (i, c) => (variance[c] += (xv[i] - mean[c]) ** 2));
    for (let c = 0; c < p.channels; c++) variance[c] /= m;
    return { mean: this.make(mean), variance: this.make(variance) };
  }

  batchNormForward(x: DataId, mean: DataId, variance: DataId, weight: DataId | null, bias: DataId | null, p: BatchNormParams): DataId {
    const [xv, mv, vv] = [this.v(x), this.v(mean), this.v(variance)];
    const wv = weight === null ? null : this.v(weight);
    const bv = bias === null ? null : this.v(bias);
    const out = new Float64Array(xv.length);
    ReferenceBackend.cells(p, (i, c) => {
      out[i] = ((xv[i] - mv[c]) / Math.sqrt(vv[c] + p.eps)) * (wv ? wv[c] : 1) + (bv ? bv[c] : 0);
    });
    return this.make(out);
  }

  batchNormBackward(
    dy: DataId,
    x: DataId,
    mean: DataId,
    variance: DataId,
    weight: DataId | null,
    p: BatchNormParams,
  ): { dx: DataId; dweight: DataId; dbias: DataId } {
    const [gv, xv, mv, vv] = [this.v(dy), this.v(x), this.v(mean), this.v(variance)];
    const wv = weight === null ? null : this.v(weight);
    const m = p.outer * p.inner;
    const invstd = Array.from(vv, (v) => 1 / Math.sqrt(v + p.eps));
    const dbias = new Float64Array(p.channels);
    const dweight = new Float64Array(p.channels);
    ReferenceBackend.cells(p, (i, c) => {
      dbias[c] += gv[i];
      dweight[c] += gv[i] * (xv[i] - mv[c]) * invstd[c];
    });
    const dx = new Float64Array(xv.length);
    ReferenceBackend.cells(p, (i, c) => {
      const xhat = (xv[i] - mv[c]) * invstd[c];
      dx[i] = (wv ? wv[c] : 1) * invstd[c] * (gv[i] - dbias[c] / m - (xhat * dweight[c]) / m);
    });
    return { dx: this.make(dx), dweight: this.make(dweight), dbias: this.make(dbias) };
  }

  // ---- in place -------------------------------------------------------------------------------

  sgdUpdate(param: DataId, grad: DataId, velocity: DataId, n: number, p: SgdParams): void {
    const [pv, gv, vv] = [this.v(param), this.v(grad), this.v(velocity)];
    for (let i = 0; i < n; i++) {
      const g = gv[i] + p.weightDecay * pv[i];
      vv[i] = p.momentum * vv[i] + g;
      pv[i] -= p.lr * (p.nesterov ? g + p.momentum * vv[i] : vv[i]);
    }
  }

  assign(target: DataId, source: DataId): void {
    this.v(target).set(this.v(source));
  }

  destroy(): void {}
}
