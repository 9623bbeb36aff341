// The syntax tree of a spec file: plain data with a span on every node. It says what was written, not what it
// means: `model`, `train`, `conv`, `resblock` are all `command` statements; the compiler gives them meaning.
import type { Span } from './span';

export interface Name {
  readonly text: string;
  readonly span: Span;
}

export type Expr =
  | NumberExpr
  | ShapeExpr
  | StringExpr
  | NameExpr
  | UnaryExpr
  | BinaryExpr
  | CallExpr
  | ListExpr
  | ParenExpr
  | ErrorExpr;

export interface NumberExpr {
  readonly kind: 'number';
  readonly value: number;
  /** The literal as written (the formatter keeps `5e-4` as `5e-4`). */
  readonly text: string;
  readonly span: Span;
}

export interface ShapeExpr {
  readonly kind: 'shape';
  readonly dims: readonly number[];
  readonly text: string;
  readonly span: Span;
}

export interface StringExpr {
  readonly kind: 'string';
  readonly value: string;
  readonly text: string;
  readonly span: Span;
}

export interface NameExpr {
  readonly kind: 'name';
  readonly name: string;
  readonly span: Span;
}

export interface UnaryExpr {
  readonly kind: 'unary';
  readonly op: '-' | '+';
  readonly operand: Expr;
  readonly span: Span;
}

export type BinaryOp = '+' | '-' | '*' | '/';

export interface BinaryExpr {
  readonly kind: 'binary';
  readonly op: BinaryOp;
  readonly left: Expr;
  readonly right: Expr;
  readonly span: Span;
}

/** `sqrt(depth)` (a built-in function) or `bottleneck(256, stride=2)` (a user block as a value). */
export interface CallExpr {
  readonly kind: 'call';
  readonly callee: Name;
  readonly args: readonly Arg[];
  readonly span: Span;
}

export interface ListExpr {
  readonly kind: 'list';
  readonly items: readonly Expr[];
  readonly span: Span;
}

/** Parentheses as written; kept so spans and the formatter see them (evaluation looks through them). */
export interface ParenExpr {
  readonly kind: 'paren';
  readonly inner: Expr;
  readonly span: Span;
}

/** What the parser recovered where an expression was missing; its error is already reported. */
export interface ErrorExpr {
  readonly kind: 'error';
  readonly span: Span;
}

/** A positional argument (`16`) or an option (`kernel=3`). */
export interface Arg {
  readonly key?: Name;
  readonly value: Expr;
  readonly span: Span;
  /** A command argument written right after another without a comma (`pool avg 2`); the formatter keeps it. */
  readonly juxtaposed?: boolean;
}

export type Statement = LetStatement | BlockStatement | AssignStatement | CommandStatement;

/** `let depth = 1000` */
export interface LetStatement {
  readonly kind: 'let';
  readonly name: Name;
  readonly value: Expr;
  readonly span: Span;
}

export interface Param {
  readonly name: Name;
  readonly default?: Expr;
  readonly span: Span;
}

/** `block bottleneck(width, stride=1) { ... }` */
export interface BlockStatement {
  readonly kind: 'block';
  readonly name: Name;
  readonly params: readonly Param[];
  readonly body: Body;
  readonly span: Span;
}

/** `init = [skipinit, he]` (a sweep axis). */
export interface AssignStatement {
  readonly kind: 'assign';
  readonly name: Name;
  readonly value: Expr;
  readonly span: Span;
}

/** Everything else: `head [x N] [args] [{ body }]`, e.g. `resblock x depth, init=skipinit` or `model m { ... }`. */
export interface CommandStatement {
  readonly kind: 'command';
  readonly head: Name;
  readonly repeat?: Expr;
  readonly args: readonly Arg[];
  readonly body?: Body;
  readonly span: Span;
}

export interface Body {
  readonly statements: readonly Statement[];
  /** From '{' to '}' inclusive. */
  readonly span: Span;
}

export interface SpecFile {
  readonly statements: readonly Statement[];
  readonly comments: readonly Comment[];
  readonly span: Span;
}

export interface Comment {
  /** The comment text including its '#'. */
  readonly text: string;
  readonly span: Span;
  readonly line: number;
}

/** Looks through parentheses. */
export function unparen(e: Expr): Expr {
  let x = e;
  while (x.kind === 'paren') x = x.inner;
  return x;
}
