// exportOnnx(model) -> the bytes of an ONNX model (opset 17) computing the network in evaluation mode:
//
//   input [batch, C, H, W] (raw values, e.g. pixels in [0, 1])
//     -> Sub(mean) -> Div(std)               the input normalisation, per channel, as the first nodes
//     -> every module, in forward order      (layer-nodes.ts); a residual block is
//                                              h = pre(x); out = Add(shortcut(h), Mul(branch(h), alpha))
//     -> logits [batch, classes]  and  probabilities = Softmax(logits)
//
// The batch axis is dynamic ('batch'). Initializers keep the model's parameter names
// (stage1.block1.conv1.weight, ...), so a PyTorch user maps them one to one. What a run records about
// its inputs (class names, normalisation, layout, value range) goes into the model's metadata_props.

import type { Layer, Model, Unit } from '@skipinit/layers';
import { ResidualBlock } from '@skipinit/layers';
import { OnnxExportError } from './errors';
import { layerNodes, values } from './layer-nodes';
import { OnnxGraphBuilder } from './onnx-builder';

/** The opset written (LayerNormalization needs 17). */
export const OPSET = 17;

export interface InputNormalization {
  readonly mean: readonly number[];
  readonly std: readonly number[];
}

export interface OnnxExportOptions {
  /** Per-channel normalisation applied to the raw input first (null or absent: the input goes in as it is). */
  readonly normalization?: InputNormalization | null;
  /** Extra metadata_props (string -> string), e.g. class names as JSON. */
  readonly metadata?: Readonly<Record<string, string>>;
  /** producer_version (default '0.1.0'). */
  readonly producerVersion?: string;
}

export interface OnnxExport {
  readonly bytes: Uint8Array;
  readonly opset: number;
  readonly input: { readonly name: 'input'; readonly shape: readonly (number | string)[] };
  readonly outputs: readonly { readonly name: 'logits' | 'probabilities'; readonly shape: readonly (number | string)[] }[];
  /** Nodes per op type. */
  readonly ops: Readonly<Record<string, number>>;
  readonly initializers: number;
}

function normalizationNodes(b: OnnxGraphBuilder, x: string, shape: readonly number[], norm: InputNormalization): string {
  const c = shape[0];
  if (norm.mean.length !== c || norm.std.length !== c) {
    throw new OnnxExportError('export/bad-option', `the normalisation has ${norm.mean.length} means and ${norm.std.length} stds for an input of ${c} channel(s) (shape ${shape.join('x')})`);
  }
  if (!norm.std.every((s) => Number.isFinite(s) && s > 0) || !norm.mean.every(Number.isFinite)) {
    throw new OnnxExportError('export/bad-option', `the normalisation needs finite means and stds > 0, got mean [${norm.mean.join(', ')}] std [${norm.std.join(', ')}]`);
  }
  const dims = shape.length === 3 ? [1, c, 1, 1] : [1, c];
  const mean = b.constant('input_normalization.mean', dims, norm.mean);
  const std = b.constant('input_normalization.std', dims, norm.std);
  return b.node('Div', [b.node('Sub', [x, mean], 'input_normalization.centred'), std], 'input_normalization');
}

function blockNodes(b: OnnxGraphBuilder, block: ResidualBlock, x: string): string {
  const run = (layers: readonly Layer[], h: string): string => layers.reduce((t, l) => layerNodes(b, l, t), h);
  // an NF block reads x / beta_l; its identity shortcut carries x itself (as ResidualBlock's forward does)
  const scaledIn = block.beta === null || block.beta === 1 ? x : b.node('Mul', [x, b.constant(`${block.name}.inv_beta`, [], [1 / block.beta])], `${block.name}.in`);
  const h = run(block.pre, scaledIn);
  const skip = block.shortcut.length > 0 ? run(block.shortcut, h) : x;
  let f = run(block.branch, h);
  if (block.alpha !== null) f = b.node('Mul', [f, b.constant(block.alpha.name, [], values(block.alpha.value))], `${block.name}.scaled`);
  else if (block.fixedAlpha !== 1) f = b.node('Mul', [f, b.constant(`${block.name}.alpha`, [], [block.fixedAlpha])], `${block.name}.scaled`);
  return b.node('Add', [skip, f], block.name);
}

function unitNodes(b: OnnxGraphBuilder, unit: Unit, x: string): string {
  return unit instanceof ResidualBlock ? blockNodes(b, unit, x) : layerNodes(b, unit, x);
}

/** The model in evaluation mode as ONNX bytes; throws OnnxExportError (and writes nothing) on a module with no ONNX form. */
export function exportOnnx(model: Model, options: OnnxExportOptions = {}): OnnxExport {
  if (model.isDisposed) throw new OnnxExportError('export/bad-model', `model '${model.name}' was disposed`);
  const b = new OnnxGraphBuilder();
  const inputShape = ['batch', ...model.inputShape] as const;
  b.unique('input');
  let x = 'input';
  if (options.normalization) x = normalizationNodes(b, x, model.inputShape, options.normalization);
  for (const unit of model.units) x = unitNodes(b, unit, x);
  const logits = b.node('Identity', [x], 'logits');
  const probabilities = b.node('Softmax', [logits], 'probabilities', { axis: -1 });
  const outShape = ['batch', ...model.outputShape] as const;
  const bytes = b.model({
    name: model.name,
    opset: OPSET,
    inputs: [{ name: 'input', shape: inputShape }],
    outputs: [
      { name: logits, shape: outShape },
      { name: probabilities, shape: outShape },
    ],
    metadata: options.metadata ?? {},
    producerVersion: options.producerVersion ?? '0.1.0',
    doc: `${model.name}, exported by skipinit in evaluation mode: input [batch, ${model.inputShape.join(', ')}] (raw values; the normalisation is the first nodes), outputs logits and probabilities [batch, ${model.outputShape.join(', ')}]`,
  });
  return {
    bytes,
    opset: OPSET,
    input: { name: 'input', shape: inputShape },
    outputs: [
      { name: 'logits', shape: outShape },
      { name: 'probabilities', shape: outShape },
    ],
    ops: b.ops(),
    initializers: b.initializers.length,
  };
}
