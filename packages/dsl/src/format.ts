// The formatter: canonical source from the syntax tree, comments kept.
//
// - one statement per line, two spaces of indentation per level, `{` on the statement's line, `}` alone;
//   a body written on one line with at most one simple statement and no comment stays on one line
//   (`stage width=32, blocks=4 { resblock init=skipinit }`);
// - `head x N, opt=value`, arguments separated by ', ', except two positional ones written with a space
//   between them (`pool avg 2`), which stay so;
// - one space around `=` in let and sweep lines, none in options; one space around + - * /; `[a, b]`;
// - numbers, shapes and strings as written (5e-4 stays 5e-4), parentheses as written;
// - blank lines kept (at most one in a row), none at the start or end of a body;
// - a comment on its own line stays on its own line; a comment at the end of a line stays there (comments
//   inside a statement that spanned several lines move to the end of its line), and the end-of-line
//   comments of consecutive lines start in one column, as gofmt aligns them.
// Only source that parses is formatted; otherwise the syntax errors come back.
import type { Arg, Body, Comment, Expr, SpecFile, Statement } from './ast';
import type { Diagnostic } from './diagnostic';
import { parse } from './parse';
import { LineIndex } from './span';

export interface FormatResult {
  /** The canonical source; null when the source does not parse. */
  readonly text: string | null;
  /** Syntax errors (only lexing and parsing problems stop the formatter). */
  readonly errors: Diagnostic[];
  /** Whether `text` differs from the input. */
  readonly changed: boolean;
}

const INDENT = '  ';

export function format(source: string, options: { file?: string } = {}): FormatResult {
  const p = parse(source, options.file ?? '<input>');
  if (p.errors.length > 0) return { text: null, errors: p.errors, changed: false };
  const text = new Printer(source, p.ast).print();
  return { text, errors: [], changed: text !== source };
}

/** Prints an expression in canonical form (also used by messages and the sweep). */
export function formatExpr(e: Expr): string {
  switch (e.kind) {
    case 'number':
    case 'shape':
    case 'string':
      return e.text;
    case 'name':
      return e.name;
    case 'unary':
      return `${e.op}${formatExpr(e.operand)}`;
    case 'binary':
      return `${formatExpr(e.left)} ${e.op} ${formatExpr(e.right)}`;
    case 'paren':
      return `(${formatExpr(e.inner)})`;
    case 'call':
      return `${e.callee.text}(${e.args.map(formatArg).join(', ')})`;
    case 'list':
      return `[${e.items.map(formatExpr).join(', ')}]`;
    case 'error':
      return '';
  }
}

function formatArg(a: Arg): string {
  return a.key ? `${a.key.text}=${formatExpr(a.value)}` : formatExpr(a.value);
}

/** A positional argument printed after another with only a space must not glue onto it: `a -1` is `a - 1`. */
function safeAfterSpace(e: Expr): boolean {
  return e.kind !== 'unary' && e.kind !== 'paren' && !(e.kind === 'binary' && startsGlued(e));
}

function startsGlued(e: Expr): boolean {
  let x: Expr = e;
  while (x.kind === 'binary') x = x.left;
  return x.kind === 'unary' || x.kind === 'paren';
}

/** The statement's line without its body. */
export function formatHeader(s: Statement): string {
  switch (s.kind) {
    case 'let':
      return `let ${s.name.text} = ${formatExpr(s.value)}`;
    case 'assign':
      return `${s.name.text} = ${formatExpr(s.value)}`;
    case 'block': {
      const params = s.params.map((p) => (p.default ? `${p.name.text}=${formatExpr(p.default)}` : p.name.text));
      return `block ${s.name.text}(${params.join(', ')})`;
    }
    case 'command': {
      let out = s.head.text;
      if (s.repeat) out += ` x ${formatExpr(s.repeat)}`;
      s.args.forEach((a, i) => {
        const prev = s.args[i - 1];
        const spaced = i === 0 ? !s.repeat : !!a.juxtaposed && !prev.key && !a.key && safeAfterSpace(a.value);
        out += `${spaced ? ' ' : ', '}${formatArg(a)}`;
      });
      return out;
    }
  }
}

interface Line {
  readonly code: string;
  /** The end-of-line comment, '#' included; '' for none. */
  readonly comment: string;
}

/** Joins lines, aligning the end-of-line comments of each run of consecutive commented lines. */
function render(lines: readonly Line[]): string {
  const out: string[] = [];
  let i = 0;
  while (i < lines.length) {
    if (!lines[i].comment || lines[i].code === '') {
      out.push(lines[i].comment && lines[i].code === '' ? lines[i].comment : lines[i].code);
      i++;
      continue;
    }
    // A run: consecutive commented lines at one indentation, none of them opening or closing a body.
    const indent = (l: Line): number => l.code.length - l.code.trimStart().length;
    const inRun = (l: Line): boolean => !!l.comment && l.code.trim() !== '' && !l.code.endsWith('{') && !l.code.trimStart().startsWith('}');
    if (!inRun(lines[i])) {
      out.push(`${lines[i].code}  ${lines[i].comment}`);
      i++;
      continue;
    }
    let j = i;
    while (j < lines.length && inRun(lines[j]) && indent(lines[j]) === indent(lines[i])) j++;
    const column = Math.max(...lines.slice(i, j).map((l) => l.code.length)) + 2;
    for (let k = i; k < j; k++) out.push(lines[k].code.padEnd(column) + lines[k].comment);
    i = j;
  }
  return out.join('\n');
}

class Printer {
  private readonly lines: Line[] = [];
  private readonly index: LineIndex;
  private readonly comments: readonly Comment[];
  private next = 0;
  /** Source line where the last printed element ended (for keeping blank lines). */
  private lastLine = 0;

  constructor(
    private readonly source: string,
    private readonly ast: SpecFile,
  ) {
    this.index = new LineIndex(source);
    this.comments = ast.comments;
  }

  print(): string {
    this.statements(this.ast.statements, 0, this.source.length, true);
    return this.lines.length === 0 ? '' : `${render(this.lines)}\n`;
  }

  private line(offset: number): number {
    return this.index.position(offset).line;
  }

  /** A blank line before an element starting at `offset` if the source had one (never first in a body). */
  private gap(offset: number, first: boolean): void {
    if (!first && this.line(offset) > this.lastLine + 1) this.lines.push({ code: '', comment: '' });
  }

  private emit(indent: number, code: string, comment = ''): void {
    this.lines.push({ code: `${INDENT.repeat(indent)}${code}`, comment });
  }

  /** Comments before `end` go on their own lines (leading comments, or those dangling before a '}'). */
  private ownLineComments(end: number, indent: number, first: { v: boolean }): void {
    while (this.next < this.comments.length && this.comments[this.next].span.start < end) {
      const c = this.comments[this.next++];
      this.gap(c.span.start, first.v);
      // An own-line comment: code holds it, so it never aligns with end-of-line comments.
      this.emit(indent, c.text);
      this.lastLine = c.line;
      first.v = false;
    }
  }

  /** Comments before `end`, and those on line `line` before `limit`, joined for the end of a line. */
  private trailing(end: number, line: number, limit: number): string {
    const parts: string[] = [];
    while (this.next < this.comments.length) {
      const c = this.comments[this.next];
      if (c.span.start < end || (c.line === line && c.span.start < limit)) {
        parts.push(c.text);
        this.next++;
      } else break;
    }
    return parts.join(' ');
  }

  private statements(list: readonly Statement[], indent: number, end: number, topLevel: boolean): void {
    const first = { v: true };
    list.forEach((s, i) => {
      this.ownLineComments(s.span.start, indent, first);
      this.gap(s.span.start, first.v);
      first.v = false;
      const limit = i + 1 < list.length ? list[i + 1].span.start : end;
      this.statement(s, indent, limit);
    });
    this.ownLineComments(end, indent, first);
    void topLevel;
  }

  private statement(s: Statement, indent: number, limit: number): void {
    const header = formatHeader(s);
    const body: Body | undefined = s.kind === 'block' ? s.body : s.kind === 'command' ? s.body : undefined;
    if (!body) {
      const endLine = this.line(Math.max(s.span.start, s.span.end - 1));
      this.emit(indent, header, this.trailing(s.span.end, endLine, limit));
      this.lastLine = endLine;
      return;
    }
    const open = body.span.start;
    const close = Math.max(open, body.span.end - 1);
    const openLine = this.line(open);
    const closeLine = this.line(close);
    const inner = body.statements;
    const commentInside = this.next < this.comments.length && this.comments[this.next].span.start < close;
    const simple = inner.length <= 1 && inner.every((x) => !(x.kind === 'block' || (x.kind === 'command' && x.body)));
    if (openLine === closeLine && simple && !commentInside) {
      const text = inner.length === 0 ? `${header} {}` : `${header} { ${formatHeader(inner[0])} }`;
      this.emit(indent, text, this.trailing(s.span.end, closeLine, limit));
      this.lastLine = closeLine;
      return;
    }
    const firstInner = inner.length > 0 ? inner[0].span.start : close;
    this.emit(indent, `${header} {`, this.trailing(open, openLine, firstInner));
    this.lastLine = openLine;
    this.statements(inner, indent + 1, close, false);
    this.emit(indent, '}', this.trailing(close + 1, closeLine, limit));
    this.lastLine = closeLine;
  }
}
