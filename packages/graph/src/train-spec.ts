// The training recipe: its defaults, its validation, and how a sweep's train setting (DSL
// spelling: lr, weight_decay, ...) applies to it.
//
// Defaults (resolveTrainSpec):
//   data        batch 128, validation 0 (evaluate on the test set), all training examples
//   optimizer   sgd, lr 0.01, momentum 0, nesterov false, weight_decay 0 applied to all parameters;
//               adam: lr 0.001, beta1 0.9, beta2 0.999, eps 1e-8, weight_decay 0; adamw: the same with
//               weight_decay 0.01 (PyTorch's defaults); no gradient clipping
//   schedule    constant, warmup 0 steps; step: milestones at 50% and 75% of the run, gamma 0.1;
//               cosine: down to minLr = 0 (a fraction of lr)
//   length      1 epoch when neither steps nor epochs is given
//   eval_every  the end of every epoch (and the end of the run)
//   log_params_every  100 steps (block scalars, gradient norms, weight norms; 0 turns it off)
//   seed 0, no augmentation

import { closestNames } from './closest-names';
import type { IssueCode } from './issues';
import { IssueList } from './issues';
import { MAX_BATCH, MAX_STEPS } from './limits';
import type { GraphIssue } from './types';
import type { ResolvedTrainSpec, SweepValue, TrainSpec } from './study-types';
import type { TrainSettingName } from './vocabulary';
import {
  AUGMENTATION_NAMES,
  DATASET_NAMES,
  DECAY_TARGETS,
  OPTIMIZER_NAMES,
  SCHEDULE_NAMES,
} from './vocabulary';

export const TRAIN_DEFAULTS = {
  batch: 128,
  validation: 0,
  lr: 0.01,
  momentum: 0,
  nesterov: false,
  weightDecay: 0,
  decay: 'all',
  schedule: 'constant',
  warmup: 0,
  gamma: 0.1,
  minLr: 0,
  epochs: 1,
  evalEvery: 'epoch',
  logParamsEvery: 100,
  seed: 0,
  adam: { lr: 0.001, beta1: 0.9, beta2: 0.999, eps: 1e-8, weightDecay: 0 },
  adamw: { lr: 0.001, beta1: 0.9, beta2: 0.999, eps: 1e-8, weightDecay: 0.01 },
} as const;

function resolveOptimizer(o: TrainSpec['optimizer']): ResolvedTrainSpec['optimizer'] {
  const name = o?.name ?? 'sgd';
  const adam = name === 'sgd' ? null : TRAIN_DEFAULTS[name];
  return {
    name,
    lr: o?.lr ?? adam?.lr ?? TRAIN_DEFAULTS.lr,
    momentum: o?.momentum ?? TRAIN_DEFAULTS.momentum,
    nesterov: o?.nesterov ?? TRAIN_DEFAULTS.nesterov,
    weightDecay: o?.weightDecay ?? adam?.weightDecay ?? TRAIN_DEFAULTS.weightDecay,
    decay: o?.decay ?? TRAIN_DEFAULTS.decay,
    ...(adam ? { beta1: o?.beta1 ?? adam.beta1, beta2: o?.beta2 ?? adam.beta2, eps: o?.eps ?? adam.eps } : {}),
    ...(o?.clipGradNorm !== undefined ? { clipGradNorm: o.clipGradNorm } : {}),
  };
}

/** Fill every default of a (valid) TrainSpec. */
export function resolveTrainSpec(spec: TrainSpec): ResolvedTrainSpec {
  const o = spec.optimizer;
  const s = spec.schedule;
  const steps = spec.steps ?? null;
  const epochs = steps === null ? (spec.epochs ?? TRAIN_DEFAULTS.epochs) : null;
  const length = steps ?? epochs!;
  const name = s?.name ?? TRAIN_DEFAULTS.schedule;
  const milestones =
    s?.milestones !== undefined
      ? [...s.milestones]
      : name === 'step'
        ? [...new Set([Math.round(length * 0.5), Math.round(length * 0.75)])].filter((m) => m > 0)
        : [];
  return {
    data: {
      name: spec.data.name,
      batch: spec.data.batch ?? TRAIN_DEFAULTS.batch,
      validation: spec.data.validation ?? TRAIN_DEFAULTS.validation,
      path: spec.data.path ?? null,
      limit: spec.data.limit ?? null,
    },
    optimizer: resolveOptimizer(o),
    schedule: {
      name,
      warmup: s?.warmup ?? TRAIN_DEFAULTS.warmup,
      milestones,
      gamma: s?.gamma ?? TRAIN_DEFAULTS.gamma,
      minLr: s?.minLr ?? TRAIN_DEFAULTS.minLr,
    },
    steps,
    epochs,
    evalEvery: spec.evalEvery ?? TRAIN_DEFAULTS.evalEvery,
    logParamsEvery: spec.logParamsEvery ?? TRAIN_DEFAULTS.logParamsEvery,
    seed: spec.seed ?? TRAIN_DEFAULTS.seed,
    augment: [...(spec.augment ?? [])],
  };
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const isNum = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);
const isPosInt = (v: unknown): v is number => Number.isInteger(v) && (v as number) > 0;

type Path = (string | number)[];

/** The checks validateTrainSpec is written in: each adds an issue at `base` + path when the value is wrong. */
function trainChecks(list: IssueList, base: Path) {
  const add = (code: IssueCode, msg: string, path: Path): void => list.add(code, msg, [...base, ...path], undefined);
  const keys = (o: Obj, allowed: string[], path: Path): void => {
    for (const k of Object.keys(o))
      if (!allowed.includes(k)) {
        const c = closestNames(k, allowed);
        add('train/bad-attribute', `unknown train setting '${k}'${c.length ? `; did you mean '${c[0]}'?` : ''}`, [...path, k]);
      }
  };
  const name = (v: unknown, names: readonly string[], what: string, path: Path): void => {
    if (typeof v !== 'string') return add('train/bad-attribute', `${what} must be one of ${names.join(', ')}`, path);
    if (!names.includes(v)) {
      const c = closestNames(v, names);
      add('train/unknown-name', `unknown ${what} '${v}'${c.length ? `; did you mean ${c.map((x) => `'${x}'`).join(' or ')}?` : ''}`, path);
    }
  };
  const num = (v: unknown, what: string, path: Path, ok: (x: number) => boolean, range: string): void => {
    if (v === undefined) return;
    if (!isNum(v)) return add('train/bad-attribute', `${what} must be a number`, path);
    if (!ok(v)) add('train/out-of-range', `${what} must be ${range}, got ${v}`, path);
  };
  const int = (v: unknown, what: string, path: Path, min: number, max: number): void => {
    if (v === undefined) return;
    if (!Number.isInteger(v)) return add('train/bad-attribute', `${what} must be an integer`, path);
    if ((v as number) < min || (v as number) > max) add('train/out-of-range', `${what} must lie in [${min}, ${max}], got ${v}`, path);
  };
  return { add, keys, name, num, int };
}
type TrainChecks = ReturnType<typeof trainChecks>;

/** The schedule section of a train spec (`steps`: the run's length, for the warm-up check). */
function checkSchedule({ add, keys, name, num, int }: TrainChecks, s: unknown, steps: unknown): void {
  if (s === undefined) return;
  if (!isObj(s)) return add('train/bad-attribute', 'schedule must be an object', ['schedule']);
  keys(s, ['name', 'warmup', 'milestones', 'gamma', 'minLr'], ['schedule']);
  name(s.name, SCHEDULE_NAMES, 'schedule', ['schedule', 'name']);
  int(s.warmup, 'warmup', ['schedule', 'warmup'], 0, MAX_STEPS);
  if (isPosInt(steps) && Number.isInteger(s.warmup) && (s.warmup as number) > steps)
    add('train/conflict', `warmup (${s.warmup} steps) is longer than the run (${steps} steps)`, ['schedule', 'warmup']);
  num(s.gamma, 'gamma', ['schedule', 'gamma'], (x) => x > 0, '> 0');
  num(s.minLr, 'min_lr', ['schedule', 'minLr'], (x) => x >= 0 && x <= 1, 'in [0, 1] (a fraction of lr)');
  if (s.milestones !== undefined) {
    const m = s.milestones;
    if (!Array.isArray(m) || !m.every(isPosInt)) add('train/bad-attribute', 'milestones must be a list of positive integers', ['schedule', 'milestones']);
    else if (m.some((x, i) => i > 0 && x <= m[i - 1])) add('train/out-of-range', 'milestones must increase', ['schedule', 'milestones']);
    else if (s.name !== 'step') add('train/conflict', `milestones only apply to the step schedule, not '${String(s.name)}'`, ['schedule', 'milestones']);
  }
}

/** Check a TrainSpec (any value). Paths start at `base` (default ['train']). Never throws. */
export function validateTrainSpec(spec: unknown, base: (string | number)[] = ['train']): GraphIssue[] {
  const list = new IssueList();
  const checks = trainChecks(list, base);
  const { add, keys, name, num, int } = checks;

  if (!isObj(spec)) {
    add('train/bad-attribute', 'a train spec must be an object with at least data', []);
    return list.issues;
  }
  keys(spec, ['data', 'optimizer', 'schedule', 'steps', 'epochs', 'evalEvery', 'logParamsEvery', 'seed', 'augment'], []);
  const data = spec.data;
  if (!isObj(data)) add('train/bad-attribute', 'data must name a data set', ['data']);
  else {
    keys(data, ['name', 'batch', 'validation', 'path', 'limit'], ['data']);
    name(data.name, DATASET_NAMES, 'data set', ['data', 'name']);
    int(data.batch, 'batch', ['data', 'batch'], 1, MAX_BATCH);
    num(data.validation, 'validation', ['data', 'validation'], (x) => x >= 0 && x < 1, 'in [0, 1)');
    if (data.path !== undefined && typeof data.path !== 'string') add('train/bad-attribute', 'data path must be a string', ['data', 'path']);
    int(data.limit, 'limit', ['data', 'limit'], 1, Number.MAX_SAFE_INTEGER);
  }
  const o = spec.optimizer;
  if (o !== undefined) {
    if (!isObj(o)) add('train/bad-attribute', 'optimizer must be an object', ['optimizer']);
    else {
      keys(o, ['name', 'lr', 'momentum', 'nesterov', 'weightDecay', 'decay', 'beta1', 'beta2', 'eps', 'clipGradNorm'], ['optimizer']);
      name(o.name, OPTIMIZER_NAMES, 'optimizer', ['optimizer', 'name']);
      num(o.lr, 'lr', ['optimizer', 'lr'], (x) => x > 0, '> 0');
      num(o.momentum, 'momentum', ['optimizer', 'momentum'], (x) => x >= 0 && x < 1, 'in [0, 1)');
      num(o.weightDecay, 'weight_decay', ['optimizer', 'weightDecay'], (x) => x >= 0, '>= 0');
      if (o.nesterov !== undefined && typeof o.nesterov !== 'boolean') add('train/bad-attribute', 'nesterov must be true or false', ['optimizer', 'nesterov']);
      if (o.nesterov === true && !(isNum(o.momentum) && o.momentum > 0))
        add('train/conflict', 'nesterov needs momentum > 0', ['optimizer', 'nesterov']);
      if (o.decay !== undefined) name(o.decay, DECAY_TARGETS, 'decay target', ['optimizer', 'decay']);
      for (const k of ['beta1', 'beta2'] as const) num(o[k], k, ['optimizer', k], (x) => x >= 0 && x < 1, 'in [0, 1)');
      num(o.eps, 'eps', ['optimizer', 'eps'], (x) => x > 0, '> 0');
      num(o.clipGradNorm, 'clip_grad_norm', ['optimizer', 'clipGradNorm'], (x) => x > 0, '> 0');
      const sgd = (o.name ?? 'sgd') === 'sgd';
      for (const k of sgd ? (['beta1', 'beta2', 'eps'] as const) : (['momentum', 'nesterov'] as const)) {
        if (o[k] !== undefined && !(k === 'momentum' && o[k] === 0) && !(k === 'nesterov' && o[k] === false)) {
          add('train/conflict', `${k} is an option of ${sgd ? 'adam and adamw' : 'sgd'}, not of ${String(o.name)}`, ['optimizer', k]);
        }
      }
    }
  }
  if (spec.steps !== undefined && spec.epochs !== undefined) add('train/conflict', 'give steps or epochs, not both', ['epochs']);
  int(spec.steps, 'steps', ['steps'], 1, MAX_STEPS);
  int(spec.epochs, 'epochs', ['epochs'], 1, MAX_STEPS);
  checkSchedule(checks, spec.schedule, spec.steps);
  int(spec.evalEvery, 'eval_every', ['evalEvery'], 1, MAX_STEPS);
  int(spec.logParamsEvery, 'log_params_every', ['logParamsEvery'], 0, MAX_STEPS);
  int(spec.seed, 'seed', ['seed'], 0, 2 ** 32 - 1);
  if (spec.augment !== undefined) {
    if (!Array.isArray(spec.augment)) add('train/bad-attribute', 'augment must be a list of augmentation names', ['augment']);
    else {
      spec.augment.forEach((a, i) => name(a, AUGMENTATION_NAMES, 'augmentation', ['augment', i]));
      if (new Set(spec.augment).size !== spec.augment.length) add('train/conflict', 'an augmentation is listed twice', ['augment']);
    }
  }
  return list.issues;
}

const optOf = (s: TrainSpec): NonNullable<TrainSpec['optimizer']> => (s.optimizer ??= { name: 'sgd' });
const schOf = (s: TrainSpec): NonNullable<TrainSpec['schedule']> => (s.schedule ??= { name: 'constant' });

/** The train settings that take one number, and where it goes. */
const NUMBER_SETTINGS: Partial<Record<TrainSettingName, (s: TrainSpec, v: number) => void>> = {
  batch: (s, v) => void (s.data.batch = v),
  validation: (s, v) => void (s.data.validation = v),
  lr: (s, v) => void (optOf(s).lr = v),
  momentum: (s, v) => void (optOf(s).momentum = v),
  beta1: (s, v) => void (optOf(s).beta1 = v),
  beta2: (s, v) => void (optOf(s).beta2 = v),
  eps: (s, v) => void (optOf(s).eps = v),
  clip_grad_norm: (s, v) => void (optOf(s).clipGradNorm = v),
  weight_decay: (s, v) => void (optOf(s).weightDecay = v),
  warmup: (s, v) => void (schOf(s).warmup = v),
  gamma: (s, v) => void (schOf(s).gamma = v),
  eval_every: (s, v) => void (s.evalEvery = v),
  log_params_every: (s, v) => void (s.logParamsEvery = v),
  seed: (s, v) => void (s.seed = v),
};

/**
 * `spec` with one train setting (DSL spelling) set to `value`: a new object, `spec` untouched.
 * Setting `steps` drops `epochs` and vice versa. The value's type is checked; its range is
 * `validateTrainSpec`'s job. Returns an error message when the value cannot go there.
 */
export function applyTrainSetting(
  spec: TrainSpec,
  name: TrainSettingName,
  value: SweepValue,
): { ok: true; spec: TrainSpec } | { ok: false; message: string } {
  const out: TrainSpec = structuredClone(spec);
  const want = (type: 'number' | 'string' | 'boolean'): boolean => typeof value === type;
  const bad = (what: string): { ok: false; message: string } => ({ ok: false, message: `${name} takes ${what}, got ${JSON.stringify(value)}` });
  const number = NUMBER_SETTINGS[name];
  if (number !== undefined) {
    if (!want('number')) return bad('a number');
    number(out, value as number);
    return { ok: true, spec: out };
  }
  switch (name) {
    case 'data':
      if (!want('string')) return bad('a data set name');
      out.data.name = value as TrainSpec['data']['name'];
      break;
    case 'optimizer':
      if (!want('string')) return bad('an optimiser name');
      optOf(out).name = value as NonNullable<TrainSpec['optimizer']>['name'];
      break;
    case 'nesterov':
      if (!want('boolean')) return bad('true or false');
      optOf(out).nesterov = value as boolean;
      break;
    case 'decay':
      if (!want('string')) return bad("'all' or 'weights'");
      optOf(out).decay = value as 'all';
      break;
    case 'schedule':
      if (!want('string')) return bad('a schedule name');
      schOf(out).name = value as 'constant';
      break;
    case 'milestones':
      if (!Array.isArray(value) || !value.every((v) => typeof v === 'number')) return bad('a list of numbers');
      schOf(out).milestones = [...(value as number[])];
      break;
    case 'steps':
    case 'epochs':
      if (!want('number')) return bad('a number');
      delete out.steps;
      delete out.epochs;
      out[name] = value as number;
      break;
    case 'augment': {
      const list = Array.isArray(value) ? value : [value];
      if (!list.every((v) => typeof v === 'string')) return bad('a list of augmentation names');
      out.augment = (list as string[]).filter((v) => v !== 'none') as TrainSpec['augment'];
      break;
    }
    default:
      return { ok: false, message: `${name} is not a train setting that a sweep can set` };
  }
  return { ok: true, spec: out };
}
