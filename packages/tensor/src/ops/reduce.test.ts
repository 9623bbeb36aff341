import { beforeEach, describe, expect, it } from 'vitest';
import { setBackend } from '../engine';
import { ReferenceBackend } from '../reference/reference-backend';
import { tensor } from '../creation';
import { vals } from '../test-util';
import * as R from './reduce';

beforeEach(() => {
  setBackend(new ReferenceBackend());
});

const m = () => tensor([[1, 2, 3], [4, 5, 6]]);

describe('reductions', () => {
  it('sum over all, one axis, negative axes, several axes, keepdim', () => {
    expect(vals(m().sum())).toEqual([21]);
    expect(m().sum().shape).toEqual([]);
    expect(vals(m().sum(0))).toEqual([5, 7, 9]);
    expect(m().sum(1, true).shape).toEqual([2, 1]);
    expect(vals(m().sum(-1, true))).toEqual([6, 15]);
    expect(vals(m().sum([0, 1], true))).toEqual([21]);
    expect(m().sum([0, 1], true).shape).toEqual([1, 1]);
    expect(vals(m().sum([]))).toEqual([1, 2, 3, 4, 5, 6]); // numpy: no axes, no reduction
  });

  it('mean, max, min', () => {
    expect(vals(m().mean())).toEqual([3.5]);
    expect(vals(m().mean(0))).toEqual([2.5, 3.5, 4.5]);
    expect(vals(m().max(1))).toEqual([3, 6]);
    expect(vals(m().min(0, true))).toEqual([1, 2, 3]);
  });

  it('var is unbiased by default (torch), biased on request, and std is its root', () => {
    const x = tensor([1, 2, 3, 4]);
    expect(vals(x.var())[0]).toBeCloseTo(5 / 3, 12);
    expect(vals(x.var(null, { unbiased: false }))[0]).toBeCloseTo(1.25, 12);
    expect(vals(x.var(null, { correction: 2 }))[0]).toBeCloseTo(2.5, 12);
    expect(vals(x.std())[0]).toBeCloseTo(Math.sqrt(5 / 3), 12);
    expect(vals(m().var(1, { keepdim: true }))).toEqual([1, 1]);
    expect(Number.isNaN(vals(tensor([3]).var())[0])).toBe(true); // N - 1 = 0, as in torch
  });

  it('logsumexp is stable', () => {
    expect(vals(tensor([1000, 1000]).logsumexp())[0]).toBeCloseTo(1000 + Math.log(2), 10);
    expect(vals(m().logsumexp(1))[1]).toBeCloseTo(Math.log(Math.exp(4) + Math.exp(5) + Math.exp(6)), 12);
  });

  it('argmax picks the first maximum; flat when no axis', () => {
    expect(vals(tensor([[1, 3, 3], [7, 0, 7]]).argmax(1))).toEqual([1, 0]);
    expect(vals(m().argmax())).toEqual([5]);
    expect(tensor([[1, 3, 3]]).argmax(1, true).shape).toEqual([1, 1]);
  });

  it('max shares the gradient equally among ties (torch amax)', () => {
    const x = tensor([1, 3, 3, 2], undefined, { requiresGrad: true });
    x.max().backward();
    expect(vals(x.grad)).toEqual([0, 0.5, 0.5, 0]);
  });

  it('sum backward broadcasts the upstream gradient back', () => {
    const x = tensor([[1, 2, 3], [4, 5, 6]], undefined, { requiresGrad: true });
    x.sum(0).mul(tensor([1, 2, 3])).sum().backward();
    expect(vals(x.grad)).toEqual([1, 2, 3, 1, 2, 3]);
  });

  it('sumTo is the adjoint of broadcasting', () => {
    expect(vals(R.sumTo(m(), [3]))).toEqual([5, 7, 9]);
    expect(vals(R.sumTo(m(), [2, 1]))).toEqual([6, 15]);
    expect(R.sumTo(m(), [1, 3]).shape).toEqual([1, 3]);
    expect(() => R.sumTo(m(), [4])).toThrow('sumTo: [2,3] cannot be summed to [4] (it does not broadcast to it)');
  });

  it('axis errors name the op and the shape', () => {
    expect(() => m().sum(2)).toThrow('sum: [2,3]: axis 2 is out of range for rank 2 (valid: -2..1)');
    expect(() => m().mean([0, 0])).toThrow('mean: [2,3]: axis 0 is repeated in [0,0]');
    expect(() => m().max(-3)).toThrow('max: [2,3]: axis -3 is out of range');
    expect(() => m().argmax(5)).toThrow('argmax: [2,3]: axis 5 is out of range');
  });
});
