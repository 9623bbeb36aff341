// @skipinit/layers: modules with named parameters (dense, conv2d, batchnorm, layernorm, activations,
// pooling, dropout, flatten, Fixup's scalars, the pre-activation residual block, the classifier head)
// and build(graph) -> Model. Imports @skipinit/tensor, @skipinit/graph and @skipinit/init.

export { build } from './build';
export type { BuildOptions } from './build';
export { Model } from './model';
export type { AsyncForwardOptions, ForwardOptions, LoadOptions, Unit } from './model';
export type { AsyncBlockHook, BlockInfo, BlockHook } from './block-info';
export { Parameter, NamedBuffer } from './parameter';
export type { ParameterRole, WeightLayout } from './parameter';
export type { ModelState, StateEntry, ExportedWeight } from './state';
export type { Layer, ForwardContext } from './layer';
export { LayersError } from './errors';
export { ResidualBlock } from './residual-block';
export { Dense } from './dense';
export { Conv2d } from './conv2d';
export { BatchNorm } from './batchnorm';
export { LayerNorm } from './layernorm';
export { Activation, ACTIVATIONS } from './activation';
export { Pool } from './pool';
export { Dropout } from './dropout';
export { Flatten } from './flatten';
export { ScalarBias, Scale } from './scalar';
export { LAYER_FACTORIES, NORM_LAYERS, makeLayer } from './layer-factory';
export { BuildContext } from './build-context';
export { Scope } from './naming';
