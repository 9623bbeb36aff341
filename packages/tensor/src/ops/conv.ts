// 2-D convolution (cross-correlation, NCHW input, OIHW weight, groups = 1), with its gradients for the
// input and the weight from the backend's backprop primitives; the bias is added by the same backend
// call (its gradient is dy summed over N, H and W).

import type { Backend, Conv2dParams } from '../backend';
import { TensorError, formatShape } from '../errors';
import { apply, engineOf } from '../tape';
import type { Op, Produced } from '../tape';
import type { Tensor } from '../tensor';

export type Pair = number | readonly [number, number];

export interface Conv2dOptions {
  /** [O] added to every output channel. */
  readonly bias?: Tensor | null;
  /** Default 1; a number or [strideH, strideW]. */
  readonly stride?: Pair;
  /**
   * Default 0: a number, [padH, padW] (both sides), 'valid' (0), or 'same' (output size ceil(in / stride),
   * the extra row/column at the bottom/right; for stride 1 this is torch's 'same').
   */
  readonly padding?: Pair | 'same' | 'valid';
  /** Only 1 is supported. */
  readonly groups?: number;
  /** Only 1 is supported. */
  readonly dilation?: Pair;
}

/**
 * The forward; in a training step whose weight wants a gradient, through conv2dTraining, whose workspace
 * (the backend's, e.g. a Winograd input transform) is saved for the filter gradient like x and w.
 */
function forward(b: Backend, [x, w, bias]: readonly Tensor[], p: Conv2dParams, needs: readonly boolean[] | null): Produced {
  const biasId = bias?.storage.id ?? null;
  if (!needs?.[1]) return { data: b.conv2d(x.storage.id, w.storage.id, p, biasId), shape: p.outShape };
  const r = b.conv2dTraining(x.storage.id, w.storage.id, p, biasId);
  return { data: r.y, shape: p.outShape, workspace: r.workspace === null ? [] : [r.workspace] };
}

const CONV2D: Op<Conv2dParams> = {
  name: 'conv2d',
  saves: [0, 1],
  forward,
  backward: (dy, { saved: [x, w, workspace], attrs: p, needs }) => {
    const e = dy.engine;
    return [
      needs[0] ? e.wrap(e.backend.conv2dBackpropInput(dy.storage.id, w.storage.id, p), p.xShape) : null,
      needs[1] ? e.wrap(e.backend.conv2dBackpropFilter(x.storage.id, dy.storage.id, p, workspace?.storage.id ?? null), p.wShape) : null,
    ];
  },
};

/** conv2d with its bias added in the same backend call; the bias gradient sums dy over N, H and W. */
const CONV2D_BIAS: Op<Conv2dParams> = {
  name: 'conv2d',
  saves: [0, 1],
  forward,
  backward: (dy, ctx) => [...CONV2D.backward!(dy, ctx), ctx.needs[2] ? dy.sum([0, 2, 3]) : null],
};

/** A positive integer pair from a number or a pair. */
export function pairOf(op: string, name: string, v: Pair, where: string, min = 1): [number, number] {
  const p: [number, number] = typeof v === 'number' ? [v, v] : [v[0], v[1]];
  if (!(Array.isArray(v) ? v.length === 2 : typeof v === 'number') || !p.every((n) => Number.isInteger(n) && n >= min)) {
    throw new TensorError(op, `${where}: ${name} must be an integer >= ${min} or a pair of them, got ${JSON.stringify(v)}`);
  }
  return p;
}

/** Padding on each side [top, bottom, left, right] for a kernel of kh x kw over h x w. */
export function resolvePadding(
  op: string,
  padding: Pair | 'same' | 'valid',
  where: string,
  [h, w]: readonly [number, number],
  [kh, kw]: readonly [number, number],
  [sh, sw]: readonly [number, number],
): [number, number, number, number] {
  if (padding === 'valid') return [0, 0, 0, 0];
  if (padding === 'same') {
    const total = (n: number, k: number, s: number) => Math.max((Math.ceil(n / s) - 1) * s + k - n, 0);
    const th = total(h, kh, sh);
    const tw = total(w, kw, sw);
    return [Math.floor(th / 2), th - Math.floor(th / 2), Math.floor(tw / 2), tw - Math.floor(tw / 2)];
  }
  const [ph, pw] = pairOf(op, 'padding', padding, where, 0);
  return [ph, ph, pw, pw];
}

/** Builds and checks the conv2d parameters for x [N,C,H,W] and weight [O,C,KH,KW]. */
export function conv2dParams(x: Tensor, w: Tensor, options: Conv2dOptions): Conv2dParams {
  const where = `x ${formatShape(x.shape)}, weight ${formatShape(w.shape)}`;
  if (x.rank !== 4) throw new TensorError('conv2d', `${where}: x must be [N, C, H, W] (rank 4)`);
  if (w.rank !== 4) throw new TensorError('conv2d', `${where}: weight must be [O, C, KH, KW] (rank 4)`);
  if ((options.groups ?? 1) !== 1) throw new TensorError('conv2d', `${where}: groups=${options.groups} is not supported (groups=1 only)`);
  const [dh, dw] = pairOf('conv2d', 'dilation', options.dilation ?? 1, where);
  if (dh !== 1 || dw !== 1) throw new TensorError('conv2d', `${where}: dilation ${dh}x${dw} is not supported (1 only)`);
  const [n, c, h, wd] = x.shape;
  const [o, c2, kh, kw] = w.shape;
  if (c !== c2) throw new TensorError('conv2d', `${where}: input channels differ (${c} vs ${c2})`);
  const [sh, sw] = pairOf('conv2d', 'stride', options.stride ?? 1, where);
  const [pt, pb, pl, pr] = resolvePadding('conv2d', options.padding ?? 0, where, [h, wd], [kh, kw], [sh, sw]);
  const oh = Math.floor((h + pt + pb - kh) / sh) + 1;
  const ow = Math.floor((wd + pl + pr - kw) / sw) + 1;
  if (oh < 1 || ow < 1) {
    throw new TensorError('conv2d', `${where}: kernel ${kh}x${kw} is larger than the padded input ${h + pt + pb}x${wd + pl + pr}`);
  }
  return {
    xShape: x.shape,
    wShape: w.shape,
    strideH: sh,
    strideW: sw,
    padTop: pt,
    padBottom: pb,
    padLeft: pl,
    padRight: pr,
    outShape: [n, o, oh, ow],
  };
}

/** 2-D convolution (torch.nn.functional.conv2d): x [N,C,H,W], weight [O,C,KH,KW] -> [N,O,OH,OW]. */
export function conv2d(x: Tensor, weight: Tensor, options: Conv2dOptions = {}): Tensor {
  const bias = options.bias ?? null;
  engineOf('conv2d', bias ? [x, weight, bias] : [x, weight]);
  const p = conv2dParams(x, weight, options);
  if (bias && !(bias.rank === 1 && bias.shape[0] === weight.shape[0])) {
    throw new TensorError('conv2d', `weight ${formatShape(weight.shape)}, bias ${formatShape(bias.shape)}: bias must be [${weight.shape[0]}]`);
  }
  if (!bias) return apply(CONV2D, [x, weight], p);
  return apply(CONV2D_BIAS, [x, weight, bias], p);
}
