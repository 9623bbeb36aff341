// 2-D pooling over NCHW: average and max (torch.nn.functional.avg_pool2d / max_pool2d), and global
// average pooling. Gradients come from the backend's pool2dBackward (max routes dy to the first maximum
// of each window).

import type { Pool2dParams } from '../backend';
import { TensorError, formatShape } from '../errors';
import { apply } from '../tape';
import type { Op } from '../tape';
import type { Tensor } from '../tensor';
import type { Pair } from './conv';
import { pairOf } from './conv';
import { mean } from './reduce';

export interface Pool2dOptions {
  /** Default: the kernel size. */
  readonly stride?: Pair;
  /** Zero padding each side (max pooling pads with -inf); at most half the kernel, as in torch. Default 0. */
  readonly padding?: Pair;
}

export interface AvgPool2dOptions extends Pool2dOptions {
  /** Divide by the whole window (true, torch's default) or by its in-bounds cells only (false). */
  readonly countIncludePad?: boolean;
}

const POOL2D: Op<Pool2dParams> = {
  name: 'pool2d',
  saves: [0],
  forward: (b, [x], p) => ({ data: b.pool2d(x.storage.id, p), shape: p.outShape }),
  backward: (dy, { saved: [x], attrs: p }) => {
    const e = dy.engine;
    return [e.wrap(e.backend.pool2dBackward(dy.storage.id, x.storage.id, p), p.xShape)];
  },
};

function poolParams(kind: 'avg' | 'max', x: Tensor, kernelSize: Pair, options: AvgPool2dOptions): Pool2dParams {
  const op = `${kind}Pool2d`;
  x.assertAlive(op);
  const where = `${formatShape(x.shape)}, kernel ${JSON.stringify(kernelSize)}`;
  if (x.rank !== 4) throw new TensorError(op, `${where}: x must be [N, C, H, W] (rank 4)`);
  const [kh, kw] = pairOf(op, 'kernelSize', kernelSize, where);
  const [sh, sw] = pairOf(op, 'stride', options.stride ?? [kh, kw], where);
  const [ph, pw] = pairOf(op, 'padding', options.padding ?? 0, where, 0);
  if (2 * ph > kh || 2 * pw > kw) {
    throw new TensorError(op, `${where}: padding ${ph}x${pw} must be at most half the kernel ${kh}x${kw}`);
  }
  const [n, c, h, w] = x.shape;
  const oh = Math.floor((h + 2 * ph - kh) / sh) + 1;
  const ow = Math.floor((w + 2 * pw - kw) / sw) + 1;
  if (oh < 1 || ow < 1) throw new TensorError(op, `${where}: kernel is larger than the padded input ${h + 2 * ph}x${w + 2 * pw}`);
  return {
    kind,
    xShape: x.shape,
    kernelH: kh,
    kernelW: kw,
    strideH: sh,
    strideW: sw,
    padTop: ph,
    padBottom: ph,
    padLeft: pw,
    padRight: pw,
    outShape: [n, c, oh, ow],
    countIncludePad: options.countIncludePad ?? true,
  };
}

/** Average pooling over kernelSize windows of x [N,C,H,W]. */
export function avgPool2d(x: Tensor, kernelSize: Pair, options: AvgPool2dOptions = {}): Tensor {
  return apply(POOL2D, [x], poolParams('avg', x, kernelSize, options));
}

/** Max pooling over kernelSize windows of x [N,C,H,W]. */
export function maxPool2d(x: Tensor, kernelSize: Pair, options: Pool2dOptions = {}): Tensor {
  return apply(POOL2D, [x], poolParams('max', x, kernelSize, { ...options, countIncludePad: false }));
}

/** Mean over H and W of x [N,C,H,W]: [N,C] (or [N,C,1,1] with keepdim). */
export function globalAvgPool2d(x: Tensor, options: { readonly keepdim?: boolean } = {}): Tensor {
  x.assertAlive('globalAvgPool2d');
  if (x.rank !== 4) throw new TensorError('globalAvgPool2d', `${formatShape(x.shape)}: x must be [N, C, H, W] (rank 4)`);
  return mean(x, [2, 3], options.keepdim ?? false);
}
