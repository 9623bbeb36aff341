// The values the language computes with. Every value remembers where it was written (its origin), so an error
// found where it is used ("unknown init 'skipint'") can point at the text that produced it.
import type { Span } from './span';

export interface Origin {
  readonly span: Span;
  /** The source the span is in: the spec file, or `--set name` for an override. */
  readonly file: string;
}

export type Value =
  | { readonly kind: 'number'; readonly value: number; readonly origin: Origin }
  | { readonly kind: 'bool'; readonly value: boolean; readonly origin: Origin }
  | { readonly kind: 'string'; readonly value: string; readonly origin: Origin }
  /** A bare word that no let or parameter binds: a vocabulary name such as he, bn or mnist. */
  | { readonly kind: 'symbol'; readonly name: string; readonly origin: Origin }
  | { readonly kind: 'shape'; readonly dims: readonly number[]; readonly origin: Origin }
  | { readonly kind: 'list'; readonly items: readonly Value[]; readonly origin: Origin }
  /** A user block with its arguments, as in `branch=bottleneck(256, stride=2)`. */
  | { readonly kind: 'block'; readonly name: string; readonly args: readonly BlockArg[]; readonly origin: Origin };

export interface BlockArg {
  readonly key?: string;
  readonly value: Value;
  readonly span: Span;
}

/** The number as the formatter and messages print it: integers plainly, others with up to 12 significant digits. */
export function formatNumber(n: number): string {
  if (Number.isInteger(n) && Math.abs(n) < 1e21) return String(n);
  const s = String(Number(n.toPrecision(12)));
  return s;
}

/** The number as spec source that reads back exactly (JavaScript's shortest round-trip form). */
export function numberToSource(n: number): string {
  return String(n);
}

/** Value in words, for messages: "the number 3.5", "the name 'he'", "the shape 1x28x28". */
export function describeValue(v: Value): string {
  switch (v.kind) {
    case 'number':
      return `the number ${formatNumber(v.value)}`;
    case 'bool':
      return `the boolean ${v.value}`;
    case 'string':
      return `the string ${JSON.stringify(v.value)}`;
    case 'symbol':
      return `the name '${v.name}'`;
    case 'shape':
      return `the shape ${v.dims.join('x')}`;
    case 'list':
      return `a list of ${v.items.length} value${v.items.length === 1 ? '' : 's'}`;
    case 'block':
      return `the block '${v.name}'`;
  }
}

/** The value as source text (used to print sweep cells and to pass them back as overrides). */
export function valueToSource(v: Value): string {
  switch (v.kind) {
    case 'number':
      return numberToSource(v.value);
    case 'bool':
      return String(v.value);
    case 'string':
      return JSON.stringify(v.value);
    case 'symbol':
      return v.name;
    case 'shape':
      return v.dims.join('x');
    case 'list':
      return `[${v.items.map(valueToSource).join(', ')}]`;
    case 'block': {
      const args = v.args.map((a) => (a.key ? `${a.key}=${valueToSource(a.value)}` : valueToSource(a.value)));
      return `${v.name}(${args.join(', ')})`;
    }
  }
}

/** Plain data for the study record: numbers, booleans, names and strings; shapes as "1x28x28"; lists as arrays. */
export type PlainValue = number | boolean | string | PlainValue[];

export function toPlain(v: Value): PlainValue {
  switch (v.kind) {
    case 'number':
    case 'bool':
    case 'string':
      return v.value;
    case 'symbol':
      return v.name;
    case 'shape':
      return v.dims.join('x');
    case 'list':
      return v.items.map(toPlain);
    case 'block':
      return valueToSource(v);
  }
}
