import { beforeEach, describe, expect, it } from 'vitest';
import { setBackend } from '../engine';
import { ReferenceBackend } from '../reference/reference-backend';
import { ones, randn, tensor } from '../creation';
import { vals } from '../test-util';
import { batchNorm, layerNorm, moments } from './norm';

beforeEach(() => {
  setBackend(new ReferenceBackend());
});

describe('normalisation', () => {
  it('moments gives the mean and the biased variance', () => {
    const { mean, variance } = moments(tensor([[1, 2], [3, 6]]), 0);
    expect(vals(mean)).toEqual([2, 4]);
    expect(vals(variance)).toEqual([1, 4]);
  });

  it('batch norm with batch statistics normalises each channel', () => {
    const x = randn([8, 3, 4, 4], { mean: 2, std: 3 });
    const m = moments(x, [0, 2, 3], true);
    const y = batchNorm(x, m.mean, m.variance, { eps: 0 });
    const s = moments(y, [0, 2, 3]);
    vals(s.mean).forEach((v) => expect(v).toBeCloseTo(0, 10));
    vals(s.variance).forEach((v) => expect(v).toBeCloseTo(1, 10));
    const scaled = batchNorm(x, m.mean, m.variance, { weight: tensor([1, 2, 3]).reshape([1, 3, 1, 1]), bias: ones([1, 3, 1, 1]) });
    vals(moments(scaled, [0, 2, 3]).mean).forEach((v) => expect(v).toBeCloseTo(1, 10));
  });

  it('layer norm normalises the trailing dims', () => {
    const y = layerNorm(randn([5, 2, 6], { std: 4 }), [2, 6], { eps: 0 });
    vals(y.mean([1, 2])).forEach((v) => expect(v).toBeCloseTo(0, 10));
    vals(y.var([1, 2], { unbiased: false })).forEach((v) => expect(v).toBeCloseTo(1, 10));
    expect(() => layerNorm(ones([5, 6]), [5])).toThrow('layerNorm: x [5,6]: normalizedShape [5] must be x\'s trailing dims');
    expect(() => layerNorm(ones([5, 6]), [6], { weight: ones([5]) })).toThrow('layerNorm: weight [5] must be [6]');
  });
});
