// Lowering the `sweep` section: one axis per `name = [values]`, naming a file-level let or a train setting.
// The values are evaluated in the file's scope; whether each one compiles is checked by compile.ts.
import * as g from '@skipinit/graph';
import type { SweepAxis, SweepSpec, SweepValue } from '@skipinit/graph';
import type { CommandStatement, Expr } from './ast';
import { unparen } from './ast';
import { didYouMean } from './diagnostic';
import { evaluate } from './evaluate';
import type { EvalContext, Scope } from './evaluate';
import type { LineIndex, Span } from './span';
import { formatNumber, toPlain } from './value';
import type { Value } from './value';

export interface LoweredAxis {
  readonly axis: SweepAxis;
  /** The value expressions as written, one per value (compile.ts substitutes each to check it). */
  readonly items: readonly Expr[];
  readonly values: readonly Value[];
}

export function lowerSweep(
  cmd: CommandStatement,
  scope: Scope,
  ctx: EvalContext,
  lets: ReadonlySet<string>,
  hasTrain: boolean,
  lines: LineIndex,
): { spec: SweepSpec | undefined; axes: LoweredAxis[] } {
  const r = ctx.reporter;
  const before = r.count;
  if (cmd.args.length > 0) r.at('sem/too-many-arguments', 'sweep takes no arguments; its axes go inside { }', cmd.args[0].span);
  if (cmd.repeat) r.at('sem/misplaced-statement', 'a sweep section cannot be repeated', cmd.repeat.span);
  const axes: LoweredAxis[] = [];
  const seen = new Map<string, number>();
  for (const s of cmd.body?.statements ?? []) {
    if (s.kind !== 'assign') {
      const hint =
        s.kind === 'command' ? `; write it as '${s.head.text} = [value, value]'` : '';
      r.at('sem/misplaced-statement', `a sweep section holds axes, one per line: name = [values]${hint}`, s.kind === 'command' ? s.head.span : s.kind === 'block' ? s.name.span : s.span);
      continue;
    }
    const name = s.name.text;
    const target = axisTarget(s.name, lets, hasTrain, ctx);
    if (!target) continue;
    const prev = seen.get(name);
    if (prev !== undefined) {
      r.at('sem/duplicate-name', `'${name}' is swept twice`, s.name.span, { notes: [`first at ${r.where({ span: axes[prev].axis.span ? { start: axes[prev].axis.span!.offset, end: axes[prev].axis.span!.endOffset } : s.span, file: ctx.file })}`] });
      continue;
    }
    const list = unparen(s.value);
    if (list.kind !== 'list') {
      if (list.kind !== 'error') r.at('sem/type-mismatch', `a sweep axis is a list of values, as in '${name} = [0.01, 0.1]'`, s.value.span);
      continue;
    }
    if (list.items.length === 0) {
      r.at('sem/empty-sweep', `'${name}' has no values to sweep`, s.value.span);
      continue;
    }
    const values = axisValues(list.items, name, target, scope, ctx);
    if (!values) continue;
    const a = lines.position(s.span.start);
    const b = lines.position(s.span.end);
    const axis: SweepAxis = {
      name,
      target,
      values: values.map((v) => toPlain(v) as SweepValue),
      span: { file: r.file, offset: s.span.start, endOffset: s.span.end, line: a.line, col: a.column, endLine: b.line, endCol: b.column },
    };
    seen.set(name, axes.length);
    axes.push({ axis, items: list.items, values });
  }
  if (axes.length === 0 && r.count === before) {
    r.at('sem/empty-sweep', "the sweep has no axes; add one per line, as in 'lr = [0.01, 0.1]'", cmd.head.span);
  }
  const cells = axes.reduce((n, a) => n * a.values.length, 1);
  if (cells > g.MAX_SWEEP_CELLS) {
    r.at('limit/sweep-cells', `the sweep has ${formatNumber(cells)} cells (runs); the limit is ${formatNumber(g.MAX_SWEEP_CELLS)}`, cmd.head.span);
  }
  // The axes that lowered are returned even when others failed, so their values still get checked.
  return { spec: r.count === before ? { axes: axes.map((a) => a.axis) } : undefined, axes };
}

/** What a swept name refers to: a let of the file or a train setting; undefined (reported) when neither fits. */
function axisTarget(id: { text: string; span: Span }, lets: ReadonlySet<string>, hasTrain: boolean, ctx: EvalContext): 'let' | 'train' | undefined {
  const r = ctx.reporter;
  const name = id.text;
  const target = lets.has(name) ? 'let' : (g.TRAIN_SETTING_NAMES as readonly string[]).includes(name) ? 'train' : undefined;
  if (!target) {
    const suggestions = g.closestNames(name, [...lets, ...g.TRAIN_SETTING_NAMES]);
    r.at('sem/unknown-sweep-key', `'${name}' is neither a let of this file nor a training setting${didYouMean(suggestions)}`, id.span, {
      suggestions,
      notes: suggestions.length === 0 ? [`lets: ${[...lets].join(', ') || '(none)'}; training settings: ${g.TRAIN_SETTING_NAMES.join(', ')}`] : [],
    });
    return undefined;
  }
  if (target === 'train' && !hasTrain) {
    r.at('sem/unknown-sweep-key', `'${name}' is a training setting, but this file has no train section`, id.span);
    return undefined;
  }
  return target;
}

/** The axis's values, evaluated in the file's scope; undefined (reported) when one fails. A let takes one value per run. */
function axisValues(items: readonly Expr[], name: string, target: 'let' | 'train', scope: Scope, ctx: EvalContext): Value[] | undefined {
  const values: Value[] = [];
  let ok = true;
  for (const item of items) {
    const v = evaluate(item, scope, ctx);
    if (!v) ok = false;
    else if (target === 'let' && v.kind === 'list') {
      ctx.reporter.report('sem/type-mismatch', `let '${name}' takes one value per run, not a list`, v.origin);
      ok = false;
    } else values.push(v);
  }
  return ok ? values : undefined;
}
