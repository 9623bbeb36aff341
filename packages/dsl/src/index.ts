// @skipinit/dsl: the architecture language. Spec text -> layer graph (+ training recipe and sweep), compiler
// diagnostics with spans, codes and "did you mean", and a formatter. Chevrotain stays inside: nothing exported
// here mentions it.
export { compile } from './compile';
export type { CompileOptions, CompileResult } from './compile';
export { format, formatExpr } from './format';
export type { FormatResult } from './format';
export { parse, MAX_SOURCE_CHARS, MAX_BRACKET_DEPTH } from './parse';
export type { ParseResult } from './parse';
export { MAX_EXPRESSION_DEPTH } from './cst-to-ast';
export { DIAGNOSTIC_CODES, didYouMean } from './diagnostic';
export type { Diagnostic, DiagnosticCode, Severity } from './diagnostic';
export { printDiagnostic, printDiagnostics, location } from './print-diagnostic';
export { diagnosticRecords } from './diagnostic-json';
export type { DiagnosticRecord } from './diagnostic-json';
export { FOREIGN_NAMES } from './foreign-names';
export type { PrintOptions } from './print-diagnostic';
export { LineIndex } from './span';
export type { Span, Position } from './span';
export { MODEL_STATEMENTS, TRAIN_STATEMENTS, SECTIONS } from './statements';
export type { OptionSpec, OptionType, StatementSpec } from './statements';
export { TRAIN_SETTINGS } from './lower-train';
export { FUNCTIONS } from './evaluate';
export { KEYWORDS } from './tokens';
export { cellOverrides, letValueToSource } from './sweep-cells';
export type * from './ast';
