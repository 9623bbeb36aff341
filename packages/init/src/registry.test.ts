import { INIT_NAMES, WEIGHT_INIT_NAMES, initPlan } from '@skipinit/graph';
import type { WeightInitName } from '@skipinit/graph';
import { describe, expect, it } from 'vitest';
import { SeededRng } from '../test/seeded-rng';
import { Z, zScores } from '../test/moments';
import { constant, ones, zeros } from './constant';
import { fans } from './fans';
import type { Initializer } from './registry';
import { initWeight, WEIGHT_INITIALIZERS } from './registry';
import { RESIDUAL_SCHEMES } from './schemes';

// A Record over WeightInitName: leaving a vocabulary name out is a compile error. `tsc -p
// packages/init` checks this file, so the expectation below fails the typecheck if it ever compiles.
// @ts-expect-error -- 'orthogonal' (and others) missing: the registry must cover the whole vocabulary
const _incomplete: Record<WeightInitName, Initializer> = { he: WEIGHT_INITIALIZERS.he };

describe('WEIGHT_INITIALIZERS', () => {
  it('implements exactly the vocabulary', () => {
    expect(Object.keys(WEIGHT_INITIALIZERS).sort()).toEqual([...WEIGHT_INIT_NAMES].sort());
  });

  it("every init= name of the vocabulary resolves to an implemented (weights, scheme) pair", () => {
    for (const name of INIT_NAMES) {
      const plan = initPlan(name);
      expect(WEIGHT_INITIALIZERS[plan.weights], name).toBeTypeOf('function');
      expect(RESIDUAL_SCHEMES[plan.scheme], name).toBeDefined();
    }
  });

  it('every name draws values of the right size, finite, from the rng', () => {
    for (const name of WEIGHT_INIT_NAMES) {
      const v = initWeight(name, [12, 6, 3, 3], new SeededRng(1));
      expect(v.length, name).toBe(12 * 6 * 9);
      expect(v.every(Number.isFinite), name).toBe(true);
    }
  });

  const variance: Record<Exclude<WeightInitName, 'zeros' | 'orthogonal'>, [string, (fi: number, fo: number) => number]> = {
    he: ['normal', (fi) => 2 / fi],
    he_uniform: ['uniform', (fi) => 2 / fi],
    xavier: ['normal', (fi, fo) => 2 / (fi + fo)],
    xavier_uniform: ['uniform', (fi, fo) => 2 / (fi + fo)],
    lecun: ['normal', (fi) => 1 / fi],
  };
  for (const [name, [kind, v]] of Object.entries(variance)) {
    it(`${name}: the documented distribution (5 sigma), and gain multiplies it`, () => {
      const shape = [128, 64, 3, 3];
      const f = fans(shape);
      const z = zScores(initWeight(name as WeightInitName, shape, new SeededRng(2)), kind as 'normal', v(f.fanIn, f.fanOut));
      expect(Math.max(Math.abs(z.mean), Math.abs(z.m2), Math.abs(z.m4))).toBeLessThan(Z);
      const g = 0.25;
      const zg = zScores(initWeight(name as WeightInitName, shape, new SeededRng(2), { gain: g }), kind as 'normal', g * g * v(f.fanIn, f.fanOut));
      expect(Math.max(Math.abs(zg.mean), Math.abs(zg.m2), Math.abs(zg.m4))).toBeLessThan(Z);
    });
  }

  it('zeros is zero; orthogonal is orthogonal with gain 1', () => {
    expect(initWeight('zeros', [3, 4], new SeededRng(0)).every((x) => x === 0)).toBe(true);
    const w = initWeight('orthogonal', [4, 9], new SeededRng(0));
    for (let a = 0; a < 4; a++)
      for (let b = 0; b < 4; b++) {
        let s = 0;
        for (let c = 0; c < 9; c++) s += w[a * 9 + c] * w[b * 9 + c];
        expect(s).toBeCloseTo(a === b ? 1 : 0, 6);
      }
  });

  it('names an unknown initialiser and the known ones', () => {
    expect(() => initWeight('kaiming' as never, [2, 2], new SeededRng(0))).toThrow(/initWeight: unknown weight initialiser "kaiming"; expected one of he, he_uniform/);
    expect(() => initWeight('he', [2, 2], new SeededRng(0), { gain: NaN })).toThrow(/initWeight: he: gain NaN/);
  });
});

describe('constant initialisers', () => {
  it('zeros, ones, constant', () => {
    expect([...zeros([2, 2])]).toEqual([0, 0, 0, 0]);
    expect([...ones([3])]).toEqual([1, 1, 1]);
    expect([...constant([2], 0.5)]).toEqual([0.5, 0.5]);
    expect(() => constant([2], NaN)).toThrow(/constant: value must be a number/);
  });
});
