// @skipinit/dsl: The architecture DSL: chevrotain lexer, parser and visitor; spec text to graph, compiler diagnostics, formatter.
export {};
