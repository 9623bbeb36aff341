// Binding a statement's arguments to its signature (statements.ts) and reading them as typed values. Every
// mistake is one diagnostic: unknown option (with the closest names), duplicate, too many positionals, missing
// required, wrong kind, out of range, above a limit.
import { closestNames, INIT_NAMES, MAX_SPATIAL, MAX_WIDTH } from '@skipinit/graph';
import { foreignName } from './foreign-names';
import type { CommandStatement } from './ast';
import { didYouMean } from './diagnostic';
import type { DiagnosticCode } from './diagnostic';
import { evaluate, unknownName } from './evaluate';
import type { EvalContext, Scope } from './evaluate';
import type { Span } from './span';
import type { OptionType, StatementSpec } from './statements';
import { describeValue, formatNumber } from './value';
import type { Origin, Value } from './value';

export interface BoundArg {
  /** undefined when evaluation failed (already reported). */
  readonly value: Value | undefined;
  /** The argument as written (key and value). */
  readonly span: Span;
}

export interface BranchRef {
  readonly name: string;
  readonly args: Extract<Value, { kind: 'block' }>['args'];
  readonly origin: Origin;
}

export class Options {
  readonly bound = new Map<string, BoundArg>();
  readonly rest: BoundArg[] = [];

  private constructor(
    readonly spec: StatementSpec,
    readonly cmd: CommandStatement,
    private readonly scope: Scope,
    private readonly ctx: EvalContext,
  ) {}

  /** Evaluates and binds the arguments of `cmd` against `spec`, reporting what does not fit. */
  static bind(cmd: CommandStatement, spec: StatementSpec, scope: Scope, ctx: EvalContext): Options {
    const o = new Options(spec, cmd, scope, ctx);
    const r = ctx.reporter;
    const here = (span: Span): Origin => ({ span, file: ctx.file });
    const firstAt = new Map<string, Span>();
    const put = (key: string, arg: BoundArg, keySpan: Span): void => {
      const first = firstAt.get(key);
      if (first) {
        r.report('sem/duplicate-option', `${spec.name}: '${key}' is given twice`, here(keySpan), {
          notes: [`first given at ${r.where(here(first))}`],
        });
        return;
      }
      firstAt.set(key, arg.span);
      o.bound.set(key, arg);
    };
    let slot = 0;
    const extra: { arg: (typeof cmd.args)[number]; value: Value | undefined }[] = [];
    for (const a of cmd.args) {
      if (a.key) {
        const key = a.key.text;
        if (!(key in spec.options) || key === spec.variadic) {
          const names = Object.keys(spec.options).filter((k) => k !== spec.variadic);
          const suggestions = closestNames(key, names);
          r.report('sem/unknown-option', `${spec.name} has no option '${key}'${didYouMean(suggestions)}`, here(a.key.span), {
            suggestions,
            ...(suggestions.length === 0
              ? { notes: [names.length > 0 ? `${spec.name} takes: ${names.join(', ')}` : `${spec.name} takes no options`] }
              : {}),
          });
          continue;
        }
        put(key, { value: evaluate(a.value, scope, ctx), span: a.span }, a.key.span);
        continue;
      }
      const value = evaluate(a.value, scope, ctx);
      // A bare name of a boolean option is that option set to true: `augment flip`, `sgd nesterov`.
      if (value?.kind === 'symbol' && spec.options[value.name]?.type.t === 'bool' && !spec.variadic) {
        put(value.name, { value: { kind: 'bool', value: true, origin: value.origin }, span: a.span }, a.span);
        continue;
      }
      if (spec.variadic) {
        o.rest.push({ value, span: a.span });
        continue;
      }
      if (slot >= spec.positional.length) {
        extra.push({ arg: a, value });
        continue;
      }
      const key = spec.positional[slot++];
      put(key, { value, span: a.span }, a.span);
    }
    if (extra.length > 0) reportExtra(spec, cmd, extra, ctx);
    for (const key of spec.required ?? []) {
      if (!o.bound.has(key)) {
        const positional = spec.positional.includes(key);
        r.report(
          'sem/missing-argument',
          `${spec.name} needs ${positional ? `its ${key}` : `${key}=`}: for example '${spec.example}'`,
          here(cmd.head.span),
        );
      }
    }
    return o;
  }

  has(key: string): boolean {
    return this.bound.has(key);
  }

  /** Where an option was written (for messages), or the statement's head. */
  spanOf(key: string): Span {
    return this.bound.get(key)?.span ?? this.cmd.head.span;
  }

  /** The option converted to its declared type; undefined when absent or wrong (reported). */
  get(key: string): unknown {
    const b = this.bound.get(key);
    if (!b || !b.value) return undefined;
    return convert(b.value, this.spec.options[key].type, `${this.spec.name} ${key}`, b.span, this.scope, this.ctx);
  }

  int(key: string): number | undefined {
    return this.get(key) as number | undefined;
  }
  number(key: string): number | undefined {
    return this.get(key) as number | undefined;
  }
  bool(key: string): boolean | undefined {
    return this.get(key) as boolean | undefined;
  }
  string(key: string): string | undefined {
    return this.get(key) as string | undefined;
  }
  name<T extends string>(key: string): T | undefined {
    return this.get(key) as T | undefined;
  }
}

/**
 * Positional arguments beyond the signature: one diagnostic over all of them, with the likely cause: a missing
 * '=' (`kernel 3` for `kernel=3`), or a ',' at the end of a line that carried the statement onto the next one.
 */
function reportExtra(
  spec: StatementSpec,
  cmd: CommandStatement,
  extra: readonly { arg: CommandStatement['args'][number]; value: Value | undefined }[],
  ctx: EvalContext,
): void {
  const r = ctx.reporter;
  const takes =
    spec.positional.length === 0
      ? `${spec.name} takes no positional arguments`
      : `${spec.name} takes ${spec.positional.length} positional argument${spec.positional.length === 1 ? '' : 's'} (${spec.positional.join(', ')})`;
  const first = extra[0].arg.span;
  const last = extra[extra.length - 1].arg.span;
  const span = { start: first.start, end: last.end };
  const text = r.sources.get(ctx.file) ?? '';
  const key = extra[0].value?.kind === 'symbol' ? extra[0].value.name : undefined;
  if (key && key in spec.options && extra.length === 2) {
    const value = text.slice(extra[1].arg.span.start, extra[1].arg.span.end);
    r.report('sem/too-many-arguments', `${takes}; did you mean '${key}=${value}'? (an option is written with '=')`, { span, file: ctx.file });
    return;
  }
  const notes: string[] = [];
  const lineOf = (o: number): number => text.slice(0, o).split('\n').length;
  if (lineOf(first.start) > lineOf(cmd.head.span.start)) {
    notes.push(`the ',' at the end of line ${lineOf(first.start) - 1} carries '${spec.name}' onto this line`);
  }
  const options = Object.keys(spec.options).filter((k) => !spec.positional.includes(k) && k !== spec.variadic);
  if (notes.length === 0 && options.length > 0) notes.push(`give the others as options: ${options.map((k) => `${k}=`).join(', ')}`);
  const what = extra.length === 1 ? 'this argument is extra' : `these ${extra.length} arguments are extra`;
  r.report('sem/too-many-arguments', `${takes}; ${what}`, { span, file: ctx.file }, { notes });
}

/** Converts a value to an option's type, or reports why it cannot be one. */
export function convert(v: Value, type: OptionType, label: string, use: Span, scope: Scope, ctx: EvalContext): unknown {
  const r = ctx.reporter;
  const usedAt: Origin = { span: use, file: ctx.file };
  const away = v.origin.file !== ctx.file || v.origin.span.start < use.start || v.origin.span.end > use.end;
  const notes = away ? [`used as ${label} at ${r.where(usedAt)}`] : [];
  const fail = (code: DiagnosticCode, message: string, extra: { suggestions?: readonly string[]; notes?: string[] } = {}): undefined => {
    r.report(code, message, v.origin, { ...extra, notes: [...(extra.notes ?? []), ...notes] });
    return undefined;
  };
  const mismatch = (want: string): undefined => {
    if (v.kind === 'symbol' && (type.t === 'int' || type.t === 'number' || type.t === 'bool' || type.t === 'shape' || type.t === 'string')) {
      if (type.t === 'bool') return fail('sem/type-mismatch', `${label} is true or false, not '${v.name}'`);
      unknownName(v.name, v.origin, scope, ctx);
      return undefined;
    }
    return fail('sem/type-mismatch', `${label} needs ${want}, but this is ${describeValue(v)}`);
  };
  const c: Conversion = { label, fail, mismatch };
  switch (type.t) {
    case 'int':
      return toInt(v.kind === 'number' ? v.value : undefined, type, c);
    case 'number':
      return toNumber(v.kind === 'number' ? v.value : undefined, type, c);
    case 'bool':
      return v.kind === 'bool' ? v.value : mismatch('true or false');
    case 'string':
      return v.kind === 'string' ? v.value : mismatch('a string in double quotes');
    case 'shape':
      return toShape(v, c);
    case 'padding':
      return toPadding(v, c);
    case 'name': {
      if (v.kind !== 'symbol') return mismatch(`a name (${type.list.join(', ')})`);
      if (type.list.includes(v.name)) return v.name;
      return unknownVocab(v.name, type, fail);
    }
    case 'names': {
      const items = v.kind === 'list' ? v.items : [v];
      const out: string[] = [];
      for (const item of items) {
        const x = convert(item, { t: 'name', list: type.list, what: type.what, code: type.code }, label, use, scope, ctx);
        if (x === undefined) return undefined;
        out.push(x as string);
      }
      return out;
    }
    case 'numbers': {
      if (v.kind !== 'list') return mismatch('a list of numbers, as in [100, 150]');
      const out: number[] = [];
      for (const item of v.items) {
        const x = convert(item, { t: 'number', min: type.min }, label, use, scope, ctx);
        if (x === undefined) return undefined;
        out.push(x as number);
      }
      return out;
    }
    case 'branch':
      return toBranch(v, c, ctx);
  }
}

/** What a conversion reports with: the option's label, and how to fail (`mismatch`: a value of the wrong kind). */
interface Conversion {
  readonly label: string;
  readonly fail: (code: DiagnosticCode, message: string, extra?: { suggestions?: readonly string[]; notes?: string[] }) => undefined;
  readonly mismatch: (want: string) => undefined;
}

function toInt(x: number | undefined, type: Extract<OptionType, { t: 'int' }>, { label, fail, mismatch }: Conversion): number | undefined {
  if (x === undefined) return mismatch('a whole number');
  if (!Number.isInteger(x)) return fail('sem/not-integer', `${label} must be a whole number, got ${formatNumber(x)}`);
  if (x < type.min) return fail('sem/out-of-range', `${label} must be at least ${type.min}, got ${formatNumber(x)}`);
  if (type.max !== undefined && x > type.max) {
    const code = type.limit ?? 'sem/out-of-range';
    return fail(code, `${label} is ${formatNumber(x)}; the ${code.startsWith('limit/') ? 'limit' : 'largest allowed'} is ${formatNumber(type.max)}`);
  }
  return x;
}

function toNumber(x: number | undefined, type: Extract<OptionType, { t: 'number' }>, { label, fail, mismatch }: Conversion): number | undefined {
  if (x === undefined) return mismatch('a number');
  if (type.min !== undefined && x < type.min) return fail('sem/out-of-range', `${label} must be at least ${formatNumber(type.min)}, got ${formatNumber(x)}`);
  if (type.above !== undefined && x <= type.above) return fail('sem/out-of-range', `${label} must be greater than ${formatNumber(type.above)}, got ${formatNumber(x)}`);
  if (type.max !== undefined && x > type.max) return fail('sem/out-of-range', `${label} must be at most ${formatNumber(type.max)}, got ${formatNumber(x)}`);
  if (type.below !== undefined && x >= type.below) return fail('sem/out-of-range', `${label} must be less than ${formatNumber(type.below)}, got ${formatNumber(x)}`);
  return x;
}

/** C x H x W or a number of features, within the limits. */
function toShape(v: Value, { label, fail, mismatch }: Conversion): number[] | undefined {
  const dims = v.kind === 'shape' ? v.dims : v.kind === 'number' ? [v.value] : undefined;
  if (!dims) return mismatch('a shape (C x H x W, as in 3x32x32) or a number of features');
  if (dims.length !== 1 && dims.length !== 3) {
    return fail('sem/out-of-range', `${label} is C x H x W (3 numbers) or one number of features, got ${dims.length} numbers`);
  }
  for (let i = 0; i < dims.length; i++) {
    const d = dims[i];
    if (!Number.isInteger(d)) return fail('sem/not-integer', `${label} must be whole numbers, got ${formatNumber(d)}`);
    if (d < 1) return fail('sem/out-of-range', `${label} sizes must be at least 1, got ${formatNumber(d)}`);
    const max = dims.length === 3 && i > 0 ? MAX_SPATIAL : dims.length === 1 ? MAX_WIDTH * MAX_SPATIAL : MAX_WIDTH;
    if (d > max) return fail('limit/width', `${label} has a size of ${formatNumber(d)}; the limit is ${formatNumber(max)}`);
  }
  return [...dims];
}

/** 'same', 'valid' or a number of pixels. */
function toPadding(v: Value, { label, fail, mismatch }: Conversion): string | number | undefined {
  if (v.kind === 'symbol') {
    if (v.name === 'same' || v.name === 'valid') return v.name;
    const suggestions = closestNames(v.name, ['same', 'valid']);
    return fail('sem/unknown-padding', `unknown padding '${v.name}'${didYouMean(suggestions)}`, {
      suggestions,
      notes: ["padding is 'same', 'valid' or a number of pixels"],
    });
  }
  if (v.kind !== 'number') return mismatch("'same', 'valid' or a number of pixels");
  if (!Number.isInteger(v.value) || v.value < 0) return fail('sem/out-of-range', `${label} in pixels must be a whole number >= 0, got ${formatNumber(v.value)}`);
  if (v.value > MAX_SPATIAL) return fail('limit/width', `${label} is ${formatNumber(v.value)}; the limit is ${MAX_SPATIAL}`);
  return v.value;
}

/** A block of the file, called (`bottleneck(256)`) or named (`bottleneck`). */
function toBranch(v: Value, { fail, mismatch }: Conversion, ctx: EvalContext): BranchRef | undefined {
  if (v.kind === 'block') return { name: v.name, args: v.args, origin: v.origin };
  if (v.kind === 'symbol') {
    if (ctx.blocks.has(v.name)) return { name: v.name, args: [], origin: v.origin };
    const suggestions = closestNames(v.name, [...ctx.blocks.keys()]);
    return fail('sem/unknown-block', `no block named '${v.name}'${didYouMean(suggestions)}`, {
      suggestions,
      notes: ctx.blocks.size === 0 ? ['define one at the top level: block name(width) { ... }'] : [],
    });
  }
  return mismatch('a block, as in branch=bottleneck(256)');
}

function unknownVocab(
  name: string,
  type: { list: readonly string[]; what: string; code: DiagnosticCode },
  fail: (code: DiagnosticCode, message: string, extra?: { suggestions?: readonly string[]; notes?: string[] }) => undefined,
): undefined {
  if (type.code === 'sem/unknown-init' && (INIT_NAMES as readonly string[]).includes(name)) {
    return fail(type.code, `'${name}' is a residual scheme; this init takes a weight initialiser`, {
      notes: [`weight initialisers: ${type.list.join(', ')}; residual schemes go on a resblock's init=`],
    });
  }
  const foreign = foreignName(name, type.list);
  const suggestions = foreign !== undefined ? [foreign] : closestNames(name, type.list);
  return fail(type.code, `unknown ${type.what} '${name}'${didYouMean(suggestions)}`, {
    suggestions,
    notes: suggestions.length === 0 ? [`expected one of: ${type.list.join(', ')}`] : [],
  });
}
