import { describe, expect, it } from 'vitest';
import { GraphError } from './issues';
import { expandSweep, sweepSize, validateSweep } from './sweep';
import type { SweepSpec, TrainSpec } from './study-types';

const train: TrainSpec = { data: { name: 'mnist', batch: 64 }, optimizer: { name: 'sgd', lr: 0.01, momentum: 0.9 }, steps: 2000 };

describe('expandSweep', () => {
  const sweep: SweepSpec = {
    axes: [
      { name: 'init', target: 'let', values: ['skipinit', 'he'] },
      { name: 'lr', target: 'train', values: [0.01, 0.1] },
      { name: 'batch', target: 'train', values: [32, 64, 128] },
    ],
  };

  it('enumerates the grid like itertools.product: first axis slowest', () => {
    const cells = expandSweep(sweep, train);
    expect(cells.map((c) => c.key)).toEqual([
      'init=skipinit,lr=0.01,batch=32',
      'init=skipinit,lr=0.01,batch=64',
      'init=skipinit,lr=0.01,batch=128',
      'init=skipinit,lr=0.1,batch=32',
      'init=skipinit,lr=0.1,batch=64',
      'init=skipinit,lr=0.1,batch=128',
      'init=he,lr=0.01,batch=32',
      'init=he,lr=0.01,batch=64',
      'init=he,lr=0.01,batch=128',
      'init=he,lr=0.1,batch=32',
      'init=he,lr=0.1,batch=64',
      'init=he,lr=0.1,batch=128',
    ]);
    expect(cells.map((c) => c.index)).toEqual([...Array(12).keys()]);
    expect(sweepSize(sweep)).toBe(12);
  });

  it('splits each cell into let overrides and a resolved recipe', () => {
    const c = expandSweep(sweep, train)[10];
    expect(c.values).toEqual({ init: 'he', lr: 0.1, batch: 64 });
    expect(c.lets).toEqual({ init: 'he' });
    expect(c.train!.optimizer).toMatchObject({ lr: 0.1, momentum: 0.9 });
    expect(c.train!.data.batch).toBe(64);
    expect(c.train!.steps).toBe(2000);
    // The base recipe is untouched.
    expect(train.optimizer!.lr).toBe(0.01);
  });

  it('is stable: the same spec gives the same cells', () => {
    expect(expandSweep(sweep, train)).toEqual(expandSweep(sweep, train));
  });

  it('works without a train block when only lets are swept', () => {
    const cells = expandSweep({ axes: [{ name: 'depth', target: 'let', values: [10, 100] }] }, null);
    expect(cells.map((c) => [c.key, c.train])).toEqual([
      ['depth=10', null],
      ['depth=100', null],
    ]);
  });

  it('keys list values readably', () => {
    const cells = expandSweep({ axes: [{ name: 'augment', target: 'train', values: [[], ['crop', 'flip']] }] }, train);
    expect(cells.map((c) => c.key)).toEqual(['augment=[]', 'augment=[crop,flip]']);
  });
});

describe('validateSweep', () => {
  it('reports every problem with its path', () => {
    const issues = validateSweep(
      {
        axes: [
          { name: 'lr', target: 'train', values: [0.1, -1, 'x'] },
          { name: 'lr', target: 'train', values: [0.2] },
          { name: 'momentun', target: 'train', values: [0.9] },
          { name: 'depth', target: 'let', values: [] },
        ],
      },
      train,
    );
    expect(issues.map((i) => [i.code, i.where, i.message])).toEqual([
      ['sweep/bad-value', 'sweep.axes[0].values[1]', 'sweep: lr=-1: lr must be > 0, got -1'],
      ['sweep/bad-value', 'sweep.axes[0].values[2]', 'sweep: lr=x: lr takes a number, got "x"'],
      ['sweep/duplicate-axis', 'sweep.axes[1]', "sweep: 'lr' is swept twice"],
      ['sweep/unknown-setting', 'sweep.axes[2]', "sweep: 'momentun' is neither a let nor a train setting; did you mean 'momentum'?"],
      ['sweep/empty', 'sweep.axes[3]', "sweep: 'depth' has no values"],
    ]);
  });

  it('a train axis needs a train block; the grid has a size limit', () => {
    expect(validateSweep({ axes: [{ name: 'lr', target: 'train', values: [0.1] }] }, null).map((i) => i.code)).toEqual(['sweep/no-train']);
    const big = Array.from({ length: 5 }, (_, i) => ({ name: `a${i}`, target: 'let' as const, values: Array.from({ length: 10 }, (_, j) => j) }));
    expect(validateSweep({ axes: big }, null).map((i) => i.message)).toEqual(['sweep: the grid has 100000 cells; the limit is 10000']);
  });

  it('expandSweep throws the issues of an invalid sweep', () => {
    expect(() => expandSweep({ axes: [] }, null)).toThrow(GraphError);
  });
});
