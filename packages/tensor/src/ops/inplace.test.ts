import { beforeEach, describe, expect, it } from 'vitest';
import { setBackend } from '../engine';
import { ReferenceBackend } from '../reference/reference-backend';
import { ones, tensor, zeros } from '../creation';
import { vals } from '../test-util';
import { copy_, sgdUpdate_ } from './inplace';

beforeEach(() => {
  setBackend(new ReferenceBackend());
});

describe('in-place updates', () => {
  it('copy_ overwrites the storage; views see it', () => {
    const a = zeros([2, 2]);
    const view = a.reshape([4]);
    copy_(a, tensor([[1, 2], [3, 4]]));
    expect(vals(view)).toEqual([1, 2, 3, 4]);
    expect(() => copy_(a, ones([4]))).toThrow('copy_: target [2,2], source [4]: shapes differ');
  });

  it("sgdUpdate_ follows PyTorch's momentum SGD (dampening 0)", () => {
    const p = tensor([1, -2]);
    const g = tensor([0.5, 0.25]);
    const v = zeros([2]);
    const hp = { lr: 0.1, momentum: 0.9, weightDecay: 0.01, nesterov: false };
    sgdUpdate_(p, g, v, hp);
    // g' = g + wd p = [0.51, 0.23]; v = g'; p -= lr v
    expect(vals(v)[0]).toBeCloseTo(0.51, 12);
    expect(vals(p)[1]).toBeCloseTo(-2 - 0.1 * 0.23, 12);
    sgdUpdate_(p, g, v, { ...hp, nesterov: true });
    const p0 = 1 - 0.1 * 0.51;
    const g1 = 0.5 + 0.01 * p0;
    const v1 = 0.9 * 0.51 + g1;
    expect(vals(v)[0]).toBeCloseTo(v1, 12);
    expect(vals(p)[0]).toBeCloseTo(p0 - 0.1 * (g1 + 0.9 * v1), 12);
  });

  it('sgdUpdate_ checks shapes, finite hyper-parameters and aliasing', () => {
    const p = ones([2]);
    expect(() => sgdUpdate_(p, ones([3]), zeros([2]), { lr: 1, momentum: 0, weightDecay: 0, nesterov: false })).toThrow(
      'sgdUpdate_: param [2], grad [3], velocity [2]: shapes differ',
    );
    expect(() => sgdUpdate_(p, ones([2]), zeros([2]), { lr: NaN, momentum: 0, weightDecay: 0, nesterov: false })).toThrow('lr must be a finite number');
    expect(() => sgdUpdate_(p, ones([2]), p, { lr: 1, momentum: 0, weightDecay: 0, nesterov: false })).toThrow('must not share storage');
  });
});
