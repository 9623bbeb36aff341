import { beforeEach, describe, expect, it } from 'vitest';
import { setBackend } from '../engine';
import { ReferenceBackend } from '../reference/reference-backend';
import { ones, randn, tensor } from '../creation';
import { vals } from '../test-util';
import { Rng } from '../rng';
import { batchNorm, batchNormTraining, layerNorm, moments } from './norm';

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

describe('batchNormTraining (fused)', () => {
  it('equals the composite batchNorm(x, moments(x)) in value and in the gradients of x, weight and bias', () => {
    const run = (fused: boolean) => {
      const rng = new Rng(7);
      const x = randn([5, 3, 4, 2], { mean: 1, std: 2, rng }).requiresGrad_(true);
      const w = tensor([0.5, -1, 2]).reshape([1, 3, 1, 1]).requiresGrad_(true);
      const b = tensor([0.1, 0.2, 0.3]).reshape([1, 3, 1, 1]).requiresGrad_(true);
      const g = randn([5, 3, 4, 2], { rng });
      let y;
      if (fused) {
        y = batchNormTraining(x, { weight: w, bias: b }).output;
      } else {
        const m = moments(x, [0, 2, 3], true);
        y = batchNorm(x, m.mean, m.variance, { weight: w, bias: b });
      }
      y.backward(g);
      return [y, x.grad!, w.grad!, b.grad!].map(vals);
    };
    const [fused, composite] = [run(true), run(false)];
    fused.forEach((v, k) => v.forEach((e, i) => expect(e).toBeCloseTo(composite[k]![i]!, 10)));
  });

  it('returns the batch mean and biased variance per channel, without gradient', () => {
    const x = tensor([[1, 10], [3, 20], [5, 30]]).requiresGrad_(true);
    const r = batchNormTraining(x);
    expect(vals(r.mean)).toEqual([3, 20]);
    expect(vals(r.variance).map((v) => Number(v.toFixed(10)))).toEqual([8 / 3, 200 / 3].map((v) => Number(v.toFixed(10))));
    expect(r.mean.requiresGrad).toBe(false);
    expect(r.output.requiresGrad).toBe(true);
  });

  it('refuses bad shapes with the op and the shapes', () => {
    expect(() => batchNormTraining(ones([4]))).toThrow('batchNormTraining: x [4]: needs [N, C, ...] (rank >= 2)');
    expect(() => batchNormTraining(ones([1, 3]))).toThrow('batchNormTraining: x [1,3]: expected more than 1 value per channel when training');
    expect(() => batchNormTraining(ones([2, 3, 4]), { weight: ones([1, 3]) })).toThrow(
      'batchNormTraining: x [2,3,4], weight [1,3]: weight must be [3] or [1,3,1]',
    );
  });
});
