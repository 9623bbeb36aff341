// Diagnostics: every problem the compiler finds, with a stable code, a span and a message. The codes and their
// one-line meanings live in one table (docs/dsl.md lists them all; a test checks that it does).
import type { Span } from './span';

export const DIAGNOSTIC_CODES = {
  'lex/unexpected-character': 'a character that is not part of the language (only letters, digits, _ and the punctuation of the grammar)',
  'lex/bad-number': 'a number glued to letters or dots (12abc, 1.2.3, 1e)',
  'lex/unterminated-string': 'a string with no closing quote on its line',

  'parse/expected-token': 'a required piece of punctuation or a name is missing',
  'parse/expected-value': 'a value (number, name, shape, string, list or call) is missing',
  'parse/expected-end-of-statement': 'a statement goes on where a new line or \';\' should end it',
  'parse/missing-comma': 'two arguments or list items without a comma between them',
  'parse/extra-comma': 'a comma with nothing before it',
  'parse/unexpected-token': 'a token that cannot start a statement here',
  'parse/unclosed': "a '{', '(' or '[' that is never closed",
  'parse/reserved-word': "'let', 'block' or 'x' used as a name",

  'sem/unknown-name': 'a name that no let, parameter or vocabulary defines',
  'sem/duplicate-name': 'a let, block or parameter defined twice in the same scope',
  'sem/type-mismatch': 'a value of the wrong kind (a name where a number is needed, ...)',
  'sem/not-integer': 'a fractional number where a whole number is needed',
  'sem/out-of-range': 'a number outside the range an option accepts',
  'sem/division-by-zero': 'an arithmetic expression divides by zero',
  'sem/number-overflow': 'arithmetic that leaves the finite float64 range',
  'sem/unknown-function': 'a call to something that is neither a built-in function nor a block',
  'sem/bad-call': 'a built-in function or block called with the wrong arguments',
  'sem/unknown-section': 'a top-level item other than let, block, model, train and sweep',
  'sem/duplicate-section': 'a second model, train or sweep section',
  'sem/missing-model': 'a file without a model section',
  'sem/unknown-layer': 'a statement in a model, stage or block that is not a layer, a block or a stage',
  'sem/unknown-setting': 'a statement in a train section that is not a training setting',
  'sem/misplaced-statement': 'a statement where it cannot go (an input inside a block, an assignment in a model, ...)',
  'sem/unknown-option': 'an option (key=value) that the statement does not take',
  'sem/duplicate-option': 'the same option given twice',
  'sem/missing-argument': 'a required argument or option is missing',
  'sem/too-many-arguments': 'more positional arguments than the statement takes',
  'sem/conflicting-options': 'options that cannot be given together (steps and epochs, ...)',
  'sem/unknown-init': 'an initialisation scheme that is not in the vocabulary',
  'sem/unknown-norm': 'a normalisation that is not in the vocabulary',
  'sem/unknown-activation': 'an activation that is not in the vocabulary',
  'sem/unknown-pool': 'a pooling kind that is not in the vocabulary',
  'sem/unknown-block-kind': 'a residual block kind that is not in the vocabulary',
  'sem/unknown-shortcut': 'a residual shortcut that is not in the vocabulary',
  'sem/unknown-padding': 'a padding that is neither same, valid nor a number',
  'sem/unknown-dataset': 'a data set that is not in the vocabulary',
  'sem/unknown-optimizer': 'an optimiser that is not in the vocabulary',
  'sem/unknown-schedule': 'a learning-rate schedule that is not in the vocabulary',
  'sem/unknown-value': 'a name that is not one of the values an option accepts (decay, augment, ...)',
  'sem/unknown-block': 'a branch or layer that names no block',
  'sem/recursive-block': 'a block that uses itself, directly or through other blocks',
  'sem/missing-input': 'a model whose first layer is not an input',
  'sem/data-mismatch': "the model's input shape or class count disagrees with the train data set",
  'sem/empty-sweep': 'a sweep axis with no values',
  'sem/unknown-sweep-key': 'a sweep axis that names neither a let nor a training setting',
  'sem/unknown-override': 'a --set name that is neither a let nor a training setting',

  'limit/source-size': 'a source file longer than the limit',
  'limit/nesting': 'brackets or blocks nested deeper than the limit',
  'limit/repeat': 'a count above its limit: a repetition x N, steps, epochs, warm-up or eval_every',
  'limit/blocks': 'more residual blocks in the model than the limit',
  'limit/nodes': 'more layers in the model than the limit',
  'limit/width': 'a size above its limit: a width, channel or class count, kernel, stride, padding, image side, activation size or batch',
  'limit/params': 'more parameters in the model than the limit',
  'limit/sweep-cells': 'a sweep grid with more cells than the limit',

  'internal/error': 'a bug in the compiler (please report it with the spec that triggers it)',
} as const;

/** Our codes, plus the graph package's shape/* and graph/* issue codes, which pass through unchanged. */
export type DiagnosticCode = keyof typeof DIAGNOSTIC_CODES | `shape/${string}` | `graph/${string}`;

export type Severity = 'error' | 'warning';

export interface Diagnostic {
  readonly code: DiagnosticCode;
  readonly severity: Severity;
  readonly message: string;
  /** Where, in the source text named by `file`. */
  readonly span: Span;
  /** The source the span points into: the spec file's name, or `--set name` for an override. */
  readonly file: string;
  /** Closest valid names, best first, when a name was not recognised. */
  readonly suggestions?: readonly string[];
  /** Further lines printed under the frame ("note: ..."). */
  readonly notes?: readonly string[];
}

export function error(
  code: DiagnosticCode,
  message: string,
  span: Span,
  file: string,
  extra: { suggestions?: readonly string[]; notes?: readonly string[] } = {},
): Diagnostic {
  const d: Diagnostic = { code, severity: 'error', message, span, file };
  return {
    ...d,
    ...(extra.suggestions && extra.suggestions.length > 0 ? { suggestions: extra.suggestions } : {}),
    ...(extra.notes && extra.notes.length > 0 ? { notes: extra.notes } : {}),
  };
}

/** "; did you mean 'skipinit'?" or "; did you mean 'he' or 'he_uniform'?" (empty when there is nothing close). */
export function didYouMean(suggestions: readonly string[]): string {
  if (suggestions.length === 0) return '';
  const quoted = suggestions.map((s) => `'${s}'`);
  const last = quoted.pop()!;
  return `; did you mean ${quoted.length > 0 ? `${quoted.join(', ')} or ${last}` : last}?`;
}
