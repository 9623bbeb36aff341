import { describe, expect, it } from 'vitest';
import { checkSchedule, learningRate } from './schedule';
import type { ScheduleConfig, ScheduleContext } from './schedule';

const sched = (s: Partial<ScheduleConfig>): ScheduleConfig => ({ name: 'constant', warmup: 0, milestones: [], gamma: 0.1, minLr: 0, ...s });
const ctx = (c: Partial<ScheduleContext> = {}): ScheduleContext => ({ lr: 0.1, totalSteps: 10, stepsPerEpoch: 5, unit: 'steps', ...c });

describe('learningRate', () => {
  it('constant is the base lr at every step', () => {
    for (const t of [0, 1, 9]) expect(learningRate(sched({}), ctx(), t)).toBe(0.1);
  });

  it('linear warm-up: lr/warmup at step 0, the full lr at step warmup-1, then the schedule', () => {
    const s = sched({ name: 'warmup', warmup: 4 });
    expect([0, 1, 2, 3, 4, 9].map((t) => learningRate(s, ctx(), t))).toEqual([0.025, 0.05, 0.07500000000000001, 0.1, 0.1, 0.1]);
    // 'constant' with warmup= is the same schedule
    expect(learningRate(sched({ warmup: 4 }), ctx(), 1)).toBe(0.05);
  });

  it('cosine over the whole run: lr, lr/2 half way, approaching minLr', () => {
    const s = sched({ name: 'cosine' });
    expect(learningRate(s, ctx(), 0)).toBe(0.1);
    expect(learningRate(s, ctx(), 5)).toBeCloseTo(0.05, 15); // (1 + cos(pi/2)) / 2 = 1/2
    // t = 9 of 10: 0.1 * (1 + cos(0.9 pi)) / 2 = 0.1 * (1 - 0.9510565162951535) / 2
    expect(learningRate(s, ctx(), 9)).toBeCloseTo(0.002447174185242324, 15);
    // minLr is a fraction of lr: half way between 0.1 and 0.02
    expect(learningRate(sched({ name: 'cosine', minLr: 0.2 }), ctx(), 5)).toBeCloseTo(0.06, 15);
  });

  it('cosine after a warm-up starts at the full lr and spans the remaining steps', () => {
    const s = sched({ name: 'cosine', warmup: 4 });
    expect(learningRate(s, ctx(), 0)).toBe(0.025);
    expect(learningRate(s, ctx(), 3)).toBe(0.1);
    expect(learningRate(s, ctx(), 4)).toBe(0.1); // s = 0
    expect(learningRate(s, ctx(), 7)).toBeCloseTo(0.05, 15); // s = 3/6
  });

  it('step decays by gamma at each milestone, counted in epochs for runs given in epochs', () => {
    const s = sched({ name: 'step', milestones: [2, 3], gamma: 0.1 });
    const c = ctx({ totalSteps: 500, stepsPerEpoch: 100, unit: 'epochs' });
    expect(learningRate(s, c, 199)).toBe(0.1);
    expect(learningRate(s, c, 200)).toBeCloseTo(0.01, 15);
    expect(learningRate(s, c, 299)).toBeCloseTo(0.01, 15);
    expect(learningRate(s, c, 300)).toBeCloseTo(0.001, 15);
    // in steps
    const cs = ctx({ totalSteps: 500, stepsPerEpoch: 100, unit: 'steps' });
    expect(learningRate(s, cs, 1)).toBe(0.1);
    expect(learningRate(s, cs, 2)).toBeCloseTo(0.01, 15);
    expect(learningRate(s, cs, 3)).toBeCloseTo(0.001, 15);
  });

  it('is a pure function of the step', () => {
    const s = sched({ name: 'cosine', warmup: 3, minLr: 0.1 });
    const forward = Array.from({ length: 10 }, (_, t) => learningRate(s, ctx(), t));
    const backward = Array.from({ length: 10 }, (_, t) => learningRate(s, ctx(), 9 - t)).reverse();
    expect(backward).toEqual(forward);
  });

  it('refuses a bad step and a warm-up longer than the run', () => {
    expect(() => learningRate(sched({}), ctx(), -1)).toThrow(/step must be an integer >= 0/);
    expect(() => checkSchedule(sched({ warmup: 11 }), ctx())).toThrow(/warmup \(11 steps\) is longer than the run \(10 steps\)/);
    expect(() => checkSchedule(sched({}), ctx({ totalSteps: 0 }))).toThrow(/totalSteps/);
  });
});
