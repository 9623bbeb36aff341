// @skipinit/tensor: float32 tensors, broadcasting, a reverse-mode autograd tape, the op table, the
// Backend interface, a seeded RNG, memory accounting, and the float64 reference backend (a test oracle).

export type {
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
} from './backend';
export { Tensor } from './tensor';
export type { Axes, NestedArray, TensorLike } from './tensor';
export { Engine, setBackend, BYTES_PER_ELEMENT } from './engine';
export type { EngineOptions, MemoryInfo } from './engine';
export { getEngine, currentEngine } from './context';
export { TensorError, formatShape } from './errors';
export { Rng } from './rng';
export type { RngState } from './rng';
export { broadcastShapes, sizeOf, stridesOf, shapesEqual } from './shape';
export { tidy, keep, dispose, memory } from './memory';
export { noGrad, enableGrad, apply as applyOp } from './tape';
export type { BackwardOptions, Op, BackwardContext, Produced } from './tape';
export { isGradEnabled } from './context';

export { tensor, scalar, full, zeros, ones, zerosLike, onesLike, fullLike, arange, eye, randn, rand } from './creation';
export type { CreateOptions, RandomOptions } from './creation';

export {
  add,
  sub,
  mul,
  div,
  pow,
  maximum,
  minimum,
  clamp,
  eq,
  ne,
  lt,
  le,
  gt,
  ge,
  where,
  neg,
  exp,
  log,
  sqrt,
  rsqrt,
  abs,
  sign,
  square,
  reciprocal,
  relu,
  sigmoid,
  tanh,
  clone,
} from './ops/elementwise';
export { sum, mean, max, min, variance, std, logsumexp, argmax, sumTo } from './ops/reduce';
export type { VarOptions } from './ops/reduce';
export { reshape, flatten, squeeze, unsqueeze, permute, transpose, t, expand, slice, narrow, pad, concat, cat, stack } from './ops/movement';
export type { Pads } from './ops/movement';
export { matmul, linear } from './ops/matmul';
export type { MatmulOptions } from './ops/matmul';
export { conv2d } from './ops/conv';
export type { Conv2dOptions, Pair } from './ops/conv';
export { avgPool2d, maxPool2d, globalAvgPool2d } from './ops/pool';
export type { Pool2dOptions, AvgPool2dOptions } from './ops/pool';
export { logSoftmax, softmax, crossEntropy } from './ops/loss';
export type { Labels, CrossEntropyOptions } from './ops/loss';
export { erf, gelu } from './ops/activation';
export type { GeluOptions } from './ops/activation';
export { dropout } from './ops/dropout';
export type { DropoutOptions } from './ops/dropout';
export { moments, batchNorm, batchNormTraining, layerNorm } from './ops/norm';
export type { BatchNormTrainingResult, NormOptions } from './ops/norm';
export { scaledWeightStandardization } from './ops/weight-standardization';
export type { WeightStandardizationOptions } from './ops/weight-standardization';
export { copy_, sgdUpdate_ } from './ops/inplace';

export { ReferenceBackend } from './reference/reference-backend';
export { AsyncReferenceBackend } from './reference/async-reference-backend';
