import { beforeEach, describe, expect, it } from 'vitest';
import { setBackend } from '../engine';
import { ReferenceBackend } from '../reference/reference-backend';
import { ones, randn, tensor, zeros } from '../creation';
import { vals } from '../test-util';
import { crossEntropy, logSoftmax, softmax } from './loss';

beforeEach(() => {
  setBackend(new ReferenceBackend());
});

describe('logSoftmax and softmax', () => {
  it('values and stability', () => {
    const l = vals(logSoftmax(tensor([0, Math.log(2), Math.log(3)])));
    [1 / 6, 2 / 6, 3 / 6].forEach((p, i) => expect(l[i]).toBeCloseTo(Math.log(p), 12));
    expect(vals(logSoftmax(tensor([1000, 0])))).toEqual([0, -1000]);
    const s = softmax(randn([4, 7]));
    vals(s.sum(1)).forEach((v) => expect(v).toBeCloseTo(1, 12));
    const s0 = softmax(randn([3, 5]), 0);
    vals(s0.sum(0)).forEach((v) => expect(v).toBeCloseTo(1, 12));
  });
});

describe('crossEntropy', () => {
  it('is log(C) for uniform logits, mean over the batch', () => {
    expect(vals(crossEntropy(zeros([2, 4]), [0, 3]))[0]).toBeCloseTo(Math.log(4), 12);
  });

  it('matches -log softmax at the label; reductions', () => {
    const logits = tensor([[2, 1, 0], [0, 0, 5]]);
    const lp = vals(logSoftmax(logits));
    const none = crossEntropy(logits, Int32Array.from([0, 2]), { reduction: 'none' });
    expect(none.shape).toEqual([2]);
    expect(vals(none)).toEqual([-lp[0], -lp[5]]);
    expect(vals(crossEntropy(logits, [0, 2], { reduction: 'sum' }))[0]).toBeCloseTo(-lp[0] - lp[5], 12);
    expect(vals(crossEntropy(logits, tensor([0, 2])))[0]).toBeCloseTo((-lp[0] - lp[5]) / 2, 12);
  });

  it('its gradient is (softmax - onehot) / N', () => {
    const logits = tensor([[2, 1, 0], [0, 0, 5]], undefined, { requiresGrad: true });
    crossEntropy(logits, [1, 2]).backward();
    const p = vals(softmax(logits.detach()));
    const expected = p.map((v, i) => (v - (i === 1 || i === 5 ? 1 : 0)) / 2);
    vals(logits.grad).forEach((g, i) => expect(g).toBeCloseTo(expected[i], 12));
  });

  it('rejects bad labels and shapes, naming them', () => {
    const l = ones([4, 10]);
    expect(() => crossEntropy(l, [0, 1, 2, 10])).toThrow('crossEntropy: logits [4,10]: labels[3] = 10 is out of range [0, 10)');
    expect(() => crossEntropy(l, [0, 2.5, 1, 1])).toThrow('crossEntropy: logits [4,10]: labels[1] = 2.5 is not an integer');
    expect(() => crossEntropy(l, [0, -1, 1, 1])).toThrow('labels[1] = -1 is out of range');
    expect(() => crossEntropy(l, [0, 1])).toThrow('crossEntropy: logits [4,10]: 2 labels for a batch of 4');
    expect(() => crossEntropy(ones([4]), [0])).toThrow('crossEntropy: logits [4]: must be [N, C] (rank 2)');
    expect(() => crossEntropy(l, ones([4, 1]))).toThrow('crossEntropy: logits [4,10], labels [4,1]: labels must be [4]');
    expect(() => crossEntropy(l, [0, 1, 1, 1], { reduction: 'avg' as never })).toThrow("reduction must be 'mean', 'sum' or 'none'");
  });
});
