// The op table: one declaration per Backend primitive (tfjs-core's kernel registry, tinygrad's backend
// as a table). Each names its inputs, states what they hold, checks its parameters, gives its outputs'
// sizes and plans its kernel steps; GpuJsBackend.exec does the rest the same way for every op (storage
// lookups, liveness, the size limit, empty results, running the plan on the executor).

import type { BatchNormParams, BinaryOp, Conv2dParams, MatmulParams, Pool2dParams, ReduceOp, SgdParams, Shape, UnaryOp } from '@skipinit/tensor';
import { planBatchNormBackward, planBatchNormForward, planBatchNormStats } from './batch-norm-plan';
import { planConv2d, planConvFilter, planConvInput, workspaceSize } from './conv-plan';
import type { Kernel } from './kernel';
import { product } from './kernel-source';
import { AFFINE, BINARY, BROADCAST_TO, RELU_BACKWARD, UNARY, WHERE } from './kernels/elementwise';
import { DEINTERLEAVE, MATMUL_BLOCKED, MATMUL_PACK_A, MATMUL_SCALAR, MATMUL_WIDE, WIDE_ROWS } from './kernels/matmul';
import { CONCAT2, PAD, PERMUTE, SLICE } from './kernels/movement';
import { POOL2D, POOL2D_BACKWARD } from './kernels/pool';
import { ARGMAX, LOG_SUM_EXP_ROWS, REDUCE, SUBTRACT_ROW } from './kernels/reduce';
import { COPY, SGD_PARAM, SGD_VELOCITY } from './kernels/sgd';
import { run, runPost, type Arg, type Plan, type PlanOptions, type Step } from './plan';
import { checkAxes, checkAxis, checkBroadcast, checkConv, checkMatmul, checkPermutation, checkPool, checkShape, fmt } from './validate';

export interface OpDecl<P> {
  /** The op as errors name it. */
  readonly name: string | ((p: P) => string);
  /** Input names, in the Backend method's order (a null input is absent: no bias). */
  readonly inputs: readonly string[] | ((p: P) => readonly string[]);
  /** What each input holds: a count, or a shape (checked, and its count). */
  readonly holds: (p: P, o: PlanOptions) => readonly (number | Shape | undefined)[];
  /** Checks of the parameters, before the inputs are looked up: a RangeError naming the op and the shapes. */
  readonly check?: (p: P, name: string) => void;
  /** Elements of each output (none: the op updates inputs in place). */
  readonly outputs: (p: P, o: PlanOptions) => readonly number[];
  readonly plan: (p: P, o: PlanOptions) => Plan;
}

const op = <P>(decl: OpDecl<P>): OpDecl<P> => decl;
/** One kernel step on the inputs, its result the op's output. */
const single = <K>(kernel: Kernel<K>, params: K, args: readonly Arg[]): Plan => ({ steps: [run(kernel, params, args, 'out')], out: ['out'] });
const filled = (value: number, size: number): Plan => ({ steps: [{ fill: value, size, out: 'out' }], out: ['out'] });
const broadcasts = (name: string, shapes: readonly Shape[], out: Shape) => {
  checkShape(name, 'out', out);
  for (const s of shapes) checkBroadcast(name, s, out);
};
const kept = (shape: Shape, drop: (k: number) => boolean) => product(shape.filter((_, k) => !drop(k)));

// ---- elementwise ------------------------------------------------------------------------------------
export const UNARY_OP = op({ name: (p: { op: UnaryOp; size: number }) => `unary(${p.op})`, inputs: ['x'], holds: (p) => [p.size], outputs: (p) => [p.size], plan: (p) => single(UNARY, p, ['x']) });
export const RELU_BACKWARD_OP = op({ name: 'reluBackward', inputs: ['dy', 'y'], holds: (p: { size: number }) => [p.size, p.size], outputs: (p) => [p.size], plan: (p) => single(RELU_BACKWARD, p, ['dy', 'y']) });
export const BINARY_OP = op({
  name: (p: { op: BinaryOp; a: Shape; b: Shape; out: Shape }) => `binary(${p.op})`, inputs: ['a', 'b'], holds: (p) => [p.a, p.b], check: (p, name) => broadcasts(name, [p.a, p.b], p.out),
  outputs: (p) => [product(p.out)], plan: (p, o) => single(BINARY, { op: p.op, a: p.a, b: p.b, out: p.out, limit: o.indexLimit }, ['a', 'b']),
});
export const WHERE_OP = op({
  name: 'where', inputs: ['cond', 'a', 'b'], holds: (p: { cond: Shape; a: Shape; b: Shape; out: Shape }) => [p.cond, p.a, p.b], check: (p, name) => broadcasts(name, [p.cond, p.a, p.b], p.out),
  outputs: (p) => [product(p.out)], plan: (p, o) => single(WHERE, { cond: p.cond, a: p.a, b: p.b, out: p.out, limit: o.indexLimit }, ['cond', 'a', 'b']),
});
export const AFFINE_OP = op({
  name: 'affine', inputs: ['x'], holds: (p: { size: number; scale: number; shift: number }) => [p.size], outputs: (p) => [p.size], plan: (p) => single(AFFINE, { size: p.size }, ['x', p.scale, p.shift]),
});

// ---- reductions -------------------------------------------------------------------------------------
const reduced = (p: { shape: Shape; axes: readonly number[] }) => kept(p.shape, (k) => p.axes.includes(k));
export const REDUCE_OP = op({
  name: (p: { op: ReduceOp; shape: Shape; axes: readonly number[] }) => `reduce(${p.op})`, inputs: ['x'], holds: (p) => [p.shape], outputs: (p) => [reduced(p)],
  check: (p, name) => {
    checkAxes(name, p.axes, p.shape.length);
    if (product(p.shape) === 0 && reduced(p) > 0 && p.op !== 'sum') throw new RangeError(`${name}: cannot reduce an empty axis of shape ${fmt(p.shape)}`);
  },
  plan: (p, o) => (product(p.shape) === 0 ? filled(0, reduced(p)) : single(REDUCE, { op: p.op, shape: p.shape, axes: p.axes, limit: o.indexLimit }, ['x'])),
});
export const ARGMAX_OP = op({
  name: 'argmax', inputs: ['x'], holds: (p: { shape: Shape; axis: number }) => [p.shape], outputs: (p) => [kept(p.shape, (k) => k === p.axis)],
  check: (p, name) => {
    checkAxis(name, p.axis, p.shape.length);
    if (p.shape[p.axis] === 0) throw new RangeError(`${name}: axis ${p.axis} of shape ${fmt(p.shape)} is empty`);
  },
  plan: (p, o) => single(ARGMAX, { shape: p.shape, axis: p.axis, limit: o.indexLimit }, ['x']),
});
export const LOG_SOFTMAX_OP = op({
  name: 'logSoftmax', inputs: ['x'], holds: (p: { rows: number; cols: number }) => [p.rows * p.cols], outputs: (p) => [p.rows * p.cols],
  plan: (p) => ({ steps: [run(LOG_SUM_EXP_ROWS, p, ['x'], 'lse'), run(SUBTRACT_ROW, p, ['x', 'lse'], 'out')], out: ['out'] }),
});

// ---- movement ---------------------------------------------------------------------------------------
export const PERMUTE_OP = op({
  name: 'permute', inputs: ['x'], holds: (p: { shape: Shape; perm: readonly number[] }) => [p.shape], check: (p, name) => checkPermutation(name, p.perm, p.shape.length),
  outputs: (p) => [product(p.shape)], plan: (p, o) => single(PERMUTE, { shape: p.shape, perm: p.perm, limit: o.indexLimit }, ['x']),
});
export const BROADCAST_TO_OP = op({
  name: 'broadcastTo', inputs: ['x'], holds: (p: { shape: Shape; out: Shape }) => [p.shape], check: (p, name) => broadcasts(name, [p.shape], p.out),
  outputs: (p) => [product(p.out)], plan: (p, o) => single(BROADCAST_TO, { shape: p.shape, out: p.out, limit: o.indexLimit }, ['x']),
});
export const SLICE_OP = op({
  name: 'slice', inputs: ['x'], holds: (p: { shape: Shape; begin: readonly number[]; size: readonly number[] }) => [p.shape], outputs: (p) => [product(p.size)],
  check: ({ shape, begin, size }, name) => {
    const fits = (d: number, k: number) => Number.isInteger(begin[k]) && Number.isInteger(size[k]) && begin[k]! >= 0 && size[k]! >= 0 && begin[k]! + size[k]! <= d;
    if (begin.length !== shape.length || size.length !== shape.length || !shape.every(fits)) {
      throw new RangeError(`${name}: begin [${begin.join(',')}] size [${size.join(',')}] is out of range for shape ${fmt(shape)}`);
    }
  },
  plan: (p, o) => single(SLICE, { shape: p.shape, begin: p.begin, size: p.size, limit: o.indexLimit }, ['x']),
});
type Pads = { shape: Shape; pads: readonly (readonly [number, number])[]; value: number };
const padded = (p: Pads) => product(p.shape.map((d, k) => d + p.pads[k]![0] + p.pads[k]![1]));
export const PAD_OP = op({
  name: 'pad', inputs: ['x'], holds: (p: Pads) => [p.shape], outputs: (p) => [padded(p)],
  check: ({ shape, pads }, name) => {
    if (pads.length !== shape.length || pads.some(([b, a]) => !Number.isInteger(b) || !Number.isInteger(a) || b < 0 || a < 0)) {
      throw new RangeError(`${name}: pads ${JSON.stringify(pads)} do not fit shape ${fmt(shape)} (one [before, after] >= 0 per axis)`);
    }
  },
  plan: (p, o) => (product(p.shape) === 0 ? filled(p.value, padded(p)) : single(PAD, { shape: p.shape, pads: p.pads, limit: o.indexLimit }, ['x', p.value])),
});
/** Two inputs at a time; `count`: the inputs given (checked against the shapes). */
export const CONCAT_OP = op({
  name: 'concat', inputs: (p: { shapes: readonly Shape[]; axis: number; count: number }) => p.shapes.map((_, i) => `input ${i}`), holds: (p) => p.shapes,
  check: ({ shapes, axis, count }, name) => {
    if (count === 0 || count !== shapes.length) throw new RangeError(`${name}: needs one shape per input and at least one input`);
    checkAxis(name, axis, shapes[0]!.length);
    if (shapes.some((s) => s.length !== shapes[0]!.length || s.some((d, k) => k !== axis && d !== shapes[0]![k]))) throw new RangeError(`${name}: shapes ${shapes.map(fmt).join(', ')} differ outside axis ${axis}`);
  },
  outputs: (p) => [p.shapes.reduce((s, x) => s + product(x), 0)],
  plan: ({ shapes, axis }, o) => {
    if (shapes.length === 1) return single(COPY, { size: product(shapes[0]!) }, ['input 0']);
    const steps: Step[] = [];
    let [shape, at] = [shapes[0]!, 'input 0'];
    for (let i = 1; i < shapes.length; i++) {
      const out = shape.map((d, k) => (k === axis ? d + shapes[i]![k]! : d));
      steps.push(product(out) === 0 ? { fill: 0, size: 0, out: `c${i}` } : run(CONCAT2, { a: shape, b: shapes[i]!, axis, limit: o.indexLimit }, [at, `input ${i}`], `c${i}`));
      [shape, at] = [out, `c${i}`];
    }
    return { steps, out: [at] };
  },
});

// ---- linear algebra, convolution, pooling -------------------------------------------------------------
export const MATMUL_OP = op({
  name: (p: MatmulParams) => checkMatmul(p), inputs: ['a', 'b'], holds: (p) => [p.batchA * p.m * p.k, p.batchB * p.k * p.n], outputs: (p) => [p.batch * p.m * p.n],
  plan: (p, o) => {
    if (p.k === 0) return filled(0, p.batch * p.m * p.n);
    if (!o.blocked) return single(MATMUL_SCALAR, p, ['a', 'b']);
    const rows = { groups: p.batch, rows: p.m, cols: p.n };
    if (o.wide && p.m >= WIDE_ROWS) return { steps: [run(MATMUL_PACK_A, p, ['a'], 'ap'), runPost(MATMUL_WIDE, p, ['ap', 'b'], DEINTERLEAVE, { ...rows, block: WIDE_ROWS }, 'out')], out: ['out'] };
    return { steps: [runPost(MATMUL_BLOCKED, p, ['a', 'b'], DEINTERLEAVE, rows, 'out')], out: ['out'] };
  },
});
/** forward: `bias` given, `keep` the workspace (a second output); filter: the `workspace` given. */
type Conv = { conv: Conv2dParams; bias?: boolean; keep?: boolean; workspace?: boolean };
const checkConvOp = (p: Conv, name: string) => void checkConv(name, p.conv);
export const CONV2D_OP = op({
  name: 'conv2d', inputs: ['x', 'w', 'bias'], holds: ({ conv }: Conv) => [conv.xShape, conv.wShape, conv.wShape[0]], check: checkConvOp,
  outputs: (p, o) => (p.keep ? [product(p.conv.outShape), workspaceSize(p.conv, o)] : [product(p.conv.outShape)]), plan: (p, o) => planConv2d(p.conv, o, p.bias === true, p.keep),
});
export const CONV_INPUT_OP = op({
  name: 'conv2dBackpropInput', inputs: ['dy', 'w'], holds: ({ conv }: Conv) => [conv.outShape, conv.wShape], check: checkConvOp, outputs: (p) => [product(p.conv.xShape)], plan: (p, o) => planConvInput(p.conv, o),
});
export const CONV_FILTER_OP = op({
  name: 'conv2dBackpropFilter', inputs: ['x', 'dy', 'v'], holds: ({ conv, workspace }: Conv, o) => [conv.xShape, conv.outShape, workspace ? workspaceSize(conv, o) : undefined],
  check: checkConvOp, outputs: (p) => [product(p.conv.wShape)], plan: (p, o) => planConvFilter(p.conv, o, p.workspace),
});
export const POOL2D_OP = op({ name: 'pool2d', inputs: ['x'], holds: (p: Pool2dParams) => [p.xShape], check: (p, name) => checkPool(name, p), outputs: (p) => [product(p.outShape)], plan: (p) => single(POOL2D, p, ['x']) });
export const POOL2D_BACKWARD_OP = op({
  name: 'pool2dBackward', inputs: ['dy', 'x'], holds: (p: Pool2dParams) => [p.outShape, p.xShape], check: (p, name) => checkPool(name, p), outputs: (p) => [product(p.xShape)], plan: (p) => single(POOL2D_BACKWARD, p, ['dy', 'x']),
});

// ---- batch norm ---------------------------------------------------------------------------------------
type Bn = { bn: BatchNormParams; weight?: boolean; bias?: boolean };
const bnShape = ({ bn }: Bn) => [bn.outer, bn.channels, bn.inner];
const checkBn = ({ bn: p }: Bn, name: string) => {
  if (bnShape({ bn: p }).some((d) => !Number.isInteger(d) || d < 0) || !(p.eps >= 0)) throw new RangeError(`${name}: invalid params outer ${p.outer}, channels ${p.channels}, inner ${p.inner}, eps ${p.eps}`);
  if (p.outer * p.inner === 0 && p.channels > 0) throw new RangeError(`${name}: x [${bnShape({ bn: p }).join(',')}] has no values per channel`);
};
export const BN_STATS_OP = op({ name: 'batchNormStats', inputs: ['x'], holds: (p: Bn) => [bnShape(p)], check: checkBn, outputs: ({ bn }) => [bn.channels, bn.channels], plan: (p) => planBatchNormStats(p.bn) });
export const BN_FORWARD_OP = op({
  name: 'batchNormForward', inputs: ['x', 'mean', 'variance', 'weight', 'bias'], holds: (p: Bn) => [bnShape(p), p.bn.channels, p.bn.channels, p.bn.channels, p.bn.channels], check: checkBn,
  outputs: (p) => [product(bnShape(p))], plan: (p) => planBatchNormForward(p.bn, p.weight === true, p.bias === true),
});
export const BN_BACKWARD_OP = op({
  name: 'batchNormBackward', inputs: ['dy', 'x', 'mean', 'variance', 'weight'], holds: (p: Bn) => [bnShape(p), bnShape(p), p.bn.channels, p.bn.channels, p.bn.channels], check: checkBn,
  outputs: (p) => [product(bnShape(p)), p.bn.channels, p.bn.channels], plan: (p, o) => planBatchNormBackward(p.bn, p.weight === true, o.host),
});

// ---- in place: the velocity, then the parameter from it (PyTorch's momentum SGD, dampening 0) ---------------
export const SGD_OP = op({
  name: 'sgdUpdate', inputs: ['param', 'grad', 'velocity'], holds: (p: SgdParams & { size: number }) => [p.size, p.size, p.size], outputs: () => [],
  plan: ({ size, lr, momentum, weightDecay, nesterov }) => ({
    steps: size === 0 ? [] : [
      run(SGD_VELOCITY, { size }, ['param', 'grad', 'velocity', momentum, weightDecay], 'velocity', 'velocity'),
      run(SGD_PARAM, { size, nesterov }, ['param', 'grad', 'velocity', lr, momentum, weightDecay], 'param', 'param'),
    ],
    out: ['param', 'velocity'],
  }),
});
