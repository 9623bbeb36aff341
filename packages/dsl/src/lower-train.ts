// Lowering the `train` section to a TrainSpec. Statements are first gathered into settings (one per
// TRAIN_SETTING_NAMES entry, plus path, limit and min_lr), overrides (--set lr=0.1, a sweep cell) replace
// settings, then every setting is converted and checked. So an override is checked exactly like the text.
import * as g from '@skipinit/graph';
import type { AugmentationName, TrainSpec } from '@skipinit/graph';
import type { AssignStatement, CommandStatement } from './ast';
import { didYouMean } from './diagnostic';
import type { EvalContext, Scope } from './evaluate';
import { convert, Options } from './options';
import type { Span } from './span';
import { MODEL_STATEMENTS, TRAIN_STATEMENTS } from './statements';
import type { OptionType } from './statements';
import { formatNumber } from './value';
import type { Value } from './value';

/** Each setting: the statement and option it is written as (its type and its label come from there). */
export const TRAIN_SETTINGS: Readonly<Record<string, { statement: string; option: string }>> = {
  data: { statement: 'data', option: 'data' },
  batch: { statement: 'data', option: 'batch' },
  validation: { statement: 'data', option: 'validation' },
  path: { statement: 'data', option: 'path' },
  limit: { statement: 'data', option: 'limit' },
  optimizer: { statement: 'optimizer', option: 'optimizer' },
  lr: { statement: 'sgd', option: 'lr' },
  momentum: { statement: 'sgd', option: 'momentum' },
  nesterov: { statement: 'sgd', option: 'nesterov' },
  weight_decay: { statement: 'sgd', option: 'weight_decay' },
  decay: { statement: 'sgd', option: 'decay' },
  beta1: { statement: 'adam', option: 'beta1' },
  beta2: { statement: 'adam', option: 'beta2' },
  eps: { statement: 'adam', option: 'eps' },
  clip_grad_norm: { statement: 'sgd', option: 'clip_grad_norm' },
  schedule: { statement: 'schedule', option: 'schedule' },
  warmup: { statement: 'schedule', option: 'warmup' },
  milestones: { statement: 'schedule', option: 'milestones' },
  gamma: { statement: 'schedule', option: 'gamma' },
  min_lr: { statement: 'schedule', option: 'min_lr' },
  steps: { statement: 'steps', option: 'steps' },
  epochs: { statement: 'epochs', option: 'epochs' },
  eval_every: { statement: 'eval_every', option: 'eval_every' },
  log_params_every: { statement: 'log_params_every', option: 'log_params_every' },
  seed: { statement: 'seed', option: 'seed' },
  augment: { statement: 'augment', option: 'augment' },
};

/** The statements that choose the optimiser, and the settings that belong to it. */
const OPTIMIZER_STATEMENTS: ReadonlySet<string> = new Set(['sgd', 'adam', 'adamw', 'optimizer']);
const OPTIMIZER_SETTINGS = ['optimizer', 'lr', 'momentum', 'nesterov', 'weight_decay', 'decay', 'beta1', 'beta2', 'eps', 'clip_grad_norm'];

interface Setting {
  readonly value: Value | undefined;
  readonly span: Span;
  readonly file: string;
}

export interface TrainOverride {
  readonly name: string;
  readonly value: Value | undefined;
  readonly span: Span;
  readonly file: string;
}

const typeOf = (name: string): { type: OptionType; label: string } => {
  const s = TRAIN_SETTINGS[name];
  return { type: TRAIN_STATEMENTS[s.statement].options[s.option].type, label: name };
};

export function lowerTrain(cmd: CommandStatement, scope: Scope, ctx: EvalContext, overrides: readonly TrainOverride[]): TrainSpec | undefined {
  const r = ctx.reporter;
  const errorsBefore = r.count;
  const settings = new TrainSettings(cmd, scope, ctx);
  const attempted = new Set<string>();
  const statementAt = new Map<string, Span>();
  const put = (name: string, s: Setting, keySpan: Span): void => settings.put(name, s, keySpan);
  if (cmd.args.length > 0) r.at('sem/too-many-arguments', 'train takes no arguments; its settings go inside { }', cmd.args[0].span);
  if (cmd.repeat) r.at('sem/misplaced-statement', 'a train section cannot be repeated', cmd.repeat.span);
  for (const s of cmd.body?.statements ?? []) {
    if (s.kind === 'assign') {
      misplacedAssign(s, attempted, ctx);
      continue;
    }
    if (s.kind !== 'command') {
      r.at('sem/misplaced-statement', `a ${s.kind} cannot be inside a train section`, s.kind === 'block' ? s.name.span : s.span);
      continue;
    }
    const head = s.head.text;
    const spec = TRAIN_STATEMENTS[head];
    if (!spec) {
      unknownSetting(s, ctx);
      continue;
    }
    if (s.repeat) r.at('sem/misplaced-statement', `${head} cannot be repeated with 'x'`, s.repeat.span);
    if (s.body) r.at('sem/misplaced-statement', `${head} has no { ... } body`, s.body.span);
    const family = OPTIMIZER_STATEMENTS.has(head) ? 'optimizer' : head === 'epochs' ? 'steps' : head;
    const prevStatement = statementAt.get(family);
    if (prevStatement && family !== 'steps') {
      r.at('sem/duplicate-option', `the train section has two '${head}' statements`, s.head.span, { notes: [`the first is at ${r.where({ span: prevStatement, file: ctx.file })}`] });
      continue;
    }
    statementAt.set(family, s.head.span);
    const o = Options.bind(s, spec, scope, ctx);
    if (OPTIMIZER_STATEMENTS.has(head) && head !== 'optimizer') settings.set('optimizer', { value: { kind: 'symbol', name: head, origin: { span: s.head.span, file: ctx.file } }, span: s.head.span, file: ctx.file });
    if (head === 'augment') {
      put('augment', { value: augmentValue(s, o, ctx), span: s.span, file: ctx.file }, s.head.span);
      continue;
    }
    for (const [key, b] of o.bound) put(key, { value: b.value, span: b.span, file: ctx.file }, b.span);
  }
  settings.checkLength();
  settings.override(overrides);
  const get = <T>(name: string): T | undefined => settings.value<T>(name);
  const spanOf = (name: string): Span => settings.spanOf(name);

  const data = get<g.DatasetName>('data');
  if (!settings.has('data') && !attempted.has('data')) r.at('sem/missing-argument', "the train section needs its data set, as in 'data mnist, batch=64'", cmd.head.span);
  const spec: TrainSpec = { data: { name: data ?? 'mnist' } };
  setIf(spec.data, 'batch', get<number>('batch'));
  setIf(spec.data, 'validation', get<number>('validation'));
  setIf(spec.data, 'path', get<string>('path'));
  setIf(spec.data, 'limit', get<number>('limit'));

  if (OPTIMIZER_SETTINGS.some((k) => settings.has(k))) {
    const opt: NonNullable<TrainSpec['optimizer']> = { name: get<g.OptimizerName>('optimizer') ?? 'sgd' };
    setIf(opt, 'lr', get<number>('lr'));
    setIf(opt, 'momentum', get<number>('momentum'));
    setIf(opt, 'nesterov', get<boolean>('nesterov'));
    setIf(opt, 'weightDecay', get<number>('weight_decay'));
    setIf(opt, 'decay', get<g.DecayTarget>('decay'));
    setIf(opt, 'beta1', get<number>('beta1'));
    setIf(opt, 'beta2', get<number>('beta2'));
    setIf(opt, 'eps', get<number>('eps'));
    setIf(opt, 'clipGradNorm', get<number>('clip_grad_norm'));
    if (opt.nesterov && !(opt.momentum !== undefined && opt.momentum > 0)) {
      r.at('sem/conflicting-options', 'nesterov needs momentum > 0 (as in PyTorch)', spanOf('nesterov'));
    }
    const others = opt.name === 'sgd' ? ['beta1', 'beta2', 'eps'] : ['momentum', 'nesterov'];
    for (const k of others) {
      const set = settings.get(k);
      if (set) r.report('sem/conflicting-options', `${k} is an option of ${opt.name === 'sgd' ? 'adam and adamw' : 'sgd'}, not of ${opt.name}`, { span: set.span, file: set.file });
    }
    spec.optimizer = opt;
  }

  const schedule = lowerSchedule(settings, r);
  if (schedule) spec.schedule = schedule;

  const steps = get<number>('steps');
  const epochs = get<number>('epochs');
  if (steps !== undefined) spec.steps = steps;
  else if (epochs !== undefined) spec.epochs = epochs;
  setIf(spec, 'evalEvery', get<number>('eval_every'));
  setIf(spec, 'logParamsEvery', get<number>('log_params_every'));
  setIf(spec, 'seed', get<number>('seed'));
  const augment = get<AugmentationName[]>('augment');
  if (augment && augment.length > 0) {
    if (new Set(augment).size !== augment.length) r.at('sem/duplicate-option', 'an augmentation is listed twice', spanOf('augment'));
    spec.augment = augment;
  }
  checkAgainstLength(spec, spanOf, r);
  return r.count === errorsBefore ? spec : undefined;
}

/** Sets `obj[key]` when there is a value (a spec leaves out what is not written). */
function setIf<O extends object, K extends keyof O>(obj: O, key: K, v: O[K] | undefined): void {
  if (v !== undefined) obj[key] = v;
}

/** The settings of a train section, by name: each set once, overrides on top, converted and checked on the way out. */
class TrainSettings {
  private readonly map = new Map<string, Setting>();

  constructor(
    private readonly cmd: CommandStatement,
    private readonly scope: Scope,
    private readonly ctx: EvalContext,
  ) {}

  has(name: string): boolean {
    return this.map.has(name);
  }

  get(name: string): Setting | undefined {
    return this.map.get(name);
  }

  set(name: string, s: Setting): void {
    this.map.set(name, s);
  }

  /** Sets `name` unless the section set it already (a duplicate-option error). */
  put(name: string, s: Setting, keySpan: Span): void {
    const r = this.ctx.reporter;
    const prev = this.map.get(name);
    if (prev) {
      r.at('sem/duplicate-option', `${name} is set twice in the train section`, keySpan, { notes: [`first set at ${r.where({ span: prev.span, file: prev.file })}`] });
      return;
    }
    this.map.set(name, s);
  }

  /** The run's length is steps or epochs, not both. */
  checkLength(): void {
    const r = this.ctx.reporter;
    if (this.map.has('steps') && this.map.has('epochs')) {
      r.at('sem/conflicting-options', 'give the length of the run as steps or as epochs, not both', this.map.get('epochs')!.span, {
        notes: [`steps is set at ${r.where({ span: this.map.get('steps')!.span, file: this.ctx.file })}`],
      });
    }
  }

  /** Overrides replace settings (steps replaces epochs, and epochs steps). */
  override(overrides: readonly TrainOverride[]): void {
    for (const ov of overrides) {
      if (ov.name === 'steps') this.map.delete('epochs');
      if (ov.name === 'epochs') this.map.delete('steps');
      this.map.set(ov.name, { value: ov.value, span: ov.span, file: ov.file });
    }
  }

  /** The setting's value, converted to its option type and checked; undefined when absent or wrong (reported). */
  value<T>(name: string): T | undefined {
    const s = this.map.get(name);
    if (!s || !s.value) return undefined;
    const ctx = { ...this.ctx, file: s.file };
    if (name === 'augment') return (s.value.kind === 'list' && s.value.items.length === 0 ? [] : convert(s.value, typeOf(name).type, name, s.span, this.scope, ctx)) as T | undefined;
    const { type, label } = typeOf(name);
    return convert(s.value, type, label, s.span, this.scope, ctx) as T | undefined;
  }

  /** Where the setting was written (the section's head when it was not). */
  spanOf(name: string): Span {
    return this.map.get(name)?.span ?? this.cmd.head.span;
  }
}

/** `name = value` in a train section: a setting written as a sweep axis, or a sweep axis in the wrong section. */
function misplacedAssign(s: AssignStatement, attempted: Set<string>, ctx: EvalContext): void {
  const r = ctx.reporter;
  const name = s.name.text;
  const setting = TRAIN_SETTINGS[name];
  if (setting) {
    // Counted as given, so the section is not also "missing its data".
    attempted.add(name);
    const text = ctx.reporter.sources.get(ctx.file)?.slice(s.value.span.start, s.value.span.end) ?? '...';
    const written = setting.statement === setting.option ? `${name} ${text}` : `${setting.statement} ${name}=${text}`;
    r.at('sem/misplaced-statement', `in a train section a setting is a statement without '=': write '${written}' ('${name} = [...]' is a sweep axis)`, s.span);
  } else {
    r.at('sem/misplaced-statement', `'${name} = ...' belongs in a sweep section; a train section holds statements such as 'sgd lr=0.1'`, s.span);
  }
}

/** The schedule settings, when any is given: the schedule, with its options checked against its name. */
function lowerSchedule(settings: TrainSettings, r: EvalContext['reporter']): TrainSpec['schedule'] {
  const get = <T>(name: string): T | undefined => settings.value<T>(name);
  const spanOf = (name: string): Span => settings.spanOf(name);
  if (!['schedule', 'warmup', 'milestones', 'gamma', 'min_lr'].some((k) => settings.has(k))) return undefined;
  const name = get<g.ScheduleName>('schedule') ?? 'constant';
  const sch: NonNullable<TrainSpec['schedule']> = { name };
  setIf(sch, 'warmup', get<number>('warmup'));
  setIf(sch, 'milestones', get<number[]>('milestones'));
  setIf(sch, 'gamma', get<number>('gamma'));
  setIf(sch, 'minLr', get<number>('min_lr'));
  for (const [k, only] of [['milestones', 'step'], ['gamma', 'step'], ['min_lr', 'cosine']] as const) {
    if (settings.has(k) && name !== only && settings.has('schedule')) {
      r.at('sem/conflicting-options', `${k} is an option of the ${only} schedule, not of ${name}`, spanOf(k));
    }
  }
  if (sch.milestones) {
    for (let i = 1; i < sch.milestones.length; i++) {
      if (sch.milestones[i] <= sch.milestones[i - 1]) {
        r.at('sem/out-of-range', `milestones must increase, but ${formatNumber(sch.milestones[i])} follows ${formatNumber(sch.milestones[i - 1])}`, spanOf('milestones'));
        break;
      }
    }
  }
  return sch;
}

/** The warm-up and the evaluation interval must fit in the run. */
function checkAgainstLength(spec: TrainSpec, spanOf: (name: string) => Span, r: EvalContext['reporter']): void {
  if (spec.steps !== undefined && spec.schedule?.warmup !== undefined && spec.schedule.warmup >= spec.steps) {
    r.at('sem/out-of-range', `the warm-up (${spec.schedule.warmup} steps) is as long as the whole run (${spec.steps} steps)`, spanOf('warmup'));
  }
  if (spec.steps !== undefined && spec.evalEvery !== undefined && spec.evalEvery > spec.steps) {
    r.at('sem/out-of-range', `eval_every=${spec.evalEvery} is longer than the run (${spec.steps} steps): it would never evaluate before the end`, spanOf('eval_every'));
  }
}

/** `augment crop=4, flip` -> a list value [crop, flip] in the order written; undefined when wrong (reported). */
function augmentValue(s: CommandStatement, o: Options, ctx: EvalContext): Value | undefined {
  const entries: { at: number; value: Value | undefined }[] = o.rest.map((b) => ({ at: b.span.start, value: b.value }));
  let ok = true;
  for (const key of ['crop', 'flip'] as const) {
    const b = o.bound.get(key);
    if (!b || !b.value) continue;
    const v = o.get(key);
    if (v === undefined) {
      ok = false;
      continue;
    }
    if (key === 'crop' && typeof v === 'number' && v !== 0 && v !== 4) {
      // Reported; the other augmentations are still checked (the spec fails either way).
      ctx.reporter.report('sem/out-of-range', `crop pads 4 pixels (the CIFAR standard); other paddings are not supported yet, got ${v}`, b.value.origin);
      continue;
    }
    if (v === false || v === 0) continue;
    entries.push({ at: b.span.start, value: { kind: 'symbol', name: key, origin: b.value.origin } });
  }
  if (!ok) return undefined;
  entries.sort((a, b) => a.at - b.at);
  const items: Value[] = [];
  for (const e of entries) {
    if (!e.value) return undefined;
    items.push(e.value);
  }
  return { kind: 'list', items, origin: { span: s.span, file: ctx.file } };
}

function unknownSetting(s: CommandStatement, ctx: EvalContext): void {
  const head = s.head.text;
  if (head in MODEL_STATEMENTS) {
    ctx.reporter.at('sem/misplaced-statement', `'${head}' is a layer; it belongs in the model section`, s.head.span);
    return;
  }
  const suggestions = g.closestNames(head, Object.keys(TRAIN_STATEMENTS));
  ctx.reporter.at('sem/unknown-setting', `unknown training setting '${head}'${didYouMean(suggestions)}`, s.head.span, {
    suggestions,
    notes: suggestions.length === 0 ? [`the train section takes: ${Object.keys(TRAIN_STATEMENTS).join(', ')}`] : [],
  });
}
