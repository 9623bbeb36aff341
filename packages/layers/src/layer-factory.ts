// Graph layer node -> module. `LAYER_FACTORIES` is a Record over the graph's LayerKind and
// `NORM_LAYERS` over its NormName: a kind or norm added to the vocabulary without an implementation
// here fails to typecheck.

import type { LayerKind, LayerNode, NormName } from '@skipinit/graph';
import { Activation } from './activation';
import { BatchNorm } from './batchnorm';
import type { BuildContext } from './build-context';
import { Conv2d } from './conv2d';
import { Dense } from './dense';
import { Dropout } from './dropout';
import { Flatten } from './flatten';
import type { Layer } from './layer';
import { LayerNorm } from './layernorm';
import { Pool } from './pool';
import { ScalarBias, Scale } from './scalar';

type Factory<K extends LayerKind> = (
  name: string,
  node: Extract<LayerNode, { kind: K }>,
  inShape: readonly number[],
  outShape: readonly number[],
  ctx: BuildContext,
) => Layer;

export const LAYER_FACTORIES: { readonly [K in LayerKind]: Factory<K> } = {
  conv: (name, node, inShape, outShape, ctx) => new Conv2d(name, node, inShape, outShape, ctx),
  dense: (name, node, inShape, _out, ctx) => new Dense(name, node, inShape, ctx),
  flatten: (name, _node, inShape) => new Flatten(name, inShape),
  activation: (name, node, inShape) => new Activation(name, node, inShape),
  batchnorm: (name, node, inShape, _out, ctx) => new BatchNorm(name, node, inShape, ctx),
  layernorm: (name, node, inShape, _out, ctx) => new LayerNorm(name, node, inShape, ctx),
  pool: (name, node, inShape, outShape) => new Pool(name, node, inShape, outShape),
  dropout: (name, node, inShape) => new Dropout(name, node, inShape),
  bias: (name, node, inShape, _out, ctx) => new ScalarBias(name, node, inShape, ctx),
  scale: (name, node, inShape, _out, ctx) => new Scale(name, node, inShape, ctx),
};

/** The layer kind implementing each norm name of a residual branch (null: no norm layer). */
export const NORM_LAYERS: Readonly<Record<NormName, 'batchnorm' | 'layernorm' | null>> = {
  bn: 'batchnorm',
  ln: 'layernorm',
  none: null,
};

/** The module for one graph layer node on per-example input `inShape` (output `outShape`, from shape inference). */
export function makeLayer(name: string, node: LayerNode, inShape: readonly number[], outShape: readonly number[], ctx: BuildContext): Layer {
  const factory = LAYER_FACTORIES[node.kind] as Factory<LayerKind>;
  return factory(name, node as never, inShape, outShape, ctx);
}

/** The short name a module of this node gets before its counter ('conv1', 'bn2', 'relu1', 'bias3'). */
export function layerStem(node: LayerNode): string {
  switch (node.kind) {
    case 'batchnorm':
      return 'bn';
    case 'layernorm':
      return 'ln';
    case 'activation':
      return node.fn;
    default:
      return node.kind;
  }
}
