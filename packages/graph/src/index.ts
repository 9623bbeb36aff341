// @skipinit/graph: the layer-graph IR: node kinds, the vocabulary, validation, shape inference,
// parameter and FLOP counts, summary and DOT output. Imports nothing of ours.
export type * from './types';
export type * from './study-types';
export * from './vocabulary';
export * from './limits';
export * from './closest-names';
export * from './init-plan';
export * from './nf';
export * from './presets';
export * from './issues';
export * from './builders';
export * from './layer-shape';
export * from './expand';
export * from './count-blocks';
export * from './validate';
export * from './infer';
export * from './train-spec';
export * from './sweep';
export * from './serialize';
export * from './summary';
export * from './dot';
