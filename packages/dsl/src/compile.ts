// compile(source) -> { graph, train, sweep, lets, errors }: the whole front end. Parse (with recovery), collect
// the top-level items, evaluate the lets (overrides replace them), lower the model, infer its shapes with the
// graph package, lower the train and sweep sections, and check every sweep value by substituting it. Every
// problem of the file comes back as a diagnostic; compile never throws.
import * as g from '@skipinit/graph';
import type { Graph, Inference, LetValue, SweepSpec, TrainSpec } from '@skipinit/graph';
import type { CommandStatement, Expr, LetStatement, SpecFile, Statement } from './ast';
import { didYouMean, error } from './diagnostic';
import type { Diagnostic } from './diagnostic';
import { evaluate, Scope } from './evaluate';
import type { EvalContext } from './evaluate';
import { graphIssueToDiagnostic } from './graph-issues';
import { ModelLowerer } from './lower-model';
import { lowerSweep } from './lower-sweep';
import type { LoweredAxis } from './lower-sweep';
import { lowerTrain, TRAIN_SETTINGS } from './lower-train';
import type { TrainOverride } from './lower-train';
import { overrideTargets, overrideValueText } from './override-text';
import { parse } from './parse';
import { Reporter } from './reporter';
import { LineIndex } from './span';
import { collectTopLevel } from './top-level';
import type { Span } from './span';
import { toPlain, valueToSource } from './value';

export interface CompileOptions {
  /** The name diagnostics use for the source. Default '<input>'. */
  readonly file?: string;
  /**
   * Replace `let` values (or train settings) by name, as `skipinit compile --set depth=100` does. A string is
   * spec source text: '100', 'he', '[0.01, 0.1]'; numbers and booleans are taken as they are.
   */
  readonly overrides?: Readonly<Record<string, string | number | boolean>>;
  /** Check every sweep value by compiling with it substituted. Default true. */
  readonly checkSweep?: boolean;
}

export interface CompileResult {
  /** The layer graph; null when the model has errors (or there is none). */
  readonly graph: Graph | null;
  /** The graph package's shape inference of `graph` (shapes, parameters, FLOPs); null with the graph. */
  readonly inference: Inference | null;
  /** The training recipe as written (defaults not filled); null without a train section or with errors in it. */
  readonly train: TrainSpec | null;
  readonly sweep: SweepSpec | null;
  /** The file's lets after overrides, as plain values (names as strings, shapes as "1x28x28"). */
  readonly lets: Record<string, LetValue>;
  /** Every error, in source order. Empty means the graph (and train, sweep where present) are valid. */
  readonly errors: Diagnostic[];
  /** Things that are legal but probably not meant (a bias right before a batch norm). */
  readonly warnings: Diagnostic[];
  /** Every source text a diagnostic may point into, by name: the file and each override. */
  readonly sources: ReadonlyMap<string, string>;
}

interface Override {
  readonly name: string;
  readonly expr: Expr;
  readonly file: string;
  /** The name's span in its own source. */
  readonly span: Span;
}

interface Parsed {
  readonly ast: SpecFile;
  readonly source: string;
  readonly file: string;
  readonly errors: readonly Diagnostic[];
}

export function compile(source: string, options: CompileOptions = {}): CompileResult {
  const file = options.file ?? '<input>';
  const sources = new Map<string, string>([[file, typeof source === 'string' ? source : '']]);
  try {
    const text = typeof source === 'string' ? source : '';
    const p = parse(text, file);
    const overrideErrors: Diagnostic[] = [];
    const overrides: Override[] = [];
    const targets = overrideTargets(p.ast);
    for (const [name, raw] of Object.entries(options.overrides ?? {})) {
      const o = parseOverride(name, typeof raw === 'string' ? overrideValueText(name, raw, targets) : raw, sources, overrideErrors);
      if (o) overrides.push(o);
    }
    const result = compileParsed({ ast: p.ast, source: text, file, errors: [...p.errors, ...overrideErrors] }, overrides, sources, options.checkSweep ?? true);
    return result;
  } catch (e) {
    // A bug of ours, not a problem of the spec: reported as such rather than thrown.
    const message = e instanceof Error ? `${e.message}` : String(e);
    return {
      graph: null,
      inference: null,
      train: null,
      sweep: null,
      lets: {},
      errors: [error('internal/error', `internal compiler error: ${message}; please report it with this spec`, { start: 0, end: 0 }, file)],
      warnings: [],
      sources,
    };
  }
}

/** `--set name=value`: its own little source, `name=value`, so errors in it are framed like any other. */
function parseOverride(name: string, raw: string | number | boolean, sources: Map<string, string>, errors: Diagnostic[]): Override | undefined {
  const file = `--set ${name}`;
  const value = typeof raw === 'string' ? raw : typeof raw === 'number' ? valueToSource({ kind: 'number', value: raw, origin: { span: { start: 0, end: 0 }, file } }) : String(raw);
  const text = `${name}=${value}`;
  sources.set(file, text);
  const p = parse(text, file);
  const s = p.ast.statements[0];
  if (p.errors.length > 0 || p.ast.statements.length !== 1 || s.kind !== 'assign') {
    if (p.errors.length > 0) errors.push(...p.errors);
    else errors.push(error('parse/unexpected-token', `--set takes name=value, got '${text}'`, { start: 0, end: text.length }, file));
    return undefined;
  }
  return { name: s.name.text, expr: s.value, file, span: s.name.span };
}

function compileParsed(p: Parsed, overrides: readonly Override[], sources: Map<string, string>, checkSweep: boolean): CompileResult {
  const r = new Reporter(p.file, sources);
  r.errors.push(...p.errors);
  const parseFailed = p.errors.length > 0;
  const lines = new LineIndex(p.source);

  const { lets, blocks, sections } = collectTopLevel(p.ast.statements, p.file, r);

  const letNames = new Set(lets.map((l) => l.name.text));
  const later = new Map<string, Span>();
  for (const l of lets) if (!later.has(l.name.text)) later.set(l.name.text, l.name.span);
  const ctx: EvalContext = { reporter: r, file: p.file, blocks, later };
  const { fileScope, plainLets, trainOverrides } = evaluateLets(lets, overrides, ctx, letNames, later);

  // The model.
  const lowerer = new ModelLowerer(r, ctx, blocks, lines, fileScope);
  const { graph, inference, warnings } = lowerModelSection(sections.model, lowerer, r, !parseFailed);

  // The training recipe, with train-setting overrides.
  let train: TrainSpec | null = null;
  if (sections.train) {
    const tov: TrainOverride[] = trainOverrides.map((o) => ({ name: o.name, value: evaluate(o.expr, fileScope, { ...ctx, file: o.file }), span: o.expr.span, file: o.file }));
    train = lowerTrain(sections.train, fileScope, ctx, tov) ?? null;
    if (train && graph && inference) checkData(train, graph, sections.train, r);
  } else {
    for (const o of trainOverrides) r.report('sem/unknown-override', `--set ${o.name}: the file has no train section to apply it to`, { span: o.span, file: o.file });
  }

  // The sweep, each value checked by compiling with it.
  let sweep: SweepSpec | null = null;
  if (sections.sweep) {
    const lowered = lowerSweep(sections.sweep, fileScope, ctx, letNames, !!sections.train, lines);
    sweep = lowered.spec ?? null;
    if (checkSweep) checkSweepValues(p, lowered.axes, overrides, sources, r);
  }

  dropEchoes(p, r);
  const byFile = sourceOrder(sources);
  const errors = byFile(dedupe(r.errors));
  const ok = errors.length === 0;
  return {
    graph: ok ? graph : null,
    inference: ok ? inference : null,
    train: ok ? train : null,
    sweep: ok ? sweep : null,
    lets: plainLets,
    errors,
    warnings: byFile(dedupe(warnings)),
    sources,
  };
}

/** Evaluates the lets in order; an override replaces a let's value (evaluated where the let is). Sorts the overrides out. */
/** (`later`: the lets not evaluated yet, which ctx.later shares, so a use before its let is reported as such.) */
function evaluateLets(lets: readonly LetStatement[], overrides: readonly Override[], ctx: EvalContext, letNames: ReadonlySet<string>, later: Map<string, Span>) {
  const r = ctx.reporter;
  const fileScope = new Scope();
  const letOverrides = new Map<string, Override>();
  const trainOverrides: Override[] = [];
  for (const o of overrides) {
    if (letNames.has(o.name)) letOverrides.set(o.name, o);
    else if (o.name in TRAIN_SETTINGS) trainOverrides.push(o);
    else {
      const suggestions = g.closestNames(o.name, [...letNames, ...Object.keys(TRAIN_SETTINGS)]);
      r.report('sem/unknown-override', `--set ${o.name}: the file has no let '${o.name}' and it is not a training setting${didYouMean(suggestions)}`, { span: o.span, file: o.file }, {
        suggestions,
        notes: suggestions.length === 0 ? [`lets of this file: ${[...letNames].join(', ') || '(none)'}`] : [],
      });
    }
  }
  const plainLets: Record<string, LetValue> = {};
  for (const l of lets) {
    const name = l.name.text;
    if (fileScope.own(name)) {
      r.at('sem/duplicate-name', `'${name}' is already defined`, l.name.span, { notes: [`first defined at ${r.where(fileScope.own(name)!.defined)}`] });
      continue;
    }
    later.delete(name);
    const o = letOverrides.get(name);
    const value = o ? evaluate(o.expr, fileScope, { ...ctx, file: o.file }) : evaluate(l.value, fileScope, ctx);
    fileScope.define(name, { value, defined: { span: l.name.span, file: ctx.file }, kind: 'let' });
    if (value) {
      const plain = toPlain(value);
      if (!Array.isArray(plain)) plainLets[name] = plain;
    }
  }
  later.clear();
  return { fileScope, plainLets, trainOverrides };
}

/** Lowers the model section and infers its shapes: the graph when it is valid, its warnings either way. */
function lowerModelSection(model: CommandStatement | undefined, lowerer: ModelLowerer, r: Reporter, reportMissing: boolean) {
  let graph: Graph | null = null;
  let inference: Inference | null = null;
  const warnings: Diagnostic[] = [];
  if (model?.body) {
    const before = r.count;
    const lowered = lowerer.lowerModel(model);
    if (lowered && r.count === before) {
      inference = g.inferGraph(lowered);
      for (const issue of inference.issues) {
        const d = graphIssueToDiagnostic(issue, lowered, lowerer, r, model.head.span);
        (d.severity === 'error' ? r.errors : warnings).push(d);
      }
      if (inference.ok) graph = lowered;
      else inference = null;
    }
  } else if (!model && reportMissing && !r.errors.some((d) => d.code === 'sem/unknown-section')) {
    r.at('sem/missing-model', 'this file has no model section: model name { input 1x28x28; ... }', { start: 0, end: 0 });
  }
  return { graph, inference, warnings };
}

/** Compiles the file once per sweep value, with the value in place: each new error points at the value. */
function checkSweepValues(p: Parsed, axes: readonly LoweredAxis[], overrides: readonly Override[], sources: Map<string, string>, r: Reporter): void {
  const base = new Set(r.errors.map(key));
  for (const axis of axes) {
    for (const item of axis.items) {
      const sub = compileParsed(p, [...overrides.filter((o) => o.name !== axis.axis.name), { name: axis.axis.name, expr: item, file: p.file, span: item.span }], sources, false);
      for (const d of sub.errors) {
        if (base.has(key(d))) continue;
        const inside = d.file === p.file && d.span.start >= item.span.start && d.span.end <= item.span.end;
        if (inside) r.errors.push(d);
        else {
          const text = p.source.slice(item.span.start, item.span.end);
          r.errors.push(
            error(d.code, `with ${axis.axis.name} = ${text}: ${d.message}`, item.span, p.file, {
              notes: [`the problem shows at ${r.where({ span: d.span, file: d.file })}`, ...(d.notes ?? [])],
            }),
          );
        }
      }
    }
  }
}

/**
 * A statement with a syntax error has already said what is wrong with it: its semantic complaints would
 * only be echoes of the same mistake (`dense 128 @ 3` is not also "too many arguments"). Drops them.
 */
function dropEchoes(p: Parsed, r: Reporter): void {
  const tainted = taintedStatements(p.ast.statements, p.errors);
  const echo = (d: Diagnostic): boolean =>
    d.code.startsWith('sem/') && d.file === p.file && tainted.some((t) => d.span.start >= t.start && d.span.end <= t.end);
  r.errors.splice(0, r.errors.length, ...r.errors.filter((d) => !echo(d)));
}

/** Sorts diagnostics by source (the file, then each override, in the order they came) and position. */
function sourceOrder(sources: ReadonlyMap<string, string>): (ds: Diagnostic[]) => Diagnostic[] {
  const order = [...sources.keys()];
  return (ds) => ds.sort((a, b) => order.indexOf(a.file) - order.indexOf(b.file) || a.span.start - b.span.start || a.span.end - b.span.end);
}

/** The innermost statements (for a statement with a body: its header) that contain a syntax error. */
function taintedStatements(statements: readonly Statement[], syntax: readonly Diagnostic[]): Span[] {
  const out: Span[] = [];
  if (syntax.length === 0) return out;
  const at = syntax.map((d) => d.span.start);
  const walk = (list: readonly Statement[]): void => {
    for (const s of list) {
      const body = s.kind === 'command' || s.kind === 'block' ? s.body : undefined;
      const header: Span = body && body.span.end > body.span.start ? { start: s.span.start, end: body.span.start } : s.span;
      if (at.some((o) => o >= header.start && o < Math.max(header.end, header.start + 1))) out.push(header);
      if (body) walk(body.statements);
    }
  };
  walk(statements);
  return out;
}

/** The model and the data set must agree: the input shape (or its size, for a flat input) and the classes. */
function checkData(train: TrainSpec, graph: Graph, section: CommandStatement, r: Reporter): void {
  const info = g.DATASETS[train.data.name];
  const dataStmt = section.body?.statements.find((s) => s.kind === 'command' && s.head.text === 'data');
  const dataAt = dataStmt ? `the data line, ${r.where({ span: dataStmt.span, file: r.file })}` : 'the train section';
  const input = graph.nodes[0];
  if (info.shape && input?.kind === 'input' && input.span) {
    const want = info.shape;
    const got = input.shape;
    const size = (s: readonly number[]): number => s.reduce((a, b) => a * b, 1);
    const same = got.length === want.length ? got.every((d, i) => d === want[i]) : got.length === 1 && size(got) === size(want);
    if (!same) {
      r.at('sem/data-mismatch', `the model's input is ${got.join('x')}, but ${train.data.name} examples are ${want.join('x')}`, { start: input.span.offset, end: input.span.endOffset }, {
        notes: [`the data set is named at ${dataAt}`],
      });
    }
  }
  const last = graph.nodes[graph.nodes.length - 1];
  if (info.classes && last?.kind === 'head' && last.classes !== info.classes && last.span) {
    r.at('sem/data-mismatch', `the head has ${last.classes} classes, but ${train.data.name} has ${info.classes}`, { start: last.span.offset, end: last.span.endOffset }, {
      notes: [`the data set is named at ${dataAt}`],
    });
  }
}

const key = (d: Diagnostic): string => `${d.file}\u0000${d.span.start}\u0000${d.span.end}\u0000${d.code}\u0000${d.message}`;

function dedupe(ds: readonly Diagnostic[]): Diagnostic[] {
  const seen = new Set<string>();
  return ds.filter((d) => {
    const k = key(d);
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}
