// `data fashion-mnist` is arithmetic to the grammar: the name fashion minus the name mnist. People write
// dashed names because torchvision and the Fashion-MNIST project spell them so. A subtraction whose terms
// are written without spaces and are all bare words (no let, no parameter defines them) is reported once,
// as the word it looks like, with the underscore spelling the vocabulary uses.
import { VOCABULARY } from '@skipinit/graph';
import type { Expr } from './ast';
import { FOREIGN_NAMES } from './foreign-names';

const VOCABULARY_NAMES: ReadonlySet<string> = new Set(Object.values(VOCABULARY).flat());

/**
 * The dashed word `expr` spells ('fashion-mnist', 'cifar-10'), or undefined when it is not one: a term is
 * bound (`isBound`), a term is not a bare word or whole number, or spaces surround a '-'.
 */
export function dashedWord(expr: Expr, isBound: (name: string) => boolean): string | undefined {
  if (expr.kind === 'name') return isBound(expr.name) ? undefined : expr.name;
  if (expr.kind !== 'binary' || expr.op !== '-') return undefined;
  if (expr.right.span.start !== expr.left.span.end + 1) return undefined;
  const left = dashedWord(expr.left, isBound);
  const right = expr.right.kind === 'number' && /^\d+$/.test(expr.right.text) ? expr.right.text : expr.right.kind === 'name' ? dashedWord(expr.right, isBound) : undefined;
  return left !== undefined && right !== undefined ? `${left}-${right}` : undefined;
}

/** The vocabulary's spelling of a dashed word ('fashion-mnist' -> 'fashion_mnist'), if it has one. */
export function undashed(word: string): string | undefined {
  const under = word.replace(/-/g, '_');
  if (VOCABULARY_NAMES.has(under)) return under;
  const foreign = FOREIGN_NAMES[under.toLowerCase()];
  return foreign !== undefined && VOCABULARY_NAMES.has(foreign) ? foreign : undefined;
}
