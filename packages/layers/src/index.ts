// @skipinit/layers: Modules with named parameters and build(graph) -> Model.
export {};
