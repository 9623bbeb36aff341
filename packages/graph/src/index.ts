// @skipinit/graph: The layer-graph IR: node kinds, the vocabulary, validation, shape inference, parameter and FLOP counts, summary and DOT output.
export {};
