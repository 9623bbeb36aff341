// The arithmetic of `let` and of option values: numbers with + - * / and parentheses, a few pure functions,
// names bound by `let` or block parameters, and bare vocabulary words. Nothing else is evaluated: no I/O, no
// loops, so evaluation always terminates. Errors are reported and give `undefined`; they never throw.
import { closestNames } from '@skipinit/graph';
import type { BlockStatement, Expr } from './ast';
import { dashedWord, undashed } from './dashed-word';
import { didYouMean } from './diagnostic';
import type { Reporter } from './reporter';
import type { Span } from './span';
import { describeValue, formatNumber } from './value';
import type { BlockArg, Origin, Value } from './value';

export interface Binding {
  /** undefined when the definition itself had an error (already reported; uses stay quiet). */
  readonly value: Value | undefined;
  /** Where the name is defined. */
  readonly defined: Origin;
  readonly kind: 'let' | 'param';
}

/** Lexical scope: a block's parameters and local lets over the file's lets. */
export class Scope {
  private readonly names = new Map<string, Binding>();

  constructor(readonly parent?: Scope) {}

  define(name: string, binding: Binding): void {
    this.names.set(name, binding);
  }

  /** This scope only (redefinition checks). */
  own(name: string): Binding | undefined {
    return this.names.get(name);
  }

  lookup(name: string): Binding | undefined {
    return this.names.get(name) ?? this.parent?.lookup(name);
  }

  /** Every visible name, innermost first. */
  visible(): string[] {
    const out = [...this.names.keys()];
    for (const n of this.parent?.visible() ?? []) if (!out.includes(n)) out.push(n);
    return out;
  }
}

/** The pure functions a spec may call, with their arity (min, max). */
export const FUNCTIONS: Record<string, { min: number; max: number; doc: string; fn: (xs: number[]) => number }> = {
  sqrt: { min: 1, max: 1, doc: 'square root (argument >= 0)', fn: ([x]) => Math.sqrt(x) },
  floor: { min: 1, max: 1, doc: 'round down to a whole number', fn: ([x]) => Math.floor(x) },
  ceil: { min: 1, max: 1, doc: 'round up to a whole number', fn: ([x]) => Math.ceil(x) },
  round: { min: 1, max: 1, doc: 'round to the nearest whole number (halves away from zero)', fn: ([x]) => Math.sign(x) * Math.round(Math.abs(x)) },
  abs: { min: 1, max: 1, doc: 'absolute value', fn: ([x]) => Math.abs(x) },
  min: { min: 1, max: Infinity, doc: 'smallest argument', fn: (xs) => Math.min(...xs) },
  max: { min: 1, max: Infinity, doc: 'largest argument', fn: (xs) => Math.max(...xs) },
  pow: { min: 2, max: 2, doc: 'pow(a, b) = a to the power b', fn: ([a, b]) => Math.pow(a, b) },
  log2: { min: 1, max: 1, doc: 'base-2 logarithm (argument > 0)', fn: ([x]) => Math.log2(x) },
};

export interface EvalContext {
  readonly reporter: Reporter;
  /** The file the expression is in (the spec or an override). */
  readonly file: string;
  /** User blocks by name (a call to one is a block value). */
  readonly blocks: ReadonlyMap<string, BlockStatement>;
  /** File-level lets defined after the current line: "defined later at 9:1" instead of "unknown". */
  readonly later?: ReadonlyMap<string, Span>;
}

const CONSTANTS: Record<string, boolean> = { true: true, false: false };

export function evaluate(expr: Expr, scope: Scope, ctx: EvalContext): Value | undefined {
  const origin: Origin = { span: expr.span, file: ctx.file };
  const fail = (code: Parameters<Reporter['report']>[0], message: string, extra = {}): undefined => {
    ctx.reporter.report(code, message, origin, extra);
    return undefined;
  };
  switch (expr.kind) {
    case 'error':
      return undefined;
    case 'number':
      if (Number.isNaN(expr.value)) return undefined; // a malformed literal, reported by the lexer
      if (!Number.isFinite(expr.value)) return fail('sem/number-overflow', `${expr.text} is too large for a float64`);
      return { kind: 'number', value: expr.value, origin };
    case 'string':
      return { kind: 'string', value: expr.value, origin };
    case 'shape':
      return { kind: 'shape', dims: expr.dims, origin };
    case 'paren': {
      const v = evaluate(expr.inner, scope, ctx);
      return v && { ...v, origin } as Value;
    }
    case 'name': {
      const b = scope.lookup(expr.name);
      // A bound value keeps the origin of its definition: an error in it points at the text to fix.
      if (b) return b.value;
      if (expr.name in CONSTANTS) return { kind: 'bool', value: CONSTANTS[expr.name], origin };
      if (ctx.later?.has(expr.name)) {
        // A bare word is a vocabulary name, unless a let further down defines it: then it is used too early.
        unknownName(expr.name, origin, scope, ctx);
        return undefined;
      }
      return { kind: 'symbol', name: expr.name, origin };
    }
    case 'list': {
      const items: Value[] = [];
      let ok = true;
      for (const item of expr.items) {
        const v = evaluate(item, scope, ctx);
        if (v) items.push(v);
        else ok = false;
      }
      return ok ? { kind: 'list', items, origin } : undefined;
    }
    case 'unary': {
      const v = number(expr.operand, scope, ctx, `unary '${expr.op}'`);
      if (v === undefined) return undefined;
      return { kind: 'number', value: expr.op === '-' ? -v : v, origin };
    }
    case 'binary': {
      const word = dashedWord(expr, (n) => scope.lookup(n) !== undefined || n in CONSTANTS || ctx.later?.has(n) === true);
      if (word !== undefined) {
        const ours = undashed(word);
        return fail('sem/unknown-name', `'${word}' reads as a subtraction; names are written with '_'${didYouMean(ours ? [ours] : [])}`, ours ? { suggestions: [ours] } : {});
      }
      const a = number(expr.left, scope, ctx, `'${expr.op}'`);
      const b = number(expr.right, scope, ctx, `'${expr.op}'`);
      if (a === undefined || b === undefined) return undefined;
      if (expr.op === '/' && b === 0) {
        ctx.reporter.report('sem/division-by-zero', `division by zero: ${formatNumber(a)} / 0`, { span: expr.right.span, file: ctx.file });
        return undefined;
      }
      const r = expr.op === '+' ? a + b : expr.op === '-' ? a - b : expr.op === '*' ? a * b : a / b;
      if (!Number.isFinite(r)) return fail('sem/number-overflow', `${formatNumber(a)} ${expr.op} ${formatNumber(b)} overflows a float64`);
      return { kind: 'number', value: r, origin };
    }
    case 'call':
      return call(expr, scope, ctx, origin);
  }
}

/** Evaluates an operand of arithmetic; anything but a number is an error. */
function number(expr: Expr, scope: Scope, ctx: EvalContext, op: string): number | undefined {
  const v = evaluate(expr, scope, ctx);
  if (!v) return undefined;
  if (v.kind === 'number') return v.value;
  const at: Origin = { span: expr.span, file: ctx.file };
  if (v.kind === 'symbol') {
    unknownName(v.name, at, scope, ctx);
    return undefined;
  }
  ctx.reporter.report('sem/type-mismatch', `${op} needs numbers, but this is ${describeValue(v)}`, at);
  return undefined;
}

/** Reports a name that nothing defines, suggesting the closest visible ones. */
export function unknownName(name: string, at: Origin, scope: Scope, ctx: EvalContext): void {
  const later = ctx.later?.get(name);
  if (later && at.file === ctx.reporter.file) {
    ctx.reporter.report('sem/unknown-name', `'${name}' is used before its let`, at, {
      notes: [`'${name}' is defined later, at ${ctx.reporter.where({ span: later, file: ctx.reporter.file })}; move the let above its first use`],
    });
    return;
  }
  const suggestions = closestNames(name, scope.visible());
  ctx.reporter.report('sem/unknown-name', `unknown name '${name}'${didYouMean(suggestions)}`, at, { suggestions });
}

function call(expr: Extract<Expr, { kind: 'call' }>, scope: Scope, ctx: EvalContext, origin: Origin): Value | undefined {
  const name = expr.callee.text;
  const f = FUNCTIONS[name];
  if (f && !ctx.blocks.has(name)) {
    const xs: number[] = [];
    let ok = true;
    for (const a of expr.args) {
      if (a.key) {
        ctx.reporter.report('sem/bad-call', `${name}() takes no options ('${a.key.text}=')`, { span: a.span, file: ctx.file });
        ok = false;
        continue;
      }
      const x = number(a.value, scope, ctx, `${name}()`);
      if (x === undefined) ok = false;
      else xs.push(x);
    }
    if (!ok) return undefined;
    if (xs.length < f.min || xs.length > f.max) {
      const want = f.min === f.max ? `${f.min}` : f.max === Infinity ? `at least ${f.min}` : `${f.min} to ${f.max}`;
      ctx.reporter.report('sem/bad-call', `${name}() takes ${want} argument${f.min === 1 && f.max === 1 ? '' : 's'}, got ${xs.length}`, origin);
      return undefined;
    }
    if ((name === 'sqrt' && xs[0] < 0) || (name === 'log2' && xs[0] <= 0) || (name === 'pow' && xs[0] < 0 && !Number.isInteger(xs[1]))) {
      ctx.reporter.report('sem/out-of-range', `${name}(${xs.map(formatNumber).join(', ')}) is not a real number`, origin);
      return undefined;
    }
    const r = f.fn(xs);
    if (!Number.isFinite(r)) {
      ctx.reporter.report('sem/number-overflow', `${name}(${xs.map(formatNumber).join(', ')}) overflows a float64`, origin);
      return undefined;
    }
    return { kind: 'number', value: r, origin };
  }
  if (ctx.blocks.has(name)) {
    const args: BlockArg[] = [];
    let ok = true;
    for (const a of expr.args) {
      const v = evaluate(a.value, scope, ctx);
      if (!v) ok = false;
      else args.push(a.key ? { key: a.key.text, value: v, span: a.span } : { value: v, span: a.span });
    }
    return ok ? { kind: 'block', name, args, origin } : undefined;
  }
  const candidates = [...Object.keys(FUNCTIONS), ...ctx.blocks.keys()];
  const suggestions = closestNames(name, candidates);
  ctx.reporter.report(
    'sem/unknown-function',
    `'${name}' is neither a function nor a block${didYouMean(suggestions)}`,
    { span: expr.callee.span, file: ctx.file },
    {
      suggestions,
      ...(suggestions.length === 0 ? { notes: [`functions: ${Object.keys(FUNCTIONS).join(', ')}`] } : {}),
    },
  );
  return undefined;
}
