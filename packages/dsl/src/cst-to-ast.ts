// The visitor: chevrotain's concrete syntax tree -> our AST (ast.ts), spans on every node. It also reports the
// separator mistakes the grammar deliberately lets through (a missing or doubled ',' inside (), [] and between
// arguments), so each gets one precise message. It must accept the partial trees of recovered parses.
import type { CstElement, CstNode, IToken } from 'chevrotain';
import type { Arg, Body, Expr, Name, Param, Statement } from './ast';
import { error } from './diagnostic';
import type { Diagnostic } from './diagnostic';
import { cover } from './span';
import type { Span } from './span';

function isToken(x: CstElement): x is IToken {
  return (x as IToken).image !== undefined;
}

function real(t: IToken | undefined): t is IToken {
  return t !== undefined && !t.isInsertedInRecovery && Number.isFinite(t.startOffset);
}

function tokenSpan(t: IToken): Span {
  return { start: t.startOffset, end: (t.endOffset ?? t.startOffset) + 1 };
}

function tokens(node: CstNode, key: string): IToken[] {
  return ((node.children[key] ?? []) as CstElement[]).filter(isToken);
}

function nodes(node: CstNode, key: string): CstNode[] {
  return ((node.children[key] ?? []) as CstElement[]).filter((x): x is CstNode => !isToken(x));
}

const spans = new WeakMap<CstNode, Span | null>();

/** The span of every real token under a node, or undefined when recovery left it empty (memoised: O(n)). */
function nodeSpan(node: CstNode): Span | undefined {
  // Chevrotain tracks node offsets while parsing; only nodes touched by error recovery need the walk below.
  const loc = node.location;
  if (!node.recoveredNode && loc && Number.isFinite(loc.startOffset) && Number.isFinite(loc.endOffset)) {
    return { start: loc.startOffset, end: loc.endOffset! + 1 };
  }
  const known = spans.get(node);
  if (known !== undefined) return known ?? undefined;
  let start = Infinity;
  let end = -Infinity;
  for (const list of Object.values(node.children)) {
    for (const c of list as CstElement[]) {
      if (isToken(c)) {
        if (real(c)) {
          start = Math.min(start, c.startOffset);
          end = Math.max(end, (c.endOffset ?? c.startOffset) + 1);
        }
      } else {
        const s = nodeSpan(c);
        if (s) {
          start = Math.min(start, s.start);
          end = Math.max(end, s.end);
        }
      }
    }
  }
  const result = start <= end ? { start, end } : undefined;
  spans.set(node, result ?? null);
  return result;
}

/** Ordered children of a node: the tokens and subrules in source order (recovered ones dropped). */
function ordered(node: CstNode, keys: string[]): { key: string; el: CstElement; span: Span }[] {
  const out: { key: string; el: CstElement; span: Span }[] = [];
  for (const key of keys) {
    for (const el of (node.children[key] ?? []) as CstElement[]) {
      const s = isToken(el) ? (real(el) ? tokenSpan(el) : undefined) : nodeSpan(el);
      if (s) out.push({ key, el, span: s });
    }
  }
  return out.sort((a, b) => a.span.start - b.span.start);
}

const unquote = (text: string): string => {
  const body = text.startsWith('"') ? text.slice(1, text.endsWith('"') && text.length > 1 ? -1 : undefined) : text;
  return body.replace(/\\(.)/g, (_, c: string) => (c === 'n' ? '\n' : c === 't' ? '\t' : c));
};

/** Deepest expression tree accepted (evaluation and printing recurse once per level). */
export const MAX_EXPRESSION_DEPTH = 200;

export class CstToAst {
  readonly diagnostics: Diagnostic[] = [];
  private readonly depth = new WeakMap<Expr, number>();
  private reportedDepth = false;

  /** Records an expression's depth; past the limit it becomes an error node (reported once). */
  private deep(e: Expr, children: readonly Expr[]): Expr {
    let d = 0;
    for (const c of children) d = Math.max(d, this.depth.get(c) ?? 0);
    d += 1;
    if (d > MAX_EXPRESSION_DEPTH) {
      if (!this.reportedDepth) {
        this.reportedDepth = true;
        this.diagnostics.push(
          error('limit/nesting', `this expression nests more than ${MAX_EXPRESSION_DEPTH} operations deep`, e.span, this.file),
        );
      }
      return { kind: 'error', span: e.span };
    }
    this.depth.set(e, d);
    return e;
  }

  constructor(
    private readonly file: string,
    private readonly length: number,
  ) {}

  fileStatements(node: CstNode): Statement[] {
    const out: Statement[] = [];
    for (const item of ordered(node, ['statement', 'strayBrace'])) {
      if (isToken(item.el)) {
        this.diagnostics.push(
          error('parse/unexpected-token', "unexpected '}': there is no '{' to close", item.span, this.file),
        );
      } else {
        const s = this.statement(item.el);
        if (s) out.push(s);
      }
    }
    return out;
  }

  private statement(node: CstNode): Statement | undefined {
    const [letNode] = nodes(node, 'letStatement');
    if (letNode) return this.letStatement(letNode);
    const [blockNode] = nodes(node, 'blockStatement');
    if (blockNode) return this.blockStatement(blockNode);
    const [assignNode] = nodes(node, 'assignStatement');
    if (assignNode) return this.assignStatement(assignNode);
    const [commandNode] = nodes(node, 'command');
    if (commandNode) return this.command(commandNode);
    return undefined;
  }

  private name(t: IToken | undefined): Name | undefined {
    return real(t) ? { text: t.image, span: tokenSpan(t) } : undefined;
  }

  private letStatement(node: CstNode): Statement | undefined {
    const name = this.name(tokens(node, 'Identifier')[0]);
    const span = nodeSpan(node);
    if (!name || !span) return undefined;
    const value = this.expressionOr(nodes(node, 'expression')[0], span.end);
    return { kind: 'let', name, value, span: cover(span, value.span) };
  }

  private assignStatement(node: CstNode): Statement | undefined {
    const name = this.name(tokens(node, 'Identifier')[0]);
    const span = nodeSpan(node);
    if (!name || !span) return undefined;
    const value = this.expressionOr(nodes(node, 'expression')[0], span.end);
    return { kind: 'assign', name, value, span: cover(span, value.span) };
  }

  private blockStatement(node: CstNode): Statement | undefined {
    const name = this.name(tokens(node, 'Identifier')[0]);
    const span = nodeSpan(node);
    if (!name || !span) return undefined;
    const params: Param[] = [];
    const lparen = tokens(node, 'LParen')[0];
    const items = ordered(node, ['Comma', 'param']);
    this.checkSeparators(items, 'param', real(lparen) ? tokenSpan(lparen).end : name.span.end, 'parameter');
    for (const item of items) {
      if (item.key !== 'param' || isToken(item.el)) continue;
      const p = this.param(item.el);
      if (p) params.push(p);
    }
    const body = this.body(nodes(node, 'body')[0], span.end);
    return { kind: 'block', name, params, body, span };
  }

  private param(node: CstNode): Param | undefined {
    const name = this.name(tokens(node, 'Identifier')[0]);
    const span = nodeSpan(node);
    if (!name || !span) return undefined;
    const e = nodes(node, 'expression')[0];
    const def = e || tokens(node, 'Equals').length > 0 ? this.expressionOr(e, span.end) : undefined;
    return def ? { name, default: def, span: cover(span, def.span) } : { name, span };
  }

  private command(node: CstNode): Statement | undefined {
    const head = this.name(tokens(node, 'head')[0]);
    const span = nodeSpan(node);
    if (!head || !span) return undefined;
    const times = tokens(node, 'Times')[0];
    const repeatNode = nodes(node, 'repeat')[0];
    const repeat = real(times) ? this.expressionOr(repeatNode, tokenSpan(times).end) : undefined;
    // Arguments: a comma is needed after `x N` and between two arguments unless both are positional.
    const args: Arg[] = [];
    let prev: Arg | undefined;
    let commaBefore = false;
    for (const item of ordered(node, ['Comma', 'arg'])) {
      if (isToken(item.el)) {
        if (commaBefore || (!prev && !repeat)) {
          this.diagnostics.push(
            error('parse/extra-comma', `unexpected ',' ${prev ? 'after another' : `after '${head.text}'`}`, item.span, this.file),
          );
        }
        commaBefore = true;
        continue;
      }
      const a = this.arg(item.el);
      if (!a) continue;
      const needsComma = prev ? prev.key !== undefined || a.key !== undefined : repeat !== undefined;
      if (needsComma && !commaBefore) {
        const what = a.key ? `option '${a.key.text}'` : 'the argument';
        this.diagnostics.push(
          error('parse/missing-comma', `missing ',' before ${what}`, { start: a.span.start, end: a.span.start + 1 }, this.file),
        );
      }
      const juxtaposed = prev !== undefined && !commaBefore;
      args.push(juxtaposed ? { ...a, juxtaposed } : a);
      prev = a;
      commaBefore = false;
    }
    const bodyNode = nodes(node, 'body')[0];
    const body = bodyNode ? this.body(bodyNode, span.end) : undefined;
    return {
      kind: 'command',
      head,
      ...(repeat ? { repeat } : {}),
      args,
      ...(body ? { body } : {}),
      span,
    };
  }

  private arg(node: CstNode): Arg | undefined {
    const span = nodeSpan(node);
    if (!span) return undefined;
    const key = tokens(node, 'key').length > 0 ? this.name(tokens(node, 'key')[0]) : undefined;
    const value = this.expressionOr(nodes(node, 'expression')[0], span.end);
    return key ? { key, value, span: cover(span, value.span) } : { value, span: cover(span, value.span) };
  }

  private body(node: CstNode | undefined, fallback: number): Body {
    if (!node) return { statements: [], span: { start: fallback, end: fallback } };
    const span = nodeSpan(node) ?? { start: fallback, end: fallback };
    const statements: Statement[] = [];
    for (const s of nodes(node, 'statement')) {
      const st = this.statement(s);
      if (st) statements.push(st);
    }
    return { statements, span };
  }

  /** An expression, or an error placeholder at `at` when recovery left none (its error is already reported). */
  private expressionOr(node: CstNode | undefined, at: number): Expr {
    const e = node ? this.expression(node) : undefined;
    const pos = Math.min(at, this.length);
    return e ?? { kind: 'error', span: { start: pos, end: pos } };
  }

  private expression(node: CstNode): Expr | undefined {
    return this.fold(node, 'term', ['Plus', 'Minus'], (n) => this.term(n));
  }

  private term(node: CstNode): Expr | undefined {
    return this.fold(node, 'unary', ['Star', 'Slash'], (n) => this.unary(n));
  }

  private fold(
    node: CstNode,
    operandKey: string,
    opKeys: string[],
    visit: (n: CstNode) => Expr | undefined,
  ): Expr | undefined {
    const operands = nodes(node, operandKey);
    const ops = ordered(node, opKeys);
    let acc = operands[0] ? visit(operands[0]) : undefined;
    if (!acc) return undefined;
    for (let i = 0; i < ops.length; i++) {
      const opTok = ops[i].el as IToken;
      const rightNode = operands[i + 1];
      const right = (rightNode ? visit(rightNode) : undefined) ?? {
        kind: 'error' as const,
        span: { start: ops[i].span.end, end: ops[i].span.end },
      };
      acc = this.deep(
        { kind: 'binary', op: opTok.image as '+' | '-' | '*' | '/', left: acc, right, span: cover(acc.span, right.span) },
        [acc, right],
      );
    }
    return acc;
  }

  private unary(node: CstNode): Expr | undefined {
    const ops = ordered(node, ['Minus', 'Plus']);
    const primaryNode = nodes(node, 'primary')[0];
    const end = ops.length > 0 ? ops[ops.length - 1].span.end : (nodeSpan(node)?.end ?? 0);
    let e: Expr | undefined = primaryNode ? this.primary(primaryNode) : undefined;
    if (!e) {
      if (ops.length === 0) return undefined;
      e = { kind: 'error', span: { start: end, end } };
    }
    for (let i = ops.length - 1; i >= 0; i--) {
      const op = (ops[i].el as IToken).image as '-' | '+';
      e = this.deep({ kind: 'unary', op, operand: e, span: cover(ops[i].span, e.span) }, [e]);
    }
    return e;
  }

  private primary(node: CstNode): Expr | undefined {
    const tok =
      tokens(node, 'NumberLit')[0] ?? tokens(node, 'ShapeLit')[0] ?? tokens(node, 'StringLit')[0] ?? tokens(node, 'Identifier')[0];
    if (tok) {
      if (!real(tok)) return undefined;
      const span = tokenSpan(tok);
      switch (tok.tokenType.name) {
        case 'Decimal':
        case 'BadNumber':
          return { kind: 'number', value: globalThis.Number(tok.image), text: tok.image, span };
        case 'ShapeLit':
          return { kind: 'shape', dims: tok.image.split('x').map((d) => globalThis.Number(d)), text: tok.image, span };
        case 'Quoted':
        case 'BadString':
          return { kind: 'string', value: unquote(tok.image), text: tok.image, span };
        default:
          return { kind: 'name', name: tok.image, span };
      }
    }
    const [callNode] = nodes(node, 'call');
    if (callNode) return this.call(callNode);
    const [parenNode] = nodes(node, 'paren');
    if (parenNode) {
      const span = nodeSpan(parenNode);
      if (!span) return undefined;
      const inner = this.expressionOr(nodes(parenNode, 'expression')[0], span.end);
      return this.deep({ kind: 'paren', inner, span }, [inner]);
    }
    const [listNode] = nodes(node, 'list');
    if (listNode) return this.list(listNode);
    return undefined;
  }

  private call(node: CstNode): Expr | undefined {
    const callee = this.name(tokens(node, 'Identifier')[0]);
    const span = nodeSpan(node);
    if (!callee || !span) return undefined;
    const lparen = tokens(node, 'LParen')[0];
    const items = ordered(node, ['Comma', 'arg']);
    this.checkSeparators(items, 'arg', real(lparen) ? tokenSpan(lparen).end : callee.span.end, 'argument');
    const args: Arg[] = [];
    for (const item of items) {
      if (item.key !== 'arg' || isToken(item.el)) continue;
      const a = this.arg(item.el);
      if (a) args.push(a);
    }
    return this.deep({ kind: 'call', callee, args, span }, args.map((a) => a.value));
  }

  private list(node: CstNode): Expr | undefined {
    const span = nodeSpan(node);
    if (!span) return undefined;
    const items = ordered(node, ['Comma', 'expression']);
    this.checkSeparators(items, 'expression', span.start + 1, 'item');
    const out: Expr[] = [];
    for (const item of items) {
      if (item.key !== 'expression' || isToken(item.el)) continue;
      const e = this.expression(item.el);
      if (e) out.push(e);
    }
    return this.deep({ kind: 'list', items: out, span }, out);
  }

  /** Inside (), [] items are separated by exactly one ',' (a trailing one is fine). */
  private checkSeparators(items: { key: string; el: CstElement; span: Span }[], itemKey: string, _open: number, what: string): void {
    let sawItem = false;
    let commaSinceItem = true;
    for (const it of items) {
      if (it.key === itemKey) {
        if (sawItem && !commaSinceItem) {
          this.diagnostics.push(
            error('parse/missing-comma', `missing ',' before this ${what}`, { start: it.span.start, end: it.span.start + 1 }, this.file),
          );
        }
        sawItem = true;
        commaSinceItem = false;
      } else if (commaSinceItem) {
        this.diagnostics.push(
          error('parse/extra-comma', sawItem ? "unexpected ',' after another ','" : `unexpected ',' before the first ${what}`, it.span, this.file),
        );
      } else {
        commaSinceItem = true;
      }
    }
  }
}
