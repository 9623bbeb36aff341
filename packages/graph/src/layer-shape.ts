// Shape, parameter and FLOP rules of the primitive layers, one example at a time.
//
// FLOPs count one forward pass of ONE example in evaluation mode, with a multiply-add counted as 2
// FLOPs (the convention of most papers; halve for MACs):
// - conv: 2 * C_in * k * k * C_out * H_out * W_out, plus C_out * H_out * W_out for the bias;
// - dense: 2 * in * units, plus units for the bias;
// - batchnorm: 2 per element (folded into a per-channel scale and shift at evaluation);
// - layernorm: 5 per element for the statistics and normalisation, plus 2 for the affine;
// - activation: 1 per element (relu, gelu, tanh and sigmoid alike; identity 0);
// - pool: k * k per output element (windowed), H * W per channel (global);
// - bias, scale: 1 per element; dropout, flatten: 0;
// - a residual block adds 1 per element for the sum, and 1 more for alpha when it has one;
// - Scaled Weight Standardisation (`ws`): a gain per output (+C_out parameters); it works on the weight,
//   once per step whatever the batch, so it adds no FLOPs per example.
// Parameters are trainable values; `buffers` are batch norm's running mean and variance (Keras's
// "non-trainable params").

import type { LayerNode, Shape } from './types';
import type { PaddingName } from './vocabulary';

export interface LayerShape {
  out: Shape;
  params: number;
  buffers: number;
  flops: number;
}

/** A shape rule failed: the issue code and a message naming the layer and the shapes. */
export interface LayerShapeError {
  code: 'shape/needs-flat' | 'shape/needs-image' | 'shape/empty' | 'shape/fan-in';
  message: string;
}

export const formatShape = (shape: Shape): string => (shape.length === 0 ? 'scalar' : shape.join('x'));

export const numel = (shape: Shape): number => {
  let n = 1;
  for (const d of shape) n *= d;
  return n;
};

/**
 * Zero padding on (before, after) one axis of size `size`: 'same' pads max((ceil(size/stride) - 1)
 * * stride + kernel - size, 0) in total with the odd pixel after (TensorFlow's rule; for an odd
 * kernel and stride 1 it is (k-1)/2 each side); 'valid' none; a number that many each side.
 */
export function convPadding(size: number, kernel: number, stride: number, padding: PaddingName | number): [number, number] {
  if (padding === 'valid') return [0, 0];
  if (typeof padding === 'number') return [padding, padding];
  const total = Math.max((Math.ceil(size / stride) - 1) * stride + kernel - size, 0);
  const before = Math.floor(total / 2);
  return [before, total - before];
}

/** Output size of a conv/pool window along one axis: floor((size + pads - kernel) / stride) + 1 (<= 0: empty). */
export function convOutputSize(size: number, kernel: number, stride: number, padding: PaddingName | number): number {
  const [a, b] = convPadding(size, kernel, stride, padding);
  const span = size + a + b - kernel;
  return span < 0 ? 0 : Math.floor(span / stride) + 1;
}

function describe(node: LayerNode): string {
  switch (node.kind) {
    case 'conv':
      return `conv ${node.out} ${node.kernel}x${node.kernel}/${node.stride}${node.ws ? ' ws' : ''}`;
    case 'dense':
      return `dense ${node.units}${node.ws ? ' ws' : ''}`;
    case 'pool':
      return node.op === 'global' ? 'pool global' : `pool ${node.op} ${node.size}x${node.size}/${node.stride}`;
    default:
      return node.kind;
  }
}

/** Channels (images) or features (flat) that per-channel parameters attach to. */
const channels = (shape: Shape): number => shape[0];

/** Output shape, parameters and FLOPs of one layer on an input of shape `x`, or why it does not apply. */
export function layerShape(node: LayerNode, x: Shape): LayerShape | LayerShapeError {
  const n = numel(x);
  switch (node.kind) {
    case 'conv': {
      if (x.length !== 3)
        return {
          code: 'shape/needs-image',
          message: `${describe(node)} needs a C x H x W input, got ${formatShape(x)}`,
        };
      const [c, h, w] = x;
      const ho = convOutputSize(h, node.kernel, node.stride, node.padding);
      const wo = convOutputSize(w, node.kernel, node.stride, node.padding);
      if (ho <= 0 || wo <= 0) return emptyError(node, x);
      if (node.ws && c * node.kernel * node.kernel < 2) return fanInError(node, x);
      const positions = ho * wo;
      return {
        out: [node.out, ho, wo],
        params: node.out * c * node.kernel * node.kernel + (node.bias ? node.out : 0) + (node.ws ? node.out : 0),
        buffers: 0,
        flops: 2 * c * node.kernel * node.kernel * node.out * positions + (node.bias ? node.out * positions : 0),
      };
    }
    case 'dense': {
      if (x.length !== 1)
        return {
          code: 'shape/needs-flat',
          message: `${describe(node)} needs a flat input, got ${formatShape(x)}: add 'flatten' or 'pool global' before it`,
        };
      if (node.ws && x[0] < 2) return fanInError(node, x);
      return {
        out: [node.units],
        params: x[0] * node.units + (node.bias ? node.units : 0) + (node.ws ? node.units : 0),
        buffers: 0,
        flops: 2 * x[0] * node.units + (node.bias ? node.units : 0),
      };
    }
    case 'flatten':
      return { out: [n], params: 0, buffers: 0, flops: 0 };
    case 'activation':
      return { out: x, params: 0, buffers: 0, flops: node.fn === 'identity' ? 0 : n };
    case 'batchnorm':
      return { out: x, params: node.affine ? 2 * channels(x) : 0, buffers: 2 * channels(x), flops: 2 * n };
    case 'layernorm':
      return { out: x, params: node.affine ? 2 * channels(x) : 0, buffers: 0, flops: (node.affine ? 7 : 5) * n };
    case 'pool': {
      if (x.length !== 3)
        return {
          code: 'shape/needs-image',
          message: `${describe(node)} needs a C x H x W input, got ${formatShape(x)}`,
        };
      const [c, h, w] = x;
      if (node.op === 'global') return { out: [c], params: 0, buffers: 0, flops: n };
      const ho = convOutputSize(h, node.size, node.stride, node.padding);
      const wo = convOutputSize(w, node.size, node.stride, node.padding);
      if (ho <= 0 || wo <= 0) return emptyError(node, x);
      return { out: [c, ho, wo], params: 0, buffers: 0, flops: c * ho * wo * node.size * node.size };
    }
    case 'dropout':
      return { out: x, params: 0, buffers: 0, flops: 0 };
    case 'bias':
      return { out: x, params: 1, buffers: 0, flops: n };
    case 'scale':
      return { out: x, params: node.learnable ? 1 : 0, buffers: 0, flops: n };
  }
}

function emptyError(node: LayerNode & { kind: 'conv' | 'pool' }, x: Shape): LayerShapeError {
  return {
    code: 'shape/empty',
    message: `${describe(node)} shrinks a ${formatShape(x)} feature map to nothing`,
  };
}

function fanInError(node: LayerNode & { kind: 'conv' | 'dense' }, x: Shape): LayerShapeError {
  return {
    code: 'shape/fan-in',
    message: `${describe(node)} on ${formatShape(x)} has a fan-in of 1 weight per output, which weight standardisation cannot standardise (it needs at least 2)`,
  };
}

export const isLayerShapeError = (r: LayerShape | LayerShapeError): r is LayerShapeError => 'code' in r;

/** A short human name of a layer: "conv 16 3x3/1", "dense 10", "batchnorm". */
export const describeLayer = describe;
