// The Backend interface: the table of primitive kernels every execution engine provides.
//
// A backend owns storage (opaque `DataId`s) and runs primitives on it. It knows nothing of autograd,
// tensors or scopes: `Tensor` (tensor.ts) keeps shapes, the tape and lifetimes, and calls these
// primitives. Every primitive takes its inputs' shapes explicitly and returns a NEW DataId (inputs are
// never mutated, except by the explicitly in-place methods at the end). Shapes are row-major, the
// last axis fastest.
//
// Two backends implement this table: the float64 plain-loop `ReferenceBackend` in this package (the
// oracle for tests) and the gpu.js engine in @skipinit/backend-gpujs. The conformance suite runs the
// same op tests on both.

/** Opaque storage owned by a backend. Only the backend that made it may look inside. */
export interface DataId {
  /** Number of elements stored. */
  readonly size: number;
}

export type Shape = readonly number[];

export type UnaryOp =
  | 'neg'
  | 'exp'
  | 'log'
  | 'sqrt'
  | 'rsqrt'
  | 'abs'
  | 'sign'
  | 'square'
  | 'reciprocal'
  | 'relu'
  | 'sigmoid'
  | 'tanh';

export type BinaryOp =
  | 'add'
  | 'sub'
  | 'mul'
  | 'div'
  | 'pow'
  | 'maximum'
  | 'minimum'
  // comparisons produce 1 or 0
  | 'eq'
  | 'ne'
  | 'lt'
  | 'le'
  | 'gt'
  | 'ge';

export type ReduceOp = 'sum' | 'max' | 'min';

/** NCHW input, OIHW weight; groups = 1. */
export interface Conv2dParams {
  /** [N, C, H, W] */
  readonly xShape: Shape;
  /** [O, C, KH, KW] */
  readonly wShape: Shape;
  readonly strideH: number;
  readonly strideW: number;
  readonly padTop: number;
  readonly padBottom: number;
  readonly padLeft: number;
  readonly padRight: number;
  /** [N, O, OH, OW] */
  readonly outShape: Shape;
}

export interface Pool2dParams {
  readonly kind: 'avg' | 'max';
  /** [N, C, H, W] */
  readonly xShape: Shape;
  readonly kernelH: number;
  readonly kernelW: number;
  readonly strideH: number;
  readonly strideW: number;
  readonly padTop: number;
  readonly padBottom: number;
  readonly padLeft: number;
  readonly padRight: number;
  /** [N, C, OH, OW] */
  readonly outShape: Shape;
  /**
   * avg only: divide by the number of in-bounds cells (false, PyTorch's count_include_pad=False) or by
   * kernelH*kernelW (true).
   */
  readonly countIncludePad: boolean;
}

export interface MatmulParams {
  /** Batch count of the output; a and b either have `batch` matrices or exactly 1 (broadcast). */
  readonly batch: number;
  readonly batchA: number;
  readonly batchB: number;
  /** Output is [batch, m, n]. */
  readonly m: number;
  readonly k: number;
  readonly n: number;
  /** a is stored [batchA, k, m] instead of [batchA, m, k]. */
  readonly transA: boolean;
  /** b is stored [batchB, n, k] instead of [batchB, k, n]. */
  readonly transB: boolean;
}

/** Momentum SGD, PyTorch's formulation (dampening 0): v = mu*v + g (+ wd*p); p -= lr*(nesterov ? g + mu*v : v). */
export interface SgdParams {
  readonly lr: number;
  readonly momentum: number;
  readonly weightDecay: number;
  readonly nesterov: boolean;
}

/**
 * Batch norm over x viewed as [outer, channels, inner], one channel per middle index: NCHW is
 * [N, C, H*W], a [N, C] batch is [N, C, 1]. Statistics are per channel, over outer and inner.
 */
export interface BatchNormParams {
  readonly outer: number;
  readonly channels: number;
  readonly inner: number;
  /** Added to the variance before the square root. */
  readonly eps: number;
}

export interface BackendMemory {
  /** Live DataIds held by this backend. */
  readonly numDataIds: number;
  /** Bytes of their storage (as the backend stores them: 8 per element for float64). */
  readonly numBytes: number;
}

export interface Backend {
  /** 'reference' or 'gpujs'. */
  readonly name: string;
  /** The execution mode that actually runs ('reference', 'webasm', 'cpu', 'headlessgl', 'webgpu'). */
  readonly mode: string;
  /** Arithmetic precision of this backend's storage and kernels. */
  readonly precision: 'float32' | 'float64';

  // ---- storage --------------------------------------------------------------------------------
  /** Copies `values` into new storage. */
  upload(values: ArrayLike<number>): DataId;
  /** A new DataId of `size` elements all equal to `value`. */
  fill(size: number, value: number): DataId;
  /** The values, as a fresh array the caller owns. Throws on backends that can only read asynchronously. */
  read(id: DataId): Float32Array | Float64Array;
  /** The values, asynchronously (works on every backend). */
  readAsync(id: DataId): Promise<Float32Array | Float64Array>;
  /** Frees the storage. Disposing twice is a no-op. */
  dispose(id: DataId): void;
  memory(): BackendMemory;

  // ---- elementwise ----------------------------------------------------------------------------
  unary(op: UnaryOp, x: DataId, size: number): DataId;
  /** relu's gradient from its output y: dy where y > 0, else 0 (torch's threshold_backward; NaN y passes dy). */
  reluBackward(dy: DataId, y: DataId, size: number): DataId;
  /** Numpy broadcasting: aShape and bShape broadcast to outShape (already computed by the caller). */
  binary(op: BinaryOp, a: DataId, aShape: Shape, b: DataId, bShape: Shape, outShape: Shape): DataId;
  /** out = cond != 0 ? a : b, all three broadcast to outShape. */
  where(cond: DataId, condShape: Shape, a: DataId, aShape: Shape, b: DataId, bShape: Shape, outShape: Shape): DataId;
  /** x * scale + shift, scalars (the affine map ops compose from: mean, scaling, x - c). */
  affine(x: DataId, size: number, scale: number, shift: number): DataId;

  // ---- reductions -----------------------------------------------------------------------------
  /** Reduces over `axes` (sorted, unique, in range); the output shape drops those axes. */
  reduce(op: ReduceOp, x: DataId, shape: Shape, axes: readonly number[]): DataId;
  /** Index (as a float) of the largest value along `axis` (first one on ties); the axis is dropped. */
  argmax(x: DataId, shape: Shape, axis: number): DataId;

  // ---- movement -------------------------------------------------------------------------------
  /** out[i_perm[0], ..., i_perm[r-1]] = x[i_0, ..., i_{r-1}]; out shape is shape permuted by perm. */
  permute(x: DataId, shape: Shape, perm: readonly number[]): DataId;
  /** Materialises a broadcast (numpy rules; shape may have fewer dims than outShape). */
  broadcastTo(x: DataId, shape: Shape, outShape: Shape): DataId;
  /** out = x[begin[0]:begin[0]+size[0], ...]. */
  slice(x: DataId, shape: Shape, begin: readonly number[], size: readonly number[]): DataId;
  /** pads[d] = [before, after], both >= 0; new cells get `value`. */
  pad(x: DataId, shape: Shape, pads: readonly (readonly [number, number])[], value: number): DataId;
  /** Concatenation along `axis`; every other dimension equal. */
  concat(xs: readonly DataId[], shapes: readonly Shape[], axis: number): DataId;

  // ---- linear algebra and convolution ---------------------------------------------------------
  matmul(a: DataId, b: DataId, p: MatmulParams): DataId;
  /**
   * Cross-correlation (as every DL framework calls convolution); `bias` [O], when given, is added to
   * every output channel (in the same pass where the backend can).
   */
  conv2d(x: DataId, w: DataId, p: Conv2dParams, bias?: DataId | null): DataId;
  /**
   * conv2d in a training step whose filter gradient will follow: also returns a workspace for
   * conv2dBackpropFilter of the same x and p (the backend's choice, e.g. a Winograd input transform),
   * or null. The conv op saves it for backward like any saved tensor and hands it back; a backend
   * never keys such state by storage identity.
   */
  conv2dTraining(x: DataId, w: DataId, p: Conv2dParams, bias?: DataId | null): { y: DataId; workspace: DataId | null };
  /** d(loss)/dx from dy [N, O, OH, OW] and w. */
  conv2dBackpropInput(dy: DataId, w: DataId, p: Conv2dParams): DataId;
  /** d(loss)/dw from x and dy (and the workspace conv2dTraining returned for this x and p, if any). */
  conv2dBackpropFilter(x: DataId, dy: DataId, p: Conv2dParams, workspace?: DataId | null): DataId;
  pool2d(x: DataId, p: Pool2dParams): DataId;
  /** d(loss)/dx of pool2d; max pooling routes dy to the first maximum of each window (needs x). */
  pool2dBackward(dy: DataId, x: DataId, p: Pool2dParams): DataId;

  // ---- fused ----------------------------------------------------------------------------------
  /** Numerically stable log-softmax along the last axis of a [rows, cols] matrix. */
  logSoftmax(x: DataId, rows: number, cols: number): DataId;

  /** Per-channel mean and biased (population) variance of x ([channels] each). */
  batchNormStats(x: DataId, p: BatchNormParams): { mean: DataId; variance: DataId };
  /**
   * y = (x - mean[c]) / sqrt(variance[c] + eps) * weight[c] + bias[c] over x [outer, channels, inner];
   * mean, variance, weight and bias hold one value per channel; a null weight is 1, a null bias 0.
   */
  batchNormForward(x: DataId, mean: DataId, variance: DataId, weight: DataId | null, bias: DataId | null, p: BatchNormParams): DataId;
  /**
   * Training-mode gradients of y = batchNormForward(x, mean, variance, weight, bias) where mean and
   * variance are batchNormStats(x) (so dx includes their dependence on x): with xhat = (x - mean)
   * invstd and M = outer * inner values per channel,
   *   dbias[c] = sum(dy), dweight[c] = sum(dy xhat),
   *   dx = weight invstd (dy - dbias[c] / M - xhat dweight[c] / M).
   */
  batchNormBackward(
    dy: DataId,
    x: DataId,
    mean: DataId,
    variance: DataId,
    weight: DataId | null,
    p: BatchNormParams,
  ): { dx: DataId; dweight: DataId; dbias: DataId };

  // ---- in place (optimiser state; the only primitives that mutate) ------------------------------
  /** One momentum-SGD step for one parameter: updates `param` and `velocity` in place from `grad`. */
  sgdUpdate(param: DataId, grad: DataId, velocity: DataId, size: number, p: SgdParams): void;
  /** Overwrites `target`'s values with `source`'s (same size). */
  assign(target: DataId, source: DataId): void;

  /** Releases everything (kernels, worker pools, contexts). The backend is unusable afterwards. */
  destroy(): void;
}
