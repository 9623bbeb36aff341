// Tensor: a handle on float32 values (row-major) in an engine's backend, with a shape and its place on
// the autograd tape. Ops are free functions (ops/*.ts) and, for the common ones, methods here that call them.

import type { Shape } from './backend';
import type { Engine, Storage } from './engine';
import { TensorError, formatShape } from './errors';
import { formatTensor } from './format';
import * as ew from './ops/elementwise';
import * as mm from './ops/matmul';
import * as mv from './ops/movement';
import * as rd from './ops/reduce';
import * as sm from './ops/loss';
import { sizeOf } from './shape';
import { backward, releaseNode, retainGradOf } from './tape';
import type { BackwardOptions, Node } from './tape';

export type TensorLike = Tensor | number;
export type Axes = number | readonly number[];
/** Nested arrays of numbers, as `tolist()` returns them (a number for a scalar). */
export type NestedArray = number | NestedArray[];

export class Tensor {
  /** Accumulated gradient (leaves with requiresGrad, and tensors that called retainGrad()). */
  grad: Tensor | null = null;
  readonly shape: Shape;
  readonly size: number;
  readonly dtype = 'float32' as const;
  private creator: Node | null = null;
  private leafRequiresGrad = false;
  private disposed = false;
  private kept = false;

  /** Use the creation functions (`tensor`, `zeros`, `randn`, ...); this is the engine's internal constructor. */
  constructor(
    readonly engine: Engine,
    /** @internal the shared, reference-counted storage */
    readonly storage: Storage,
    shape: Shape,
    node: Node | null,
    /** A number unique within the engine, for messages. */
    readonly id: number,
  ) {
    // shapes are shared between tensors and attrs, never mutated: freeze in place (no copy)
    this.shape = Object.isFrozen(shape) ? shape : Object.freeze(shape as number[]);
    this.size = sizeOf(shape);
    if (node !== null) this.setNode(node);
  }

  get rank(): number {
    return this.shape.length;
  }
  /** torch's name for rank. */
  get ndim(): number {
    return this.shape.length;
  }

  // ---- autograd ---------------------------------------------------------------------------------

  /** The tape node that made this tensor (null for leaves and tensors made without grad). */
  get node(): Node | null {
    return this.creator;
  }
  /** @internal */
  setNode(node: Node): void {
    this.creator = node;
    node.refs++;
  }
  /** The op that made this tensor on the tape ('mul', 'matmul', ...), or null. */
  get gradFn(): string | null {
    return this.creator?.name ?? null;
  }
  get isLeaf(): boolean {
    return this.creator === null;
  }
  get requiresGrad(): boolean {
    return this.leafRequiresGrad || this.creator !== null;
  }
  set requiresGrad(flag: boolean) {
    this.requiresGrad_(flag);
  }
  /** Marks a leaf as needing a gradient (torch's requires_grad_); returns this. */
  requiresGrad_(flag = true): this {
    if (this.creator !== null) {
      throw new TensorError('requiresGrad', `${formatShape(this.shape)}: only leaves can change requiresGrad (use detach() first)`);
    }
    this.leafRequiresGrad = flag;
    return this;
  }
  /** Asks backward to store this non-leaf's gradient in `.grad` too (torch's retain_grad). */
  retainGrad(): this {
    this.assertAlive('retainGrad');
    if (this.creator !== null) retainGradOf(this);
    return this;
  }
  /** Backpropagates from this tensor: a scalar, or any shape with a seed gradient of that shape. */
  backward(seed?: Tensor | null, options?: BackwardOptions): void {
    backward(this, seed ?? null, options);
  }
  /** Disposes `.grad` and sets it to null (torch's zero_grad(set_to_none=True)). */
  zeroGrad(): void {
    if (this.grad !== null) this.grad.dispose();
    this.grad = null;
  }
  /** A new handle on the same values, cut from the tape. */
  detach(): Tensor {
    this.assertAlive('detach');
    return this.engine.wrap(this.storage, this.shape);
  }

  // ---- lifetime ---------------------------------------------------------------------------------

  get isDisposed(): boolean {
    return this.disposed;
  }
  get isKept(): boolean {
    return this.kept;
  }
  /** Frees this handle (and its `.grad`); the storage goes when no handle or tape node holds it. Idempotent. */
  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.engine.handleDisposed();
    this.storage.release();
    if (this.grad !== null) {
      this.grad.dispose();
      this.grad = null;
    }
    const node = this.creator;
    if (node !== null) {
      this.creator = null;
      releaseNode(node);
    }
  }
  /** Exempts this tensor from every tidy scope (it lives until dispose()); returns it. */
  keep(): this {
    this.kept = true;
    return this;
  }
  /** @internal throws a clear error on use after dispose. */
  assertAlive(op: string): void {
    if (this.disposed) {
      throw new TensorError(op, `tensor #${this.id} ${formatShape(this.shape)} was disposed (use after dispose)`);
    }
    if (this.engine.isDestroyed) throw new TensorError(op, `tensor #${this.id}: its engine was destroyed`);
  }

  // ---- values -----------------------------------------------------------------------------------

  /** The values (float32, row-major), read synchronously; throws on async-only backends (use data()). */
  dataSync(): Float32Array {
    const v = this.readSync('dataSync');
    return v instanceof Float32Array ? v : Float32Array.from(v);
  }
  private readSync(op: string): Float32Array | Float64Array {
    this.assertAlive(op);
    try {
      return this.engine.backend.read(this.storage.id);
    } catch (err) {
      const b = this.engine.backend;
      throw new TensorError(
        op,
        `${formatShape(this.shape)}: the ${b.name} backend (${b.mode}) cannot read synchronously (${(err as Error).message}); use await t.data()`,
      );
    }
  }
  /** The values (float32, row-major); works on every backend. */
  async data(): Promise<Float32Array> {
    this.assertAlive('data');
    const v = await this.engine.backend.readAsync(this.storage.id);
    return v instanceof Float32Array ? v : Float32Array.from(v);
  }
  /** The values at the backend's own precision, widened to float64 (exact on the float64 reference backend). */
  dataSync64(): Float64Array {
    const v = this.readSync('dataSync64');
    return v instanceof Float64Array ? v : Float64Array.from(v);
  }
  /** The async form of dataSync64(). */
  async data64(): Promise<Float64Array> {
    this.assertAlive('data64');
    const v = await this.engine.backend.readAsync(this.storage.id);
    return v instanceof Float64Array ? v : Float64Array.from(v);
  }
  /** The single value of a one-element tensor (synchronous read). */
  item(): number {
    if (this.size !== 1) throw new TensorError('item', `${formatShape(this.shape)}: only one-element tensors convert to a number`);
    return this.dataSync()[0];
  }
  /** Nested arrays of the values (a number for a scalar), read synchronously. */
  tolist(): NestedArray {
    const values = this.dataSync();
    const build = (dim: number, offset: number): NestedArray => {
      if (dim === this.shape.length) return values[offset];
      const stride = sizeOf(this.shape.slice(dim + 1));
      return Array.from({ length: this.shape[dim] }, (_, i) => build(dim + 1, offset + i * stride));
    };
    return build(0, 0);
  }
  toString(): string {
    return formatTensor(this);
  }
  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return formatTensor(this);
  }

  // ---- ops as methods (see the free functions for documentation) ----------------------------------

  add(b: TensorLike): Tensor { return ew.add(this, b); }
  sub(b: TensorLike): Tensor { return ew.sub(this, b); }
  mul(b: TensorLike): Tensor { return ew.mul(this, b); }
  div(b: TensorLike): Tensor { return ew.div(this, b); }
  pow(b: TensorLike): Tensor { return ew.pow(this, b); }
  maximum(b: TensorLike): Tensor { return ew.maximum(this, b); }
  minimum(b: TensorLike): Tensor { return ew.minimum(this, b); }
  clamp(min?: number | null, max?: number | null): Tensor { return ew.clamp(this, min, max); }
  eq(b: TensorLike): Tensor { return ew.eq(this, b); }
  ne(b: TensorLike): Tensor { return ew.ne(this, b); }
  lt(b: TensorLike): Tensor { return ew.lt(this, b); }
  le(b: TensorLike): Tensor { return ew.le(this, b); }
  gt(b: TensorLike): Tensor { return ew.gt(this, b); }
  ge(b: TensorLike): Tensor { return ew.ge(this, b); }
  neg(): Tensor { return ew.neg(this); }
  exp(): Tensor { return ew.exp(this); }
  log(): Tensor { return ew.log(this); }
  sqrt(): Tensor { return ew.sqrt(this); }
  rsqrt(): Tensor { return ew.rsqrt(this); }
  abs(): Tensor { return ew.abs(this); }
  sign(): Tensor { return ew.sign(this); }
  square(): Tensor { return ew.square(this); }
  reciprocal(): Tensor { return ew.reciprocal(this); }
  relu(): Tensor { return ew.relu(this); }
  sigmoid(): Tensor { return ew.sigmoid(this); }
  tanh(): Tensor { return ew.tanh(this); }
  clone(): Tensor { return ew.clone(this); }

  sum(axes?: Axes | null, keepdim = false): Tensor { return rd.sum(this, axes, keepdim); }
  mean(axes?: Axes | null, keepdim = false): Tensor { return rd.mean(this, axes, keepdim); }
  max(axes?: Axes | null, keepdim = false): Tensor { return rd.max(this, axes, keepdim); }
  min(axes?: Axes | null, keepdim = false): Tensor { return rd.min(this, axes, keepdim); }
  var(axes?: Axes | null, options?: rd.VarOptions): Tensor { return rd.variance(this, axes, options); }
  std(axes?: Axes | null, options?: rd.VarOptions): Tensor { return rd.std(this, axes, options); }
  logsumexp(axes?: Axes | null, keepdim = false): Tensor { return rd.logsumexp(this, axes, keepdim); }
  argmax(axis?: number, keepdim = false): Tensor { return rd.argmax(this, axis, keepdim); }
  sumTo(shape: Shape): Tensor { return rd.sumTo(this, shape); }

  reshape(shape: readonly number[]): Tensor { return mv.reshape(this, shape); }
  flatten(startDim = 0, endDim = -1): Tensor { return mv.flatten(this, startDim, endDim); }
  squeeze(axes?: Axes): Tensor { return mv.squeeze(this, axes); }
  unsqueeze(axis: number): Tensor { return mv.unsqueeze(this, axis); }
  permute(perm: readonly number[]): Tensor { return mv.permute(this, perm); }
  transpose(dim0: number, dim1: number): Tensor { return mv.transpose(this, dim0, dim1); }
  /** Transpose of a matrix (rank <= 2), torch's t(). */
  t(): Tensor { return mv.t(this); }
  expand(shape: readonly number[]): Tensor { return mv.expand(this, shape); }
  slice(begin: readonly number[], size?: readonly number[]): Tensor { return mv.slice(this, begin, size); }
  narrow(dim: number, start: number, length: number): Tensor { return mv.narrow(this, dim, start, length); }
  pad(pads: mv.Pads, value = 0): Tensor { return mv.pad(this, pads, value); }

  matmul(b: Tensor, options?: mm.MatmulOptions): Tensor { return mm.matmul(this, b, options); }
  logSoftmax(axis = -1): Tensor { return sm.logSoftmax(this, axis); }
  softmax(axis = -1): Tensor { return sm.softmax(this, axis); }
}
