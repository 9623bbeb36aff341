// The tokens of the spec language and its lexer. Pure chevrotain; nothing here is exported from the package.
//
// Newlines and ';' end statements, so they are tokens (category Sep). '#' comments go to their own group: the
// parser never sees them, the formatter puts them back. Malformed numbers and unterminated strings are real
// tokens in the NumberLit/StringLit categories, so the parser carries on; the lexing pass reports them.
import { createToken, Lexer } from 'chevrotain';
import type { TokenType } from 'chevrotain';

export const Identifier = createToken({ name: 'Identifier', pattern: /[A-Za-z_][A-Za-z0-9_]*/ });

/** Keywords. Everything else (model, train, conv, resblock, ...) is an identifier resolved by the compiler. */
export const Let = createToken({ name: 'Let', pattern: /let/, longer_alt: Identifier });
export const Block = createToken({ name: 'Block', pattern: /block/, longer_alt: Identifier });
export const Times = createToken({ name: 'Times', pattern: /x/, longer_alt: Identifier, label: "'x'" });

export const NumberLit = createToken({ name: 'NumberLit', pattern: Lexer.NA, label: 'a number' });
export const StringLit = createToken({ name: 'StringLit', pattern: Lexer.NA, label: 'a string' });

/** A shape literal such as 1x28x28 or 3x32x32 (digits joined by x, nothing glued after it). */
export const ShapeLit = createToken({
  name: 'ShapeLit',
  pattern: /\d+(?:x\d+)+(?![A-Za-z0-9_.])/,
  label: 'a shape',
});
export const Decimal = createToken({
  name: 'Decimal',
  pattern: /(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?(?![A-Za-z0-9_.])/,
  categories: [NumberLit],
  label: 'a number',
});
/** Digits glued to letters or extra dots (12abc, 1.2.3, 1e): reported by the lexing pass as lex/bad-number. */
export const BadNumber = createToken({
  name: 'BadNumber',
  pattern: /(?:\d|\.\d)[A-Za-z0-9_.]*/,
  categories: [NumberLit],
  label: 'a number',
});
export const Quoted = createToken({
  name: 'Quoted',
  pattern: /"(?:[^"\\\r\n]|\\.)*"/,
  categories: [StringLit],
  label: 'a string',
});
/** A string with no closing quote on its line: reported as lex/unterminated-string. */
export const BadString = createToken({
  name: 'BadString',
  pattern: /"(?:[^"\\\r\n]|\\.)*\\?/,
  categories: [StringLit],
  label: 'a string',
});

export const Sep = createToken({ name: 'Sep', pattern: Lexer.NA, label: 'a new line' });
export const Newline = createToken({
  name: 'Newline',
  pattern: /\r\n|\r|\n/,
  categories: [Sep],
  line_breaks: true,
  label: 'a new line',
});
export const Semicolon = createToken({ name: 'Semicolon', pattern: /;/, categories: [Sep], label: "';'" });

export const LBrace = createToken({ name: 'LBrace', pattern: /\{/, label: "'{'" });
export const RBrace = createToken({ name: 'RBrace', pattern: /\}/, label: "'}'" });
export const LParen = createToken({ name: 'LParen', pattern: /\(/, label: "'('" });
export const RParen = createToken({ name: 'RParen', pattern: /\)/, label: "')'" });
export const LBracket = createToken({ name: 'LBracket', pattern: /\[/, label: "'['" });
export const RBracket = createToken({ name: 'RBracket', pattern: /\]/, label: "']'" });
export const Comma = createToken({ name: 'Comma', pattern: /,/, label: "','" });
export const Equals = createToken({ name: 'Equals', pattern: /=/, label: "'='" });
export const Plus = createToken({ name: 'Plus', pattern: /\+/, label: "'+'" });
export const Minus = createToken({ name: 'Minus', pattern: /-/, label: "'-'" });
export const Star = createToken({ name: 'Star', pattern: /\*/, label: "'*'" });
export const Slash = createToken({ name: 'Slash', pattern: /\//, label: "'/'" });

export const Comment = createToken({ name: 'Comment', pattern: /#[^\r\n]*/, group: 'comments' });
export const WhiteSpace = createToken({ name: 'WhiteSpace', pattern: /[ \t\f\v\u00a0\ufeff]+/, group: Lexer.SKIPPED });

/** Lexing order matters: first match wins, so shapes before numbers before malformed numbers, keywords first. */
export const allTokens: TokenType[] = [
  WhiteSpace,
  Comment,
  Newline,
  Semicolon,
  ShapeLit,
  Decimal,
  BadNumber,
  Quoted,
  BadString,
  Let,
  Block,
  Times,
  Identifier,
  LBrace,
  RBrace,
  LParen,
  RParen,
  LBracket,
  RBracket,
  Comma,
  Equals,
  Plus,
  Minus,
  Star,
  Slash,
  NumberLit,
  StringLit,
  Sep,
];

/** The words the lexer reserves; they cannot name a `let`, a block or a parameter. */
export const KEYWORDS = ['let', 'block', 'x'] as const;

export const specLexer = new Lexer(allTokens, {
  positionTracking: 'full',
  ensureOptimizations: false,
});
