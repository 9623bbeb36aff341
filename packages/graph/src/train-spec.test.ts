import { describe, expect, it } from 'vitest';
import { applyTrainSetting, resolveTrainSpec, validateTrainSpec } from './train-spec';
import type { TrainSpec } from './study-types';

const design: TrainSpec = {
  data: { name: 'mnist', batch: 64 },
  optimizer: { name: 'sgd', lr: 0.01, momentum: 0.9, weightDecay: 5e-4 },
  schedule: { name: 'cosine', warmup: 100 },
  steps: 2000,
  evalEvery: 500,
  seed: 0,
};

describe('resolveTrainSpec', () => {
  it('fills every default', () => {
    expect(resolveTrainSpec({ data: { name: 'cifar10' } })).toEqual({
      data: { name: 'cifar10', batch: 128, validation: 0, path: null, limit: null },
      optimizer: { name: 'sgd', lr: 0.01, momentum: 0, nesterov: false, weightDecay: 0, decay: 'all' },
      schedule: { name: 'constant', warmup: 0, milestones: [], gamma: 0.1, minLr: 0 },
      steps: null,
      epochs: 1,
      evalEvery: 'epoch',
      logParamsEvery: 100,
      seed: 0,
      augment: [],
    });
  });

  it('keeps what is given (the deep MLP example\'s recipe)', () => {
    const r = resolveTrainSpec(design);
    expect(r.optimizer).toEqual({ name: 'sgd', lr: 0.01, momentum: 0.9, nesterov: false, weightDecay: 5e-4, decay: 'all' });
    expect(r.schedule).toEqual({ name: 'cosine', warmup: 100, milestones: [], gamma: 0.1, minLr: 0 });
    expect([r.steps, r.epochs, r.evalEvery]).toEqual([2000, null, 500]);
  });

  it('puts default step milestones at 50% and 75% of the run, in its unit', () => {
    expect(resolveTrainSpec({ data: { name: 'cifar10' }, schedule: { name: 'step' }, epochs: 200 }).schedule.milestones).toEqual([100, 150]);
    expect(resolveTrainSpec({ data: { name: 'cifar10' }, schedule: { name: 'step' }, steps: 1000 }).schedule.milestones).toEqual([500, 750]);
  });

  it('does not share arrays with the spec', () => {
    const spec: TrainSpec = { data: { name: 'mnist' }, augment: ['flip'] };
    resolveTrainSpec(spec).augment.push('crop');
    expect(spec.augment).toEqual(['flip']);
  });
});

describe('validateTrainSpec', () => {
  it('accepts a good recipe', () => {
    expect(validateTrainSpec(design)).toEqual([]);
  });

  it('reports each problem at its path, with suggestions for names', () => {
    const issues = validateTrainSpec({
      data: { name: 'cifar', batch: 0 },
      optimizer: { name: 'sgd', lr: -1, momentum: 1, nesterov: true },
      schedule: { name: 'cosin', warmup: 5000 },
      steps: 100,
      epochs: 3,
      augment: ['flip', 'flip'],
      sed: 1,
    } as unknown as TrainSpec);
    expect(issues.map((i) => [i.code, i.where, i.message])).toEqual([
      ['train/bad-attribute', 'train.sed', "unknown train setting 'sed'; did you mean 'seed'?"],
      ['train/unknown-name', 'train.data.name', "unknown data set 'cifar'; did you mean 'cifar10' or 'cifar100'?"],
      ['train/out-of-range', 'train.data.batch', 'batch must lie in [1, 65536], got 0'],
      ['train/out-of-range', 'train.optimizer.lr', 'lr must be > 0, got -1'],
      ['train/out-of-range', 'train.optimizer.momentum', 'momentum must be in [0, 1), got 1'],
      ['train/conflict', 'train.epochs', 'give steps or epochs, not both'],
      ['train/unknown-name', 'train.schedule.name', "unknown schedule 'cosin'; did you mean 'cosine'?"],
      ['train/conflict', 'train.schedule.warmup', 'warmup (5000 steps) is longer than the run (100 steps)'],
      ['train/conflict', 'train.augment', 'an augmentation is listed twice'],
    ]);
  });

  it('nesterov needs momentum; milestones need the step schedule', () => {
    expect(validateTrainSpec({ data: { name: 'mnist' }, optimizer: { name: 'sgd', nesterov: true } }).map((i) => i.code)).toEqual(['train/conflict']);
    expect(validateTrainSpec({ data: { name: 'mnist' }, schedule: { name: 'cosine', milestones: [3] } }).map((i) => i.code)).toEqual(['train/conflict']);
    expect(validateTrainSpec({ data: { name: 'mnist' }, schedule: { name: 'step', milestones: [5, 3] } }).map((i) => i.code)).toEqual(['train/out-of-range']);
  });

  it('never throws on junk', () => {
    for (const v of [null, 3, [], { data: 3 }, { data: { name: 'mnist' }, optimizer: [], schedule: 'x', augment: 'flip' }])
      expect(validateTrainSpec(v).length).toBeGreaterThan(0);
  });
});

describe('applyTrainSetting', () => {
  it('maps DSL names to fields without touching the input', () => {
    const r = applyTrainSetting(design, 'weight_decay', 0);
    expect(r).toMatchObject({ ok: true, spec: { optimizer: { weightDecay: 0 } } });
    expect(design.optimizer!.weightDecay).toBe(5e-4);
    expect(applyTrainSetting(design, 'batch', 32)).toMatchObject({ ok: true, spec: { data: { name: 'mnist', batch: 32 } } });
    expect(applyTrainSetting({ data: { name: 'mnist' } }, 'lr', 0.1)).toMatchObject({ ok: true, spec: { optimizer: { name: 'sgd', lr: 0.1 } } });
    expect(applyTrainSetting(design, 'augment', ['crop', 'flip'])).toMatchObject({ ok: true, spec: { augment: ['crop', 'flip'] } });
    expect(applyTrainSetting(design, 'augment', 'none')).toMatchObject({ ok: true, spec: { augment: [] } });
  });

  it('steps and epochs replace each other', () => {
    const r = applyTrainSetting(design, 'epochs', 5);
    expect(r.ok && [r.spec.steps, r.spec.epochs]).toEqual([undefined, 5]);
  });

  it('refuses a value of the wrong type', () => {
    expect(applyTrainSetting(design, 'lr', 'fast')).toEqual({ ok: false, message: 'lr takes a number, got "fast"' });
    expect(applyTrainSetting(design, 'nesterov', 1)).toEqual({ ok: false, message: 'nesterov takes true or false, got 1' });
  });
});
