// The grammar of the spec language: a pure chevrotain CstParser (no semantic actions), error recovery on.
//
//   file          := (Sep | statement | '}')*                        -- a stray '}' is kept and reported
//   statement     := (let | block | assign | command) terminator
//   terminator    := Sep | <before '}' or the end | after '}' | after ']' before another axis>
//   let           := 'let' Identifier '=' expression
//   block         := 'block' Identifier '(' (Newline | ',' | param)* ')' body
//   param         := Identifier ('=' expression)?
//   assign        := Identifier '=' expression                       -- sweep axes: init = [skipinit, he]
//   command       := Identifier ('x' expression)? ((',' Newline*)? arg)* body?
//   arg           := Identifier '=' expression | expression
//   body          := '{' (Sep | statement)* '}'
//   expression    := term (('+' | '-') term)*
//   term          := unary (('*' | '/') unary)*
//   unary         := ('-' | '+')* primary
//   primary       := number | shape | string | call | Identifier | '(' expression ')' | list
//   call          := Identifier '(' (Newline | ',' | arg)* ')'
//   list          := '[' (Newline | ',' | expression)* ']'
//
// Separators inside (), [] are checked by the visitor, which reports a missing or doubled ',' precisely.
// Between command arguments the comma may be left out only between two positional ones (`pool avg 2`).
import { CstParser, EMPTY_ALT, EOF } from 'chevrotain';
import type { CstNode, IParserErrorMessageProvider, IToken, TokenType } from 'chevrotain';
import {
  allTokens,
  Block,
  Comma,
  Equals,
  Identifier,
  LBrace,
  LBracket,
  Let,
  LParen,
  Minus,
  Newline,
  NumberLit,
  Plus,
  RBrace,
  RBracket,
  RParen,
  Sep,
  ShapeLit,
  Slash,
  Star,
  StringLit,
  Times,
} from './tokens';

/**
 * Messages are built here, where chevrotain knows the expected and the previous token, and carry their
 * diagnostic code in front: "parse/expected-token\u0000expected '}' ...". parse.ts splits them.
 */
export const CODE_SEPARATOR = '\u0000';

function describe(token: IToken): string {
  if (token.tokenType === EOF) return 'the end of the file';
  if (token.tokenType === Newline) return 'the end of the line';
  const image = token.image.length > 24 ? `${token.image.slice(0, 24)}...` : token.image;
  return `'${image}'`;
}

function label(t: TokenType): string {
  if (t === Sep) return 'a new line or \';\'';
  if (t === Identifier) return 'a name';
  if (t === EOF) return 'the end of the file';
  return t.LABEL ?? t.name;
}

const startsValue = (t: IToken): boolean =>
  [Identifier, NumberLit, ShapeLit, StringLit, LParen, LBracket, Minus, Plus].some(
    (k) => t.tokenType === k || (t.tokenType.CATEGORIES ?? []).includes(k),
  );

/** The first two tokens of the statement being parsed: only a command's arguments can miss a comma. */
let statementStart: [IToken | undefined, IToken | undefined] = [undefined, undefined];
const inCommand = (): boolean => statementStart[0]?.tokenType === Identifier && statementStart[1]?.tokenType !== Equals;

const messages: IParserErrorMessageProvider = {
  buildMismatchTokenMessage({ expected, actual, previous }) {
    if (expected === RBrace && actual.tokenType === EOF) {
      return `parse/unclosed${CODE_SEPARATOR}'{' is never closed: expected '}' before the end of the file`;
    }
    if ((expected === RParen || expected === RBracket) && actual.tokenType === EOF) {
      return `parse/unclosed${CODE_SEPARATOR}expected ${label(expected)} before the end of the file`;
    }
    if (expected === RBrace || expected === EOF) {
      return `parse/unexpected-token${CODE_SEPARATOR}unexpected ${describe(actual)}: expected a statement`;
    }
    if (expected === Identifier && actual.tokenType !== EOF && /^(let|block|x)$/.test(actual.image)) {
      return `parse/reserved-word${CODE_SEPARATOR}'${actual.image}' is a reserved word and cannot be used as a name`;
    }
    const after =
      previous && previous.tokenType !== EOF && previous.tokenType !== Newline && previous.image
        ? ` after ${describe(previous)}`
        : '';
    return `parse/expected-token${CODE_SEPARATOR}expected ${label(expected)}${after}, found ${describe(actual)}`;
  },
  buildNotAllInputParsedMessage({ firstRedundant }) {
    return `parse/unexpected-token${CODE_SEPARATOR}unexpected ${describe(firstRedundant)}: expected a statement`;
  },
  buildNoViableAltMessage({ actual, previous, ruleName }) {
    const found = actual[0];
    if (ruleName === 'terminator' && previous.tokenType === Equals) {
      return `parse/expected-value${CODE_SEPARATOR}expected a value after '=', found ${describe(found)}`;
    }
    if (ruleName === 'terminator') {
      if (found.tokenType === Times && (previous.tokenType.CATEGORIES ?? []).includes(NumberLit)) {
        return `parse/expected-end-of-statement${CODE_SEPARATOR}unexpected 'x': a repetition goes right after the layer name ('dense x 3, 128'), and a shape has no spaces (3x32x32)`;
      }
      if (found.tokenType === Times) {
        return `parse/expected-end-of-statement${CODE_SEPARATOR}unexpected 'x': a repetition goes right after the layer name, as in 'dense x 3, 128'`;
      }
      if (found.tokenType === Equals) {
        return `parse/expected-end-of-statement${CODE_SEPARATOR}unexpected '=': an option is a name followed by '=' (kernel=3)`;
      }
      if (startsValue(found) && inCommand()) {
        return `parse/missing-comma${CODE_SEPARATOR}missing ',' before ${describe(found)}`;
      }
      return `parse/expected-end-of-statement${CODE_SEPARATOR}expected a new line or ';' after ${describe(previous)}, found ${describe(found)}`;
    }
    if (ruleName === 'primary') {
      if (found.tokenType === EOF) return `parse/expected-value${CODE_SEPARATOR}expected a value, found the end of the file`;
      return `parse/expected-value${CODE_SEPARATOR}expected a value (a number, a name, a shape, a list) after ${describe(previous)}, found ${describe(found)}`;
    }
    return `parse/unexpected-token${CODE_SEPARATOR}unexpected ${describe(found)}`;
  },
  buildEarlyExitMessage({ actual, previous }) {
    return `parse/unexpected-token${CODE_SEPARATOR}unexpected ${describe(actual[0])} after ${describe(previous)}`;
  },
};

export class SpecParser extends CstParser {
  constructor() {
    super(allTokens, { recoveryEnabled: true, maxLookahead: 2, errorMessageProvider: messages, nodeLocationTracking: 'onlyOffset' });
    this.performSelfAnalysis();
  }

  public file = this.RULE('file', () => {
    this.MANY(() => {
      this.OR([
        { ALT: () => this.CONSUME(Sep) },
        { ALT: () => this.SUBRULE(this.statement) },
        { ALT: () => this.CONSUME(RBrace, { LABEL: 'strayBrace' }) },
      ]);
    });
  });

  public statement = this.RULE('statement', () => {
    this.ACTION(() => {
      statementStart = [this.LA(1), this.LA(2)];
    });
    this.OR([
      { ALT: () => this.SUBRULE(this.letStatement) },
      { ALT: () => this.SUBRULE(this.blockStatement) },
      { ALT: () => this.SUBRULE(this.assignStatement) },
      { ALT: () => this.SUBRULE(this.command) },
    ]);
    this.SUBRULE(this.terminator);
  });

  /**
   * A statement ends at a new line or ';', before a '}' or the end of input, and also where nothing else can
   * follow: after a '}' (`model m { ... } train { ... }`) and between sweep axes after a ']'
   * (`sweep { init = [skipinit, he]  lr = [0.01, 0.1] }`).
   */
  public terminator = this.RULE('terminator', () => {
    this.OR([
      { ALT: () => this.CONSUME(Sep) },
      {
        GATE: () => {
          const next = this.LA(1).tokenType;
          const prev = this.LA(0).tokenType;
          return (
            next === RBrace ||
            next === EOF ||
            (prev === RBrace && (next === Identifier || next === Let || next === Block)) ||
            (prev === RBracket && next === Identifier && this.LA(2).tokenType === Equals)
          );
        },
        ALT: EMPTY_ALT(),
      },
    ]);
  });

  public letStatement = this.RULE('letStatement', () => {
    this.CONSUME(Let);
    this.CONSUME(Identifier);
    this.CONSUME(Equals);
    this.SUBRULE(this.expression);
  });

  public blockStatement = this.RULE('blockStatement', () => {
    this.CONSUME(Block);
    this.CONSUME(Identifier);
    this.CONSUME(LParen);
    this.MANY(() => {
      this.OR([
        { ALT: () => this.CONSUME(Newline) },
        { ALT: () => this.CONSUME(Comma) },
        { ALT: () => this.SUBRULE(this.param) },
      ]);
    });
    this.CONSUME(RParen);
    this.SUBRULE(this.body);
  });

  public param = this.RULE('param', () => {
    this.CONSUME(Identifier);
    this.OPTION(() => {
      this.CONSUME(Equals);
      this.SUBRULE(this.expression);
    });
  });

  public assignStatement = this.RULE('assignStatement', () => {
    this.CONSUME(Identifier);
    this.CONSUME(Equals);
    this.SUBRULE(this.expression);
  });

  public command = this.RULE('command', () => {
    this.CONSUME(Identifier, { LABEL: 'head' });
    this.OPTION(() => {
      this.CONSUME(Times);
      this.SUBRULE(this.expression, { LABEL: 'repeat' });
    });
    this.MANY(() => {
      this.OPTION2(() => {
        this.CONSUME(Comma);
        this.MANY2(() => this.CONSUME(Newline));
      });
      this.SUBRULE(this.arg);
    });
    this.OPTION3(() => this.SUBRULE(this.body));
  });

  public arg = this.RULE('arg', () => {
    this.OPTION(() => {
      this.CONSUME(Identifier, { LABEL: 'key' });
      this.CONSUME(Equals);
    });
    this.SUBRULE(this.expression);
  });

  public body = this.RULE('body', () => {
    this.CONSUME(LBrace);
    this.MANY(() => {
      this.OR([{ ALT: () => this.CONSUME(Sep) }, { ALT: () => this.SUBRULE(this.statement) }]);
    });
    this.CONSUME(RBrace);
  });

  public expression = this.RULE('expression', () => {
    this.SUBRULE(this.term);
    this.MANY(() => {
      this.OR([{ ALT: () => this.CONSUME(Plus) }, { ALT: () => this.CONSUME(Minus) }]);
      this.SUBRULE2(this.term);
    });
  });

  public term = this.RULE('term', () => {
    this.SUBRULE(this.unary);
    this.MANY(() => {
      this.OR([{ ALT: () => this.CONSUME(Star) }, { ALT: () => this.CONSUME(Slash) }]);
      this.SUBRULE2(this.unary);
    });
  });

  public unary = this.RULE('unary', () => {
    this.MANY(() => {
      this.OR([{ ALT: () => this.CONSUME(Minus) }, { ALT: () => this.CONSUME(Plus) }]);
    });
    this.SUBRULE(this.primary);
  });

  public primary = this.RULE('primary', () => {
    this.OR([
      { ALT: () => this.CONSUME(NumberLit) },
      { ALT: () => this.CONSUME(ShapeLit) },
      { ALT: () => this.CONSUME(StringLit) },
      { ALT: () => this.SUBRULE(this.call) },
      { ALT: () => this.CONSUME(Identifier) },
      { ALT: () => this.SUBRULE(this.paren) },
      { ALT: () => this.SUBRULE(this.list) },
    ]);
  });

  public call = this.RULE('call', () => {
    this.CONSUME(Identifier);
    this.CONSUME(LParen);
    this.MANY(() => {
      this.OR([
        { ALT: () => this.CONSUME(Newline) },
        { ALT: () => this.CONSUME(Comma) },
        { ALT: () => this.SUBRULE(this.arg) },
      ]);
    });
    this.CONSUME(RParen);
  });

  public paren = this.RULE('paren', () => {
    this.CONSUME(LParen);
    this.MANY(() => this.CONSUME(Newline));
    this.SUBRULE(this.expression);
    this.MANY2(() => this.CONSUME2(Newline));
    this.CONSUME(RParen);
  });

  public list = this.RULE('list', () => {
    this.CONSUME(LBracket);
    this.MANY(() => {
      this.OR([
        { ALT: () => this.CONSUME(Newline) },
        { ALT: () => this.CONSUME(Comma) },
        { ALT: () => this.SUBRULE(this.expression) },
      ]);
    });
    this.CONSUME(RBracket);
  });
}

let instance: SpecParser | undefined;

/** The one parser instance (building it analyses the grammar, a few milliseconds; done on first use). */
export function specParser(): SpecParser {
  instance ??= new SpecParser();
  return instance;
}

export type { CstNode };
