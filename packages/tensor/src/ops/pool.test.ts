import { beforeEach, describe, expect, it } from 'vitest';
import { setBackend } from '../engine';
import { ReferenceBackend } from '../reference/reference-backend';
import { arange, ones } from '../creation';
import { vals } from '../test-util';
import { avgPool2d, globalAvgPool2d, maxPool2d } from './pool';

beforeEach(() => {
  setBackend(new ReferenceBackend());
});

const x44 = () => arange(1, 17).reshape([1, 1, 4, 4]);

describe('pooling', () => {
  it('max and average pooling over 2x2 windows', () => {
    expect(vals(maxPool2d(x44(), 2))).toEqual([6, 8, 14, 16]);
    expect(vals(avgPool2d(x44(), 2))).toEqual([3.5, 5.5, 11.5, 13.5]);
    expect(maxPool2d(arange(35).reshape([1, 1, 5, 7]), 2).shape).toEqual([1, 1, 2, 3]); // floor
  });

  it('padding: countIncludePad divides by the whole window (torch default) or the in-bounds cells', () => {
    const inc = vals(avgPool2d(ones([1, 1, 3, 3]), 3, { stride: 1, padding: 1 }));
    expect(inc[0]).toBeCloseTo(4 / 9, 12); // the corner window holds 4 real cells
    expect(inc[4]).toBe(1);
    const exc = vals(avgPool2d(ones([1, 1, 3, 3]), 3, { stride: 1, padding: 1, countIncludePad: false }));
    expect(exc.every((v) => v === 1)).toBe(true);
    // max pooling pads with -inf: negative inputs stay negative
    expect(vals(maxPool2d(ones([1, 1, 2, 2]).neg(), 3, { stride: 1, padding: 1 })).every((v) => v === -1)).toBe(true);
  });

  it('gradients: max routes to the maximum, average spreads evenly', () => {
    const a = x44().detach().requiresGrad_();
    maxPool2d(a, 2).sum().backward();
    expect(vals(a.grad)).toEqual([0, 0, 0, 0, 0, 1, 0, 1, 0, 0, 0, 0, 0, 1, 0, 1]);
    const b = x44().detach().requiresGrad_();
    avgPool2d(b, 2).sum().backward();
    expect(vals(b.grad).every((v) => v === 0.25)).toBe(true);
  });

  it('global average pooling', () => {
    const g = globalAvgPool2d(arange(8).reshape([1, 2, 2, 2]));
    expect(g.shape).toEqual([1, 2]);
    expect(vals(g)).toEqual([1.5, 5.5]);
    expect(globalAvgPool2d(ones([2, 3, 4, 4]), { keepdim: true }).shape).toEqual([2, 3, 1, 1]);
  });

  it('errors', () => {
    expect(() => maxPool2d(ones([1, 4, 4]), 2)).toThrow('maxPool2d: [1,4,4], kernel 2: x must be [N, C, H, W] (rank 4)');
    expect(() => avgPool2d(ones([1, 1, 4, 4]), 2, { padding: 2 })).toThrow('padding 2x2 must be at most half the kernel 2x2');
    expect(() => maxPool2d(ones([1, 1, 2, 2]), 3)).toThrow('kernel is larger than the padded input 2x2');
    expect(() => globalAvgPool2d(ones([2, 3]))).toThrow('globalAvgPool2d: [2,3]: x must be [N, C, H, W] (rank 4)');
  });
});
