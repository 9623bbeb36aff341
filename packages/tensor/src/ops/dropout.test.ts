import { beforeEach, describe, expect, it } from 'vitest';
import { Engine, setBackend } from '../engine';
import { ReferenceBackend } from '../reference/reference-backend';
import { ones } from '../creation';
import { Rng } from '../rng';
import { vals } from '../test-util';
import { dropout } from './dropout';

beforeEach(() => {
  setBackend(new ReferenceBackend());
});

describe('dropout', () => {
  it('keeps about 1 - p of the values, scaled by 1 / (1 - p)', () => {
    const y = vals(dropout(ones([100, 100]), 0.3, { rng: new Rng(1) }));
    const kept = y.filter((v) => v !== 0);
    expect(kept.every((v) => Math.abs(v - 1 / 0.7) < 1e-12)).toBe(true);
    expect(Math.abs(kept.length / 10_000 - 0.7)).toBeLessThan(0.02);
  });

  it('the same seed gives the same mask on every engine; the mask follows the documented draw', () => {
    const other = new Engine(new ReferenceBackend());
    const a = vals(dropout(ones([7, 13]), 0.5, { rng: new Rng(42) }));
    const b = vals(dropout(ones([7, 13], { engine: other }), 0.5, { rng: new Rng(42) }));
    expect(a).toEqual(b);
    const r = new Rng(42);
    expect(a).toEqual(a.map(() => (r.uniform() >= 0.5 ? 2 : 0)));
    expect(vals(dropout(ones([7, 13]), 0.5, { rng: new Rng(43) }))).not.toEqual(a);
  });

  it('uses the engine RNG by default (reseedable), is the identity in eval, zeroes with p = 1', () => {
    const e = setBackend(new ReferenceBackend(), { seed: 5 });
    const a = vals(dropout(ones([50]), 0.5));
    e.manualSeed(5);
    expect(vals(dropout(ones([50]), 0.5))).toEqual(a);
    expect(vals(dropout(ones([5]), 0.9, { training: false }))).toEqual([1, 1, 1, 1, 1]);
    expect(vals(dropout(ones([5]), 1))).toEqual([0, 0, 0, 0, 0]);
  });

  it('its gradient is the mask', () => {
    const x = ones([20], { requiresGrad: true });
    const y = dropout(x, 0.5, { rng: new Rng(3) });
    y.sum().backward();
    expect(vals(x.grad)).toEqual(vals(y));
  });

  it('rejects p outside [0, 1]', () => {
    expect(() => dropout(ones([2]), 1.5)).toThrow('dropout: [2]: p must be in [0, 1], got 1.5');
  });
});
