import { describe, expect, it } from 'vitest';
import { fixupGain, initPlan, residualScalar, schemeAlpha } from './init-plan';
import { INIT_NAMES } from './vocabulary';

describe('initPlan', () => {
  it('maps every init name to a (weights, scheme) pair', () => {
    expect(initPlan('skipinit')).toEqual({ weights: 'he', scheme: 'skipinit' });
    expect(initPlan('fixup')).toEqual({ weights: 'he', scheme: 'fixup' });
    expect(initPlan('scaled')).toEqual({ weights: 'he', scheme: 'scaled' });
    expect(initPlan('plain')).toEqual({ weights: 'he', scheme: 'plain' });
    expect(initPlan('he')).toEqual({ weights: 'he', scheme: 'plain' });
    expect(initPlan('xavier_uniform')).toEqual({ weights: 'xavier_uniform', scheme: 'plain' });
    for (const n of INIT_NAMES) expect(initPlan(n)).toBeTruthy();
  });
});

describe('residual scalars', () => {
  it('skipinit: learnable, 0; scaled: fixed 1/sqrt(d); plain: none; fixup: learnable multiplier 1', () => {
    expect(residualScalar({ scheme: 'skipinit' }, 1000)).toEqual({ init: 0, learnable: true });
    expect(residualScalar({ scheme: 'scaled' }, 100)).toEqual({ init: 0.1, learnable: false });
    expect(residualScalar({ scheme: 'plain' }, 100)).toBeNull();
    expect(residualScalar({ scheme: 'fixup' }, 100)).toEqual({ init: 1, learnable: true });
  });

  it('applies the block overrides', () => {
    expect(residualScalar({ scheme: 'skipinit', alpha: 1 / Math.sqrt(16) }, 16)).toEqual({ init: 0.25, learnable: true });
    expect(residualScalar({ scheme: 'scaled', learnable: true }, 4)).toEqual({ init: 0.5, learnable: true });
    expect(residualScalar({ scheme: 'plain', alpha: 0.5 }, 4)).toEqual({ init: 0.5, learnable: false });
    expect(residualScalar({ scheme: 'plain', learnable: true }, 4)).toEqual({ init: 1, learnable: true });
  });

  it('keeps SkipInit\'s bound: (1 + alpha^2)^d <= e for alpha = 1/sqrt(d)', () => {
    for (const d of [1, 10, 1000, 1_000_000]) expect((1 + schemeAlpha('scaled', d) ** 2) ** d).toBeLessThanOrEqual(Math.E);
  });

  it('fixup gain is d^(-1/(2m-2))', () => {
    expect(fixupGain(16, 2)).toBeCloseTo(0.25, 12);
    expect(fixupGain(64, 3)).toBeCloseTo(64 ** -0.25, 12);
    expect(fixupGain(100, 1)).toBe(1);
  });
});
