// One primitive module -> its ONNX nodes, in evaluation mode. `LAYER_NODES` is a table over the module
// kinds of @skipinit/layers; a module whose kind is not in it (a library user's own Layer) has no ONNX
// form and is refused by name.
//
//   conv        Conv with explicit pads [top, left, bottom, right] (the graph's convPadding: TensorFlow's
//               'same' puts the odd pixel at the bottom/right). Asymmetric pads go into a Pad node before
//               the Conv (which then pads 0): converters such as onnx2torch take only symmetric Conv pads
//   dense       Gemm(x, W, b, transB=1)               (W is [units, in], torch's Linear layout)
//   batchnorm   BatchNormalization with the running statistics (scale 1 / shift 0 when not affine)
//   layernorm   LayerNormalization over C, H, W (axis 1), the per-channel scale and shift spread over H, W
//   pool        AveragePool (count_include_pad=1: padding counts as zeros, as in layers' Pool) / MaxPool
//               with explicit pads (asymmetric: a Pad node first, zeros / the lowest float32, as layers'
//               Pool does); global: GlobalAveragePool then Flatten
//   activation  Relu, Tanh, Sigmoid; gelu as x * 0.5 * (1 + Erf(x / sqrt 2)) (the exact form, as layers')
//   bias        Add of the scalar (Fixup's biases)          scale   Mul by the scalar
//   flatten     Flatten(axis=1)                              dropout nothing (the identity at evaluation)

import type { LayerKind } from '@skipinit/graph';
import { convPadding } from '@skipinit/graph';
import type { Layer } from '@skipinit/layers';
import { Activation, BatchNorm, Conv2d, Dense, LayerNorm, Pool, Scale, ScalarBias } from '@skipinit/layers';
import type { Tensor } from '@skipinit/tensor';
import { noGrad, tidy } from '@skipinit/tensor';
import { OnnxExportError } from './errors';
import type { OnnxGraphBuilder } from './onnx-builder';

/** The values of a tensor (float64 on the reference backend) as numbers to round to float32. */
export const values = (t: Tensor): Float32Array => t.dataSync();

type Emit = (b: OnnxGraphBuilder, layer: Layer, x: string) => string;

function as<T>(layer: Layer, cls: abstract new (...args: never[]) => T): T {
  if (!(layer instanceof cls)) throw new OnnxExportError('export/bad-model', `${layer.name}: a '${layer.kind}' module that is not @skipinit/layers' ${cls.name}`, layer.name);
  return layer as T;
}

const ones = (n: number): Float32Array => new Float32Array(n).fill(1);

/** Pads in ONNX's order [top, left, bottom, right] of a conv or pool window on a [C, H, W] input. */
export function onnxPads(inShape: readonly number[], kernel: number, stride: number, padding: 'same' | 'valid' | number): number[] {
  const [top, bottom] = convPadding(inShape[1], kernel, stride, padding);
  const [left, right] = convPadding(inShape[2], kernel, stride, padding);
  return [top, left, bottom, right];
}

const LOWEST_FLOAT32 = -3.4028234663852886e38;

/**
 * `x` ready for a window op with pads [top, left, bottom, right]: symmetric pads stay on the op; otherwise
 * a Pad node (constant `fill`) pads x and the op pads 0.
 */
function padFirst(b: OnnxGraphBuilder, x: string, name: string, pads: number[], fill: number): { x: string; pads: number[] } {
  const [top, left, bottom, right] = pads;
  if (top === bottom && left === right) return { x, pads };
  const inputs = [x, b.int64Constant(`${name}.pads`, [0, 0, top, left, 0, 0, bottom, right])];
  if (fill !== 0) inputs.push(b.constant(`${name}.pad_value`, [], [fill]));
  return { x: b.node('Pad', inputs, `${name}.pad`, { mode: 'constant' }), pads: [0, 0, 0, 0] };
}

const conv: Emit = (b, layer, x0) => {
  const c = as(layer, Conv2d);
  const { x, pads } = padFirst(b, x0, c.name, onnxPads(c.inShape, c.kernel, c.stride, c.padding), 0);
  const w = b.constant(c.weight.name, c.weight.shape, noGrad(() => tidy(() => values(c.effectiveWeight()))));
  const inputs = [x, w];
  if (c.bias) inputs.push(b.constant(c.bias.name, c.bias.shape, values(c.bias.value)));
  return b.node('Conv', inputs, c.name, {
    kernel_shape: [c.kernel, c.kernel],
    strides: [c.stride, c.stride],
    pads,
    dilations: [1, 1],
    group: 1,
  });
};

const dense: Emit = (b, layer, x) => {
  const d = as(layer, Dense);
  const inputs = [x, b.constant(d.weight.name, d.weight.shape, noGrad(() => tidy(() => values(d.effectiveWeight()))))];
  if (d.bias) inputs.push(b.constant(d.bias.name, d.bias.shape, values(d.bias.value)));
  return b.node('Gemm', inputs, d.name, { transB: 1 });
};

const batchnorm: Emit = (b, layer, x) => {
  const n = as(layer, BatchNorm);
  const c = n.inShape[0];
  const scale = n.weight ? b.constant(n.weight.name, [c], values(n.weight.value)) : b.constant(`${n.name}.scale`, [c], ones(c));
  const shift = n.bias ? b.constant(n.bias.name, [c], values(n.bias.value)) : b.constant(`${n.name}.shift`, [c], new Float32Array(c));
  const mean = b.constant(n.runningMean.name, [c], values(n.runningMean.value));
  const variance = b.constant(n.runningVar.name, [c], values(n.runningVar.value));
  return b.node('BatchNormalization', [x, scale, shift, mean, variance], n.name, { epsilon: { float: n.eps } });
};

/** A per-channel vector repeated over the positions of one channel: [C] -> [C, H, W] (a flat input: as it is). */
function spread(v: ArrayLike<number>, shape: readonly number[]): Float32Array {
  const positions = shape.slice(1).reduce((a, q) => a * q, 1);
  const out = new Float32Array(shape[0] * positions);
  for (let c = 0; c < shape[0]; c++) out.fill(v[c], c * positions, (c + 1) * positions);
  return out;
}

const layernorm: Emit = (b, layer, x) => {
  const n = as(layer, LayerNorm);
  const c = n.inShape[0];
  const w = n.weight ? values(n.weight.value) : ones(c);
  const s = n.bias ? values(n.bias.value) : new Float32Array(c);
  const scale = b.constant(n.weight?.name ?? `${n.name}.scale`, n.inShape, spread(w, n.inShape));
  const shift = b.constant(n.bias?.name ?? `${n.name}.shift`, n.inShape, spread(s, n.inShape));
  return b.node('LayerNormalization', [x, scale, shift], n.name, { axis: 1, epsilon: { float: n.eps } });
};

const pool: Emit = (b, layer, x0) => {
  const p = as(layer, Pool);
  if (p.op === 'global') return b.node('Flatten', [b.node('GlobalAveragePool', [x0], `${p.name}.pool`)], p.name, { axis: 1 });
  const [top, bottom, left, right] = p.padding;
  const { x, pads } = padFirst(b, x0, p.name, [top, left, bottom, right], p.op === 'max' ? LOWEST_FLOAT32 : 0);
  const attrs = { kernel_shape: [p.size, p.size], strides: [p.stride, p.stride], pads };
  return p.op === 'max' ? b.node('MaxPool', [x], p.name, attrs) : b.node('AveragePool', [x], p.name, { ...attrs, count_include_pad: 1 });
};

const ACTIVATION_OPS = { relu: 'Relu', tanh: 'Tanh', sigmoid: 'Sigmoid' } as const;

const activation: Emit = (b, layer, x) => {
  const a = as(layer, Activation);
  if (a.fn === 'identity') return x;
  if (a.fn === 'gelu') {
    const erf = b.node('Erf', [b.node('Div', [x, b.constant(`${a.name}.sqrt2`, [], [Math.SQRT2])], `${a.name}.scaled`)], `${a.name}.erf`);
    const onePlus = b.node('Add', [erf, b.constant(`${a.name}.one`, [], [1])], `${a.name}.one_plus`);
    const half = b.node('Mul', [x, b.constant(`${a.name}.half`, [], [0.5])], `${a.name}.half_x`);
    return b.node('Mul', [half, onePlus], a.name);
  }
  return b.node(ACTIVATION_OPS[a.fn], [x], a.name);
};

const bias: Emit = (b, layer, x) => {
  const s = as(layer, ScalarBias);
  return b.node('Add', [x, b.constant(s.value.name, [], values(s.value.value))], s.name);
};

const scale: Emit = (b, layer, x) => {
  const s = as(layer, Scale);
  const value = s.value ? b.constant(s.value.name, [], values(s.value.value)) : b.constant(`${s.name}.fixed`, [], [s.fixed]);
  return b.node('Mul', [x, value], s.name);
};

const flatten: Emit = (b, layer, x) => (layer.inShape.length === 1 ? x : b.node('Flatten', [x], layer.name, { axis: 1 }));

/** A Record over the graph's layer kinds: a kind added to the vocabulary without its nodes here fails to typecheck. */
export const LAYER_NODES: { readonly [K in LayerKind]: Emit } = {
  conv,
  dense,
  batchnorm,
  layernorm,
  pool,
  activation,
  bias,
  scale,
  flatten,
  dropout: (_b, _layer, x) => x,
};

/** The ONNX nodes of one module applied to tensor `x`; returns the output tensor's name. */
export function layerNodes(b: OnnxGraphBuilder, layer: Layer, x: string): string {
  const emit = Object.prototype.hasOwnProperty.call(LAYER_NODES, layer.kind) ? LAYER_NODES[layer.kind as LayerKind] : undefined;
  if (emit === undefined) {
    throw new OnnxExportError(
      'export/unsupported-layer',
      `${layer.name}: a '${layer.kind}' module has no ONNX form (the exporter knows ${Object.keys(LAYER_NODES).join(', ')}); nothing was written`,
      layer.name,
    );
  }
  return emit(b, layer, x);
}
