// The gpu.js execution engine: the Backend table of @skipinit/tensor. Each primitive is a row of the op
// table (ops.ts), run the same way by `run`: op -> plan of declared kernels (planners) -> executor.

import type { Backend, BackendMemory, BatchNormParams, BinaryOp, Conv2dParams, DataId, MatmulParams, Pool2dParams, ReduceOp, SgdParams, Shape, UnaryOp } from '@skipinit/tensor';
import type { Executor, Payload } from './executor';
import type { KernelCacheStats } from './kernel-cache';
import { FLOAT_EXACT, MAX_HOST_ELEMENTS, MAX_INDEXABLE, checkIndexable } from './kernel-source';
import { workspaceSize } from './conv-plan';
import { describeSelection, type ModeSelection } from './modes';
import * as ops from './ops';
import { runPlan, type ConvAlgorithm, type PlanOptions } from './plan';
import { GpuData, MemoryLedger, storageOf } from './storage';

/** Which kernel shapes the heavy ops use. */
export type KernelStyle = 'blocked' | 'scalar';

/** See GpuJsBackendOptions (create.ts); `kernels: 'blocked'` applies on host executors only. */
export interface GpuJsBackendConfig {
  readonly selection: ModeSelection;
  readonly executor: Executor;
  readonly kernels: KernelStyle;
  readonly convAlgorithm: ConvAlgorithm;
  readonly workspaceBytes: number;
  readonly indexLimit?: number | undefined; // for tests: where float32 index math stops being exact, and
  readonly convChunkElements?: number | undefined; // a convolution chunk's budget (both 2^24 by default)
}

export class GpuJsBackend implements Backend {
  readonly name = 'gpujs';
  readonly precision = 'float32' as const;
  readonly selection: ModeSelection;
  readonly kernelStyle: KernelStyle;
  readonly convAlgorithm: ConvAlgorithm;
  /** Elements one tensor may hold: 2^28 - 1 on host executors (i32 indices), 2^24 - 1 in GPU modes. */
  readonly maxElements: number;
  private readonly ex: Executor;
  private readonly options: PlanOptions;
  private readonly ledger = new MemoryLedger();
  private destroyed = false;

  constructor(private readonly config: GpuJsBackendConfig) {
    [this.selection, this.ex, this.convAlgorithm] = [config.selection, config.executor, config.convAlgorithm];
    const host = this.ex.host;
    this.kernelStyle = host ? config.kernels : 'scalar';
    this.maxElements = host ? MAX_HOST_ELEMENTS : MAX_INDEXABLE;
    const { convAlgorithm: algorithm, indexLimit = FLOAT_EXACT, convChunkElements: chunkElements = FLOAT_EXACT } = config;
    const blocked = this.kernelStyle === 'blocked';
    this.options = { host, blocked, wide: blocked && (this.ex.maxComponents ?? 4) >= 16, algorithm, chunkElements, maxElements: this.maxElements, indexLimit };
  }

  get mode(): string {
    return this.selection.mode;
  }

  /** Threads the heavy kernels run on (the calling thread included). */
  get threads(): number {
    return this.ex.threads;
  }

  kernelCacheStats = (): KernelCacheStats => this.ex.cacheStats();
  memory = (): BackendMemory => this.ledger.memory();

  /** One line: the mode that runs, why better ones were skipped, and the kernel style. */
  describe(): string {
    const threads = this.ex.threads > 1 ? ` split across ${this.ex.threads} threads` : this.ex.host ? ' on 1 thread' : '';
    return `${describeSelection(this.selection)}; ${this.kernelStyle} matmul/conv kernels${threads}`;
  }

  // ---- the op table's runner --------------------------------------------------------------------

  private data = (op: string, what: string, id: DataId, holds?: number | Shape): GpuData => storageOf(this, op, what, id, holds);

  /** Checks, looks up the inputs, and runs the op's plan; returns its output payloads (and their sizes). */
  private run<P>(op: ops.OpDecl<P>, p: P, ids: readonly (DataId | null)[]): { payloads: Payload[]; sizes: readonly number[] } {
    const name = typeof op.name === 'string' ? op.name : op.name(p);
    this.live(name);
    op.check?.(p, name);
    const names = typeof op.inputs === 'function' ? op.inputs(p) : op.inputs;
    const holds = op.holds(p, this.options);
    const inputs: (Payload | null)[] = [];
    for (let i = 0; i < ids.length; i++) inputs.push(ids[i] === null ? null : this.data(name, names[i]!, ids[i]!, holds[i]).payload);
    const sizes = op.outputs(p, this.options);
    for (const s of sizes) checkIndexable(name, 'the result', s, this.maxElements);
    if (sizes.length > 0 && sizes.every((s) => s === 0)) return { payloads: sizes.map(() => new Float32Array(0)), sizes };
    return { payloads: runPlan(this.ex, op.plan(p, this.options), names, inputs), sizes };
  }

  /** `run`, its outputs as this backend's storage (`workspace`: the output at that index is one). */
  private exec<P>(op: ops.OpDecl<P>, p: P, ids: readonly (DataId | null)[], workspace = -1): GpuData[] {
    const { payloads, sizes } = this.run(op, p, ids);
    return payloads.map((payload, i) => this.ledger.add(new GpuData(this, sizes[i]!, payload, i === workspace)));
  }

  // ---- storage ----------------------------------------------------------------------------------

  upload(values: ArrayLike<number>): DataId {
    this.live('upload');
    checkIndexable('upload', 'the values', values.length, this.maxElements);
    return this.ledger.add(new GpuData(this, values.length, this.ex.upload(values)));
  }

  fill(size: number, value: number): DataId {
    this.live('fill');
    if (!Number.isInteger(size) || size < 0) throw new RangeError(`fill: size must be a non-negative integer, got ${size}`);
    checkIndexable('fill', 'the result', size, this.maxElements);
    return this.ledger.add(new GpuData(this, size, this.ex.fill(size, value)));
  }

  read(id: DataId): Float32Array {
    this.live('read');
    const d = this.data('read', 'x', id);
    if (!this.ex.syncRead) throw new Error(`read: mode '${this.mode}' reads only asynchronously; use readAsync`);
    return this.ex.read(d.payload, d.size) as Float32Array;
  }

  async readAsync(id: DataId): Promise<Float32Array> {
    this.live('readAsync');
    return this.ex.read(this.data('readAsync', 'x', id).payload, (id as GpuData).size);
  }

  dispose(id: DataId): void {
    if (!(id instanceof GpuData) || id.owner !== this || id.disposed) return;
    id.disposed = true;
    if (this.ledger.remove(id)) this.ex.free(id.payload);
    id.payload = new Float32Array(0);
  }

  private live(op: string): void {
    if (this.destroyed) throw new Error(`${op}: this gpujs backend was destroyed`);
  }

  // ---- the primitives: one row of the op table each ----------------------------------------------

  unary = (op: UnaryOp, x: DataId, size: number): DataId => this.exec(ops.UNARY_OP, { op, size }, [x])[0]!;
  reluBackward = (dy: DataId, y: DataId, size: number): DataId => this.exec(ops.RELU_BACKWARD_OP, { size }, [dy, y])[0]!;
  binary = (op: BinaryOp, a: DataId, aShape: Shape, b: DataId, bShape: Shape, outShape: Shape): DataId =>
    this.exec(ops.BINARY_OP, { op, a: aShape, b: bShape, out: outShape }, [a, b])[0]!;
  where = (cond: DataId, condShape: Shape, a: DataId, aShape: Shape, b: DataId, bShape: Shape, outShape: Shape): DataId =>
    this.exec(ops.WHERE_OP, { cond: condShape, a: aShape, b: bShape, out: outShape }, [cond, a, b])[0]!;
  affine = (x: DataId, size: number, scale: number, shift: number): DataId => this.exec(ops.AFFINE_OP, { size, scale, shift }, [x])[0]!;
  reduce = (op: ReduceOp, x: DataId, shape: Shape, axes: readonly number[]): DataId => this.exec(ops.REDUCE_OP, { op, shape, axes }, [x])[0]!;
  argmax = (x: DataId, shape: Shape, axis: number): DataId => this.exec(ops.ARGMAX_OP, { shape, axis }, [x])[0]!;
  permute = (x: DataId, shape: Shape, perm: readonly number[]): DataId => this.exec(ops.PERMUTE_OP, { shape, perm }, [x])[0]!;
  broadcastTo = (x: DataId, shape: Shape, outShape: Shape): DataId => this.exec(ops.BROADCAST_TO_OP, { shape, out: outShape }, [x])[0]!;
  slice = (x: DataId, shape: Shape, begin: readonly number[], size: readonly number[]): DataId => this.exec(ops.SLICE_OP, { shape, begin, size }, [x])[0]!;
  pad = (x: DataId, shape: Shape, pads: readonly (readonly [number, number])[], value: number): DataId => this.exec(ops.PAD_OP, { shape, pads, value }, [x])[0]!;
  concat = (xs: readonly DataId[], shapes: readonly Shape[], axis: number): DataId => this.exec(ops.CONCAT_OP, { shapes, axis, count: xs.length }, xs)[0]!;
  matmul = (a: DataId, b: DataId, p: MatmulParams): DataId => this.exec(ops.MATMUL_OP, p, [a, b])[0]!;
  conv2d = (x: DataId, w: DataId, p: Conv2dParams, bias: DataId | null = null): DataId => this.exec(ops.CONV2D_OP, { conv: p, bias: bias !== null }, [x, w, bias])[0]!;
  conv2dBackpropInput = (dy: DataId, w: DataId, p: Conv2dParams): DataId => this.exec(ops.CONV_INPUT_OP, { conv: p }, [dy, w])[0]!;
  conv2dBackpropFilter = (x: DataId, dy: DataId, p: Conv2dParams, workspace: DataId | null = null): DataId =>
    this.exec(ops.CONV_FILTER_OP, { conv: p, workspace: workspace !== null }, [x, dy, workspace])[0]!;
  pool2d = (x: DataId, p: Pool2dParams): DataId => this.exec(ops.POOL2D_OP, p, [x])[0]!;
  pool2dBackward = (dy: DataId, x: DataId, p: Pool2dParams): DataId => this.exec(ops.POOL2D_BACKWARD_OP, p, [dy, x])[0]!;
  logSoftmax = (x: DataId, rows: number, cols: number): DataId => this.exec(ops.LOG_SOFTMAX_OP, { rows, cols }, [x])[0]!;

  /** conv2d that also keeps its Winograd input transform for the filter gradient (within the workspace bound). */
  conv2dTraining(x: DataId, w: DataId, p: Conv2dParams, bias: DataId | null = null): { y: DataId; workspace: DataId | null } {
    const size = workspaceSize(p, this.options);
    const keep = size > 0 && this.ledger.workspaceBytes + size * 4 <= this.config.workspaceBytes;
    const [y, workspace] = this.exec(ops.CONV2D_OP, { conv: p, bias: bias !== null, keep }, [x, w, bias], 1);
    return { y: y!, workspace: workspace ?? null };
  }

  batchNormStats(x: DataId, p: BatchNormParams): { mean: DataId; variance: DataId } {
    const [mean, variance] = this.exec(ops.BN_STATS_OP, { bn: p }, [x]) as [GpuData, GpuData];
    return { mean, variance };
  }

  batchNormForward = (x: DataId, mean: DataId, variance: DataId, weight: DataId | null, bias: DataId | null, p: BatchNormParams): DataId =>
    this.exec(ops.BN_FORWARD_OP, { bn: p, weight: weight !== null, bias: bias !== null }, [x, mean, variance, weight, bias])[0]!;

  batchNormBackward(dy: DataId, x: DataId, mean: DataId, variance: DataId, weight: DataId | null, p: BatchNormParams): { dx: DataId; dweight: DataId; dbias: DataId } {
    const [dx, dweight, dbias] = this.exec(ops.BN_BACKWARD_OP, { bn: p, weight: weight !== null }, [dy, x, mean, variance, weight]) as [GpuData, GpuData, GpuData];
    return { dx, dweight, dbias };
  }

  /** In place (optimiser state): the velocity, then the parameter. */
  sgdUpdate(param: DataId, grad: DataId, velocity: DataId, size: number, p: SgdParams): void {
    const [np, nv] = this.run(ops.SGD_OP, { lr: p.lr, momentum: p.momentum, weightDecay: p.weightDecay, nesterov: p.nesterov, size }, [param, grad, velocity]).payloads;
    [(param as GpuData).payload, (velocity as GpuData).payload] = [np!, nv!];
  }

  assign(target: DataId, source: DataId): void {
    this.live('assign');
    const td = this.data('assign', 'target', target);
    const sd = this.data('assign', 'source', source, td.size);
    if (td === sd || td.size === 0) return;
    const copy = this.ex.copy(sd.payload, td.size);
    this.ex.free(td.payload);
    td.payload = copy;
  }

  destroy(): void {
    if (this.destroyed) return;
    for (const d of this.ledger.all()) this.dispose(d);
    this.ex.destroy();
    this.destroyed = true;
  }
}
