// The gpu.js execution engine: the Backend table of @skipinit/tensor, every primitive a gpu.js kernel.

import type {
  Backend,
  BackendMemory,
  BatchNormParams,
  BinaryOp,
  Conv2dParams,
  DataId,
  MatmulParams,
  Pool2dParams,
  ReduceOp,
  SgdParams,
  Shape,
  UnaryOp,
} from '@skipinit/tensor';
import { Device, type KernelArg, type Payload } from './device';
import type { KernelCacheStats } from './kernel-cache';
import { FLOAT_EXACT, MAX_HOST_ELEMENTS, MAX_INDEXABLE, checkIndexable, product, type KernelSpec } from './kernel-source';
import { Convolution, type ConvAlgorithm } from './convolution';
import * as batchNorm from './batch-norm';
import { affineKernel, binaryKernel, broadcastToKernel, reluBackwardKernel, unaryKernel, whereKernel } from './kernels/elementwise';
import { deinterleave4, matmulBlockedKernel, matmulScalarKernel } from './kernels/matmul';
import { concat2Kernel, padKernel, permuteKernel, sliceKernel } from './kernels/movement';
import { pool2dBackwardKernel, pool2dKernel } from './kernels/pool';
import { argmaxKernel, logSumExpRowsKernel, reduceKernel, subtractRowKernel } from './kernels/reduce';
import { copyKernel, fillKernel, sgdParamKernel, sgdVelocityKernel } from './kernels/sgd';
import { describeSelection, type ModeSelection } from './modes';
import { GpuData, MemoryLedger } from './storage';
import { checkAxes, checkAxis, checkBroadcast, checkConv, checkMatmul, checkPermutation, checkPool, checkShape, checkSize, fmt } from './validate';

/** Which kernel shapes the heavy ops use. */
export type KernelStyle = 'blocked' | 'scalar';

export type { ConvAlgorithm } from './convolution';

export interface GpuJsBackendConfig {
  readonly selection: ModeSelection;
  /** 'blocked' (four outputs per thread, for the WebAssembly vectoriser) is used only in webasm/cpu. */
  readonly kernels: KernelStyle;
  readonly maxKernels: number;
  readonly maxKernelBytes: number;
  /** Threads for heavy kernels (webasm only; 1 = the calling thread alone). */
  readonly threads: number;
  readonly convAlgorithm: ConvAlgorithm;
  /** Bytes of Winograd input transforms kept from forward convolutions for their filter gradients. */
  readonly transformCacheBytes: number;
  /**
   * For tests: where kernels stop trusting float32 index math (default 2^24) and the elements a
   * convolution's intermediate may hold before its batch is cut into chunks (default 2^24). Lowered,
   * they run the large-tensor paths on small tensors.
   */
  readonly indexLimit?: number;
  readonly convChunkElements?: number;
  /** With threads > 1: kernels split across threads from this much work or this many output cells. */
  readonly splitMinWork?: number;
  readonly splitMinCells?: number;
}

const poolKey = (p: Pool2dParams): string =>
  `${p.kind}|${p.xShape}|${p.kernelH},${p.kernelW}|${p.strideH},${p.strideW}|${p.padTop},${p.padBottom},${p.padLeft},${p.padRight}|${p.countIncludePad}`;

export class GpuJsBackend implements Backend {
  readonly name = 'gpujs';
  readonly precision = 'float32' as const;
  readonly selection: ModeSelection;
  readonly kernelStyle: KernelStyle;
  readonly convAlgorithm: ConvAlgorithm;
  /** Elements one tensor may hold: 2^28 - 1 in webasm/cpu (i32 indices), 2^24 - 1 in GPU modes. */
  readonly maxElements: number;
  private readonly device: Device;
  private readonly convolution: Convolution;
  private readonly indexLimit: number;
  private readonly ledger = new MemoryLedger();
  private destroyed = false;

  constructor(config: GpuJsBackendConfig) {
    this.selection = config.selection;
    this.device = new Device(config.selection.mode, { maxKernels: config.maxKernels, maxBytes: config.maxKernelBytes }, config.threads, {
      ...(config.splitMinWork === undefined ? {} : { splitMinWork: config.splitMinWork }),
      ...(config.splitMinCells === undefined ? {} : { splitMinCells: config.splitMinCells }),
    });
    this.kernelStyle = this.device.hostResident ? config.kernels : 'scalar';
    this.convAlgorithm = config.convAlgorithm;
    this.maxElements = this.device.hostResident ? MAX_HOST_ELEMENTS : MAX_INDEXABLE;
    this.indexLimit = config.indexLimit ?? FLOAT_EXACT;
    this.convolution = new Convolution(this.device, {
      blocked: this.kernelStyle === 'blocked',
      algorithm: config.convAlgorithm,
      chunkElements: config.convChunkElements ?? FLOAT_EXACT,
      maxElements: this.maxElements,
      transformCacheBytes: config.transformCacheBytes,
    });
  }

  /** Whether this convolution runs as Winograd F(2x2, 3x3) (host modes, stride-1 3x3 only). */
  usesWinograd(p: Conv2dParams): boolean {
    return this.convolution.usesWinograd(p);
  }

  private get winograd() {
    return this.convolution.winograd;
  }

  private check(op: string, what: string, size: number): void {
    checkIndexable(op, what, size, this.maxElements);
  }

  get mode(): string {
    return this.selection.mode;
  }

  /** One line: the mode that runs, why better ones were skipped, and the kernel style. */
  describe(): string {
    const host = this.device.hostResident;
    const threads = this.device.threads > 1 ? ` split across ${this.device.threads} threads` : host ? ' on 1 thread' : '';
    return `${describeSelection(this.selection)}; ${this.kernelStyle} matmul/conv kernels${threads}`;
  }

  /** Threads the heavy kernels run on (the calling thread included). */
  get threads(): number {
    return this.device.threads;
  }

  kernelCacheStats(): KernelCacheStats {
    return this.device.cacheStats();
  }

  // ---- plumbing -------------------------------------------------------------------------------

  private live(op: string): void {
    if (this.destroyed) throw new Error(`${op}: this gpujs backend was destroyed`);
  }

  private data(op: string, what: string, id: DataId, size?: number): GpuData {
    if (!(id instanceof GpuData) || id.owner !== this) throw new TypeError(`${op}: ${what} is not storage of this gpujs backend`);
    if (id.disposed) throw new Error(`${op}: ${what} was disposed`);
    if (size !== undefined && id.size !== size) throw new RangeError(`${op}: ${what} holds ${id.size} elements, expected ${size}`);
    return id;
  }

  private make(size: number, payload: Payload): GpuData {
    return this.ledger.add(new GpuData(this, size, payload));
  }

  /** Runs the kernel for `key` (op and shapes; `spec` makes its source on a cache miss). */
  private run(key: string, spec: () => KernelSpec, args: readonly KernelArg[]): Payload {
    return this.device.run(key, spec, args);
  }

  /** Runs a kernel whose output needs no host post-processing, or returns empty storage for size 0. */
  private produce(op: string, key: string, size: number, spec: () => KernelSpec, args: () => readonly KernelArg[]): GpuData {
    this.check(op, 'the result', size);
    if (size === 0) return this.make(0, new Float32Array(0));
    return this.make(size, this.run(key, spec, args()));
  }

  private get blocked(): boolean {
    return this.kernelStyle === 'blocked';
  }

  // ---- storage --------------------------------------------------------------------------------

  upload(values: ArrayLike<number>): DataId {
    this.live('upload');
    this.check('upload', 'the values', values.length);
    if (this.device.hostResident) {
      const host = this.device.alloc(values.length);
      host.set(values);
      return this.make(host.length, host);
    }
    const host = Float32Array.from(values);
    if (host.length === 0) return this.make(0, host);
    return this.make(host.length, this.run(`copy|${host.length}`, () => copyKernel(host.length), [host]));
  }

  fill(size: number, value: number): DataId {
    this.live('fill');
    if (!Number.isInteger(size) || size < 0) throw new RangeError(`fill: size must be a non-negative integer, got ${size}`);
    this.check('fill', 'the result', size);
    if (this.device.hostResident || size === 0) return this.make(size, this.device.hostResident ? this.device.alloc(size).fill(value) : new Float32Array(0));
    return this.make(size, this.run(`fill|${size}`, () => fillKernel(size), [value]));
  }

  read(id: DataId): Float32Array {
    this.live('read');
    const d = this.data('read', 'x', id);
    return this.device.read(d.payload, d.size);
  }

  async readAsync(id: DataId): Promise<Float32Array> {
    this.live('readAsync');
    const d = this.data('readAsync', 'x', id);
    return this.device.readAsync(d.payload, d.size);
  }

  dispose(id: DataId): void {
    if (!(id instanceof GpuData) || id.owner !== this || id.disposed) return;
    this.winograd.cache.drop(id);
    id.disposed = true;
    if (this.ledger.remove(id)) this.device.free(id.payload);
    id.payload = new Float32Array(0);
  }

  memory(): BackendMemory {
    return this.ledger.memory();
  }

  // ---- elementwise ----------------------------------------------------------------------------

  unary(op: UnaryOp, x: DataId, size: number): DataId {
    this.live(`unary(${op})`);
    const xd = this.data(`unary(${op})`, 'x', x, size);
    return this.produce(`unary(${op})`, `unary|${op}|${size}`, size, () => unaryKernel(op, size), () => [xd.payload]);
  }

  reluBackward(dy: DataId, y: DataId, size: number): DataId {
    this.live('reluBackward');
    const dyd = this.data('reluBackward', 'dy', dy, size);
    const yd = this.data('reluBackward', 'y', y, size);
    return this.produce('reluBackward', `reluBackward|${size}`, size, () => reluBackwardKernel(size), () => [dyd.payload, yd.payload]);
  }

  binary(op: BinaryOp, a: DataId, aShape: Shape, b: DataId, bShape: Shape, outShape: Shape): DataId {
    const name = `binary(${op})`;
    this.live(name);
    const ad = this.data(name, 'a', a);
    const bd = this.data(name, 'b', b);
    checkSize(name, 'a', ad.size, aShape);
    checkSize(name, 'b', bd.size, bShape);
    checkShape(name, 'out', outShape);
    checkBroadcast(name, aShape, outShape);
    checkBroadcast(name, bShape, outShape);
    return this.produce(name, `binary|${op}|${aShape}|${bShape}|${outShape}`, product(outShape), () => binaryKernel(op, aShape, bShape, outShape, this.indexLimit), () => [ad.payload, bd.payload]);
  }

  where(cond: DataId, condShape: Shape, a: DataId, aShape: Shape, b: DataId, bShape: Shape, outShape: Shape): DataId {
    this.live('where');
    const cd = this.data('where', 'cond', cond);
    const ad = this.data('where', 'a', a);
    const bd = this.data('where', 'b', b);
    checkSize('where', 'cond', cd.size, condShape);
    checkSize('where', 'a', ad.size, aShape);
    checkSize('where', 'b', bd.size, bShape);
    checkShape('where', 'out', outShape);
    for (const s of [condShape, aShape, bShape]) checkBroadcast('where', s, outShape);
    return this.produce('where', `where|${condShape}|${aShape}|${bShape}|${outShape}`, product(outShape), () => whereKernel(condShape, aShape, bShape, outShape, this.indexLimit), () => [cd.payload, ad.payload, bd.payload]);
  }

  affine(x: DataId, size: number, scale: number, shift: number): DataId {
    this.live('affine');
    const xd = this.data('affine', 'x', x, size);
    return this.produce('affine', `affine|${size}`, size, () => affineKernel(size), () => [xd.payload, scale, shift]);
  }

  // ---- reductions -----------------------------------------------------------------------------

  reduce(op: ReduceOp, x: DataId, shape: Shape, axes: readonly number[]): DataId {
    const name = `reduce(${op})`;
    this.live(name);
    const xd = this.data(name, 'x', x);
    checkSize(name, 'x', xd.size, shape);
    checkAxes(name, axes, shape.length);
    const outSize = product(shape.filter((_, k) => !axes.includes(k)));
    if (outSize > 0 && xd.size === 0) {
      if (op !== 'sum') throw new RangeError(`${name}: cannot reduce an empty axis of shape ${fmt(shape)}`);
      return this.fill(outSize, 0);
    }
    return this.produce(name, `reduce|${op}|${shape}|${axes}`, outSize, () => reduceKernel(op, shape, axes, this.indexLimit), () => [xd.payload]);
  }

  argmax(x: DataId, shape: Shape, axis: number): DataId {
    this.live('argmax');
    const xd = this.data('argmax', 'x', x);
    checkSize('argmax', 'x', xd.size, shape);
    checkAxis('argmax', axis, shape.length);
    if (shape[axis] === 0) throw new RangeError(`argmax: axis ${axis} of shape ${fmt(shape)} is empty`);
    const outSize = product(shape.filter((_, k) => k !== axis));
    return this.produce('argmax', `argmax|${shape}|${axis}`, outSize, () => argmaxKernel(shape, axis, this.indexLimit), () => [xd.payload]);
  }

  // ---- movement -------------------------------------------------------------------------------

  permute(x: DataId, shape: Shape, perm: readonly number[]): DataId {
    this.live('permute');
    const xd = this.data('permute', 'x', x);
    checkSize('permute', 'x', xd.size, shape);
    checkPermutation('permute', perm, shape.length);
    return this.produce('permute', `permute|${shape}|${perm}`, xd.size, () => permuteKernel(shape, perm, this.indexLimit), () => [xd.payload]);
  }

  broadcastTo(x: DataId, shape: Shape, outShape: Shape): DataId {
    this.live('broadcastTo');
    const xd = this.data('broadcastTo', 'x', x);
    checkSize('broadcastTo', 'x', xd.size, shape);
    checkShape('broadcastTo', 'out', outShape);
    checkBroadcast('broadcastTo', shape, outShape);
    return this.produce('broadcastTo', `broadcastTo|${shape}|${outShape}`, product(outShape), () => broadcastToKernel(shape, outShape, this.indexLimit), () => [xd.payload]);
  }

  slice(x: DataId, shape: Shape, begin: readonly number[], size: readonly number[]): DataId {
    this.live('slice');
    const xd = this.data('slice', 'x', x);
    checkSize('slice', 'x', xd.size, shape);
    const bad =
      begin.length !== shape.length ||
      size.length !== shape.length ||
      shape.some((d, k) => !Number.isInteger(begin[k]) || !Number.isInteger(size[k]) || begin[k]! < 0 || size[k]! < 0 || begin[k]! + size[k]! > d);
    if (bad) throw new RangeError(`slice: begin [${begin.join(',')}] size [${size.join(',')}] is out of range for shape ${fmt(shape)}`);
    return this.produce('slice', `slice|${shape}|${begin}|${size}`, product(size), () => sliceKernel(shape, begin, size, this.indexLimit), () => [xd.payload]);
  }

  pad(x: DataId, shape: Shape, pads: readonly (readonly [number, number])[], value: number): DataId {
    this.live('pad');
    const xd = this.data('pad', 'x', x);
    checkSize('pad', 'x', xd.size, shape);
    const bad = pads.length !== shape.length || pads.some(([b, a]) => !Number.isInteger(b) || !Number.isInteger(a) || b < 0 || a < 0);
    if (bad) throw new RangeError(`pad: pads ${JSON.stringify(pads)} do not fit shape ${fmt(shape)} (one [before, after] >= 0 per axis)`);
    const outShape = shape.map((d, k) => d + pads[k]![0] + pads[k]![1]);
    if (xd.size === 0) return this.fill(product(outShape), value);
    return this.produce('pad', `pad|${shape}|${pads.join(';')}`, product(outShape), () => padKernel(shape, pads, this.indexLimit), () => [xd.payload, value]);
  }

  concat(xs: readonly DataId[], shapes: readonly Shape[], axis: number): DataId {
    this.live('concat');
    if (xs.length === 0 || xs.length !== shapes.length) throw new RangeError(`concat: needs one shape per input and at least one input`);
    const ds = xs.map((x, i) => this.data('concat', `input ${i}`, x));
    const rank = shapes[0]!.length;
    checkAxis('concat', axis, rank);
    shapes.forEach((s, i) => {
      checkSize('concat', `input ${i}`, ds[i]!.size, s);
      if (s.length !== rank || s.some((d, k) => k !== axis && d !== shapes[0]![k])) {
        throw new RangeError(`concat: shapes ${shapes.map(fmt).join(', ')} differ outside axis ${axis}`);
      }
    });
    let shape = [...shapes[0]!];
    let payload = ds[0]!.payload;
    let owned = false;
    for (let i = 1; i < ds.length; i++) {
      const next = shapes[i]!;
      const outShape = shape.map((d, k) => (k === axis ? d + next[k]! : d));
      this.check('concat', 'the result', product(outShape));
      const result = product(outShape) === 0 ? new Float32Array(0) : this.run(`concat|${shape}|${next}|${axis}`, () => concat2Kernel(shape, next, axis, this.indexLimit), [payload, ds[i]!.payload]);
      if (owned) this.device.free(payload);
      payload = result;
      owned = true;
      shape = outShape;
    }
    if (!owned) return this.produce('concat', `copy|${ds[0]!.size}`, ds[0]!.size, () => copyKernel(ds[0]!.size), () => [payload]);
    return this.make(product(shape), payload);
  }

  // ---- linear algebra and convolution ---------------------------------------------------------

  matmul(a: DataId, b: DataId, p: MatmulParams): DataId {
    this.live('matmul');
    const desc = checkMatmul(p);
    const ad = this.data(desc, 'a', a, p.batchA * p.m * p.k);
    const bd = this.data(desc, 'b', b, p.batchB * p.k * p.n);
    const size = p.batch * p.m * p.n;
    this.check('matmul', 'the result', size);
    if (size === 0) return this.make(0, new Float32Array(0));
    if (p.k === 0) return this.fill(size, 0);
    const mmKey = `${p.batch},${p.batchA},${p.batchB},${p.m},${p.k},${p.n},${p.transA},${p.transB}`;
    if (!this.blocked) return this.make(size, this.run(`matmul|scalar|${mmKey}`, () => matmulScalarKernel(p), [ad.payload, bd.payload]));
    const out = this.device.runWith(`matmul|blocked|${mmKey}`, () => matmulBlockedKernel(p), [ad.payload, bd.payload], (raw) =>
      deinterleave4(raw, p.batch, p.m, p.n, this.device.alloc(size)),
    );
    return this.make(size, out);
  }

  conv2d(x: DataId, w: DataId, p: Conv2dParams, bias: DataId | null = null): DataId {
    this.live('conv2d');
    checkConv('conv2d', p);
    const xd = this.data('conv2d', 'x', x, product(p.xShape));
    const wd = this.data('conv2d', 'w', w, product(p.wShape));
    const bd = bias === null ? null : this.data('conv2d', 'bias', bias, p.wShape[0]);
    const size = product(p.outShape);
    this.check('conv2d', 'the result', size);
    if (size === 0) return this.make(0, new Float32Array(0));
    return this.make(size, this.convolution.forward(xd.payload, wd.payload, p, xd, bd?.payload ?? null));
  }

  conv2dBackpropInput(dy: DataId, w: DataId, p: Conv2dParams): DataId {
    this.live('conv2dBackpropInput');
    checkConv('conv2dBackpropInput', p);
    const dyd = this.data('conv2dBackpropInput', 'dy', dy, product(p.outShape));
    const wd = this.data('conv2dBackpropInput', 'w', w, product(p.wShape));
    const size = product(p.xShape);
    this.check('conv2dBackpropInput', 'the result', size);
    if (size === 0) return this.make(0, new Float32Array(0));
    return this.make(size, this.convolution.backpropInput(dyd.payload, wd.payload, p));
  }

  conv2dBackpropFilter(x: DataId, dy: DataId, p: Conv2dParams): DataId {
    this.live('conv2dBackpropFilter');
    const d = checkConv('conv2dBackpropFilter', p);
    const xd = this.data('conv2dBackpropFilter', 'x', x, product(p.xShape));
    const dyd = this.data('conv2dBackpropFilter', 'dy', dy, product(p.outShape));
    const size = product(p.wShape);
    if (size === 0) return this.make(0, new Float32Array(0));
    if (d.n * d.oh * d.ow === 0) return this.fill(size, 0);
    return this.make(size, this.convolution.backpropFilter(xd.payload, dyd.payload, p, xd));
  }

  pool2d(x: DataId, p: Pool2dParams): DataId {
    this.live('pool2d');
    checkPool('pool2d', p);
    const xd = this.data('pool2d', 'x', x, product(p.xShape));
    return this.produce('pool2d', `pool2d|${poolKey(p)}`, product(p.outShape), () => pool2dKernel(p), () => [xd.payload]);
  }

  pool2dBackward(dy: DataId, x: DataId, p: Pool2dParams): DataId {
    this.live('pool2dBackward');
    checkPool('pool2dBackward', p);
    const dyd = this.data('pool2dBackward', 'dy', dy, product(p.outShape));
    const xd = this.data('pool2dBackward', 'x', x, product(p.xShape));
    return this.produce('pool2dBackward', `pool2dBackward|${poolKey(p)}`, product(p.xShape), () => pool2dBackwardKernel(p), () => [dyd.payload, xd.payload]);
  }

  // ---- fused ----------------------------------------------------------------------------------

  logSoftmax(x: DataId, rows: number, cols: number): DataId {
    this.live('logSoftmax');
    const xd = this.data('logSoftmax', 'x', x, rows * cols);
    if (rows * cols === 0) return this.make(0, new Float32Array(0));
    this.check('logSoftmax', 'x', rows * cols);
    const lse = this.run(`logSoftmax.lse|${rows}|${cols}`, () => logSumExpRowsKernel(rows, cols), [xd.payload]);
    const out = this.run(`logSoftmax.sub|${rows}|${cols}`, () => subtractRowKernel(rows, cols), [xd.payload, lse]);
    this.device.free(lse);
    return this.make(rows * cols, out);
  }

  // ---- fused batch norm -----------------------------------------------------------------------

  /** Checks p against x. */
  private bnCheck(op: string, x: GpuData, p: BatchNormParams): void {
    const dims = [p.outer, p.channels, p.inner];
    if (dims.some((d) => !Number.isInteger(d) || d < 0) || !(p.eps >= 0)) {
      throw new RangeError(`${op}: invalid params outer ${p.outer}, channels ${p.channels}, inner ${p.inner}, eps ${p.eps}`);
    }
    if (x.size !== p.outer * p.channels * p.inner) {
      throw new RangeError(`${op}: x holds ${x.size} elements, expected [${dims.join(',')}] = ${p.outer * p.channels * p.inner}`);
    }
    if (p.outer * p.inner === 0 && p.channels > 0) throw new RangeError(`${op}: x [${dims.join(',')}] has no values per channel`);
  }

  batchNormStats(x: DataId, p: BatchNormParams): { mean: DataId; variance: DataId } {
    this.live('batchNormStats');
    const xd = this.data('batchNormStats', 'x', x);
    this.bnCheck('batchNormStats', xd, p);
    if (p.channels === 0) return { mean: this.make(0, new Float32Array(0)), variance: this.make(0, new Float32Array(0)) };
    const r = batchNorm.batchNormStats(this.device, xd.payload, p);
    return { mean: this.make(p.channels, r.mean), variance: this.make(p.channels, r.variance) };
  }

  batchNormForward(x: DataId, mean: DataId, variance: DataId, weight: DataId | null, bias: DataId | null, p: BatchNormParams): DataId {
    const op = 'batchNormForward';
    this.live(op);
    const xd = this.data(op, 'x', x);
    this.bnCheck(op, xd, p);
    const [md, vd] = [this.data(op, 'mean', mean, p.channels), this.data(op, 'variance', variance, p.channels)];
    const wd = weight === null ? null : this.data(op, 'weight', weight, p.channels);
    const bd = bias === null ? null : this.data(op, 'bias', bias, p.channels);
    if (xd.size === 0) return this.make(0, new Float32Array(0));
    return this.make(xd.size, batchNorm.batchNormForward(this.device, xd.payload, md.payload, vd.payload, wd?.payload ?? null, bd?.payload ?? null, p));
  }

  batchNormBackward(
    dy: DataId,
    x: DataId,
    mean: DataId,
    variance: DataId,
    weight: DataId | null,
    p: BatchNormParams,
  ): { dx: DataId; dweight: DataId; dbias: DataId } {
    const op = 'batchNormBackward';
    this.live(op);
    const xd = this.data(op, 'x', x);
    this.bnCheck(op, xd, p);
    const dyd = this.data(op, 'dy', dy, xd.size);
    const [md, vd] = [this.data(op, 'mean', mean, p.channels), this.data(op, 'variance', variance, p.channels)];
    const wd = weight === null ? null : this.data(op, 'weight', weight, p.channels);
    if (xd.size === 0) return { dx: this.make(0, new Float32Array(0)), dweight: this.make(0, new Float32Array(0)), dbias: this.make(0, new Float32Array(0)) };
    const r = batchNorm.batchNormBackward(this.device, dyd.payload, xd.payload, md.payload, vd.payload, wd?.payload ?? null, p);
    return { dx: this.make(xd.size, r.dx), dweight: this.make(p.channels, r.dweight), dbias: this.make(p.channels, r.dbias) };
  }

  // ---- in place -------------------------------------------------------------------------------

  sgdUpdate(param: DataId, grad: DataId, velocity: DataId, size: number, p: SgdParams): void {
    this.live('sgdUpdate');
    const pd = this.data('sgdUpdate', 'param', param, size);
    const gd = this.data('sgdUpdate', 'grad', grad, size);
    const vd = this.data('sgdUpdate', 'velocity', velocity, size);
    if (size === 0) return;
    this.winograd.cache.drop(pd);
    this.winograd.cache.drop(vd);
    if (this.device.hostResident) {
      // in place: the new velocity, then the parameter from it (each a copy into the existing buffer)
      const pv = pd.payload as Float32Array;
      const vv = vd.payload as Float32Array;
      this.device.runWith(`sgd.velocity|${size}`, () => sgdVelocityKernel(size), [pv, gd.payload, vv, p.momentum, p.weightDecay], (out) => vv.set(out));
      this.device.runWith(`sgd.param|${size}|${p.nesterov}`, () => sgdParamKernel(size, p.nesterov), [pv, gd.payload, vv, p.lr, p.momentum, p.weightDecay], (out) => pv.set(out));
      return;
    }
    const v = this.run(`sgd.velocity|${size}`, () => sgdVelocityKernel(size), [pd.payload, gd.payload, vd.payload, p.momentum, p.weightDecay]);
    const np = this.run(`sgd.param|${size}|${p.nesterov}`, () => sgdParamKernel(size, p.nesterov), [pd.payload, gd.payload, v, p.lr, p.momentum, p.weightDecay]);
    this.device.free(pd.payload);
    this.device.free(vd.payload);
    pd.payload = np;
    vd.payload = v;
  }

  assign(target: DataId, source: DataId): void {
    this.live('assign');
    const td = this.data('assign', 'target', target);
    const sd = this.data('assign', 'source', source, td.size);
    if (td === sd || td.size === 0) return;
    this.winograd.cache.drop(td);
    const copy = sd.payload instanceof Float32Array ? this.device.alloc(td.size) : this.run(`copy|${td.size}`, () => copyKernel(td.size), [sd.payload]);
    if (copy instanceof Float32Array && sd.payload instanceof Float32Array) copy.set(sd.payload);
    this.device.free(td.payload);
    td.payload = copy;
  }

  /** The Winograd transforms held for filter gradients (entries, bytes, bound). */
  transformCacheStats(): { entries: number; bytes: number; maxBytes: number } {
    return this.winograd.cache.stats();
  }

  destroy(): void {
    if (this.destroyed) return;
    this.winograd.cache.clear();
    for (const d of this.ledger.all()) this.dispose(d);
    this.device.destroy();
    this.destroyed = true;
  }
}
