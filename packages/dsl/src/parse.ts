// Source text -> AST plus every lexing and parsing diagnostic. Never throws: pathological inputs (huge files,
// brackets nested thousands deep) stop at a stated limit before the recursive-descent parser could overflow.
import { EOF } from 'chevrotain';
import type { IRecognitionException, IToken } from 'chevrotain';
import type { Comment, SpecFile, Statement } from './ast';
import { CstToAst } from './cst-to-ast';
import { error } from './diagnostic';
import type { Diagnostic, DiagnosticCode } from './diagnostic';
import { CODE_SEPARATOR, specParser } from './parser';
import type { Span } from './span';
import { LineIndex } from './span';
import { specLexer } from './tokens';

/** The largest source the compiler reads, in characters. A 1000-line spec is about 40 000. */
export const MAX_SOURCE_CHARS = 1_000_000;
/** How deep (), [] and {} may nest. */
export const MAX_BRACKET_DEPTH = 64;

export interface ParseResult {
  readonly ast: SpecFile;
  readonly errors: Diagnostic[];
}

const OPENERS: Readonly<Record<string, string>> = Object.assign(Object.create(null), { '{': '}', '(': ')', '[': ']' });
const CLOSERS = new Set(['}', ')', ']']);

function tokSpan(t: IToken): Span {
  return { start: t.startOffset, end: (t.endOffset ?? t.startOffset) + 1 };
}

export function parse(source: string, file = '<input>'): ParseResult {
  const empty = (errors: Diagnostic[]): ParseResult => ({
    ast: { statements: [], comments: [], span: { start: 0, end: source.length } },
    errors,
  });
  if (source.length > MAX_SOURCE_CHARS) {
    return empty([
      error(
        'limit/source-size',
        `the file has ${source.length} characters; the limit is ${MAX_SOURCE_CHARS}`,
        { start: 0, end: 0 },
        file,
      ),
    ]);
  }
  const errors: Diagnostic[] = [];
  const lexed = specLexer.tokenize(source);
  for (const e of lexed.errors) {
    const ch = source.slice(e.offset, e.offset + e.length);
    const shown = ch.length === 1 ? `'${ch}'` : `'${ch}' (${ch.length} characters)`;
    const hint = ch === "'" ? '; strings use double quotes' : ch === ':' ? "; a value is given with '=', as in lr=0.1 or lr = [0.1, 0.2]" : '';
    errors.push(
      error('lex/unexpected-character', `unexpected character ${shown}${hint}`, { start: e.offset, end: e.offset + e.length }, file),
    );
  }
  for (const t of lexed.tokens) {
    if (t.tokenType.name === 'BadNumber') {
      errors.push(error('lex/bad-number', `'${t.image}' is not a number`, tokSpan(t), file));
    } else if (t.tokenType.name === 'BadString') {
      errors.push(error('lex/unterminated-string', 'this string has no closing \'"\' on its line', tokSpan(t), file));
    }
  }

  // Nesting: deeper than MAX_NESTING is refused before parsing (the parser recurses once per level).
  let depth = 0;
  for (const t of lexed.tokens) {
    if (OPENERS[t.image] !== undefined) {
      depth++;
      if (depth > MAX_BRACKET_DEPTH) {
        errors.push(error('limit/nesting', `brackets nest more than ${MAX_BRACKET_DEPTH} deep here`, tokSpan(t), file));
        return { ...empty(errors), errors: sortDiagnostics(errors) };
      }
    } else if (CLOSERS.has(t.image)) depth = Math.max(0, depth - 1);
  }

  const parser = specParser();
  parser.input = lexed.tokens;
  const cst = parser.file();
  const unclosed = unclosedOpeners(lexed.tokens);
  for (const e of parser.errors) errors.push(toDiagnostic(e, lexed.tokens, source, file, unclosed));

  const visitor = new CstToAst(file, source.length);
  const statements: Statement[] = visitor.fileStatements(cst);
  errors.push(...visitor.diagnostics);

  const lines = new LineIndex(source);
  const comments: Comment[] = (lexed.groups.comments ?? []).map((t) => ({
    text: t.image,
    span: tokSpan(t),
    line: lines.position(t.startOffset).line,
  }));
  return {
    ast: { statements, comments, span: { start: 0, end: source.length } },
    errors: sortDiagnostics(dedupe(errors)),
  };
}

/** The openers left unclosed at the end of input, innermost last. */
function unclosedOpeners(tokens: IToken[]): IToken[] {
  const stack: IToken[] = [];
  for (const t of tokens) {
    if (OPENERS[t.image] !== undefined) stack.push(t);
    else if (CLOSERS.has(t.image)) {
      const i = stack.map((o) => OPENERS[o.image]).lastIndexOf(t.image);
      if (i >= 0) stack.length = i;
    }
  }
  return stack;
}

function toDiagnostic(
  e: IRecognitionException,
  tokens: IToken[],
  source: string,
  file: string,
  unclosed: IToken[],
): Diagnostic {
  const [codePart, ...rest] = e.message.split(CODE_SEPARATOR);
  const hasCode = rest.length > 0;
  const code = (hasCode ? codePart : 'parse/unexpected-token') as DiagnosticCode;
  const message = hasCode ? rest.join(CODE_SEPARATOR) : e.message;
  const t = e.token;
  const atEnd = !t || t.tokenType === EOF || !Number.isFinite(t.startOffset);
  if (code === 'parse/unclosed' && atEnd && unclosed.length > 0) {
    const opener = unclosed[unclosed.length - 1];
    const closer = OPENERS[opener.image];
    return error(code, `'${opener.image}' is never closed: expected '${closer}' before the end of the file`, tokSpan(opener), file);
  }
  if (atEnd) {
    // Point just after the last real token (the place where something is missing).
    const last = [...tokens].reverse().find((x) => Number.isFinite(x.startOffset));
    const at = last ? (last.endOffset ?? last.startOffset) + 1 : source.length;
    return error(code, message, { start: at, end: at }, file);
  }
  const closer = /^expected '([)\]])'/.exec(message)?.[1];
  if (closer) {
    const opener = innermostOpenerBefore(tokens, t.startOffset, closer === ')' ? '(' : '[');
    if (opener) {
      const p = new LineIndex(source).position(opener.startOffset);
      return error(code, message, tokSpan(t), file, {
        notes: [`to close the '${opener.image}' at ${p.line}:${p.column}`],
      });
    }
  }
  return error(code, message, tokSpan(t), file);
}

function innermostOpenerBefore(tokens: IToken[], offset: number, image: string): IToken | undefined {
  const stack: IToken[] = [];
  for (const t of tokens) {
    if (t.startOffset >= offset) break;
    if (OPENERS[t.image] !== undefined) stack.push(t);
    else if (CLOSERS.has(t.image)) stack.pop();
  }
  for (let i = stack.length - 1; i >= 0; i--) if (stack[i].image === image) return stack[i];
  return undefined;
}

function dedupe(ds: Diagnostic[]): Diagnostic[] {
  const seen = new Set<string>();
  return ds.filter((d) => {
    // One message per place: recovery can report the same mistake twice (a missing ')' then a missing end of line).
    const k = `${d.span.start}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

export function sortDiagnostics(ds: Diagnostic[]): Diagnostic[] {
  return [...ds].sort((a, b) => a.span.start - b.span.start || a.span.end - b.span.end);
}
