import { beforeEach, describe, expect, it } from 'vitest';
import { setBackend } from '../engine';
import { ReferenceBackend } from '../reference/reference-backend';
import { arange, ones, tensor } from '../creation';
import { vals } from '../test-util';
import { conv2d } from './conv';

beforeEach(() => {
  setBackend(new ReferenceBackend());
});

/** x = 1..9 as [1,1,3,3]; w = [[1,0],[0,-1]]: out[i,j] = x[i,j] - x[i+1,j+1]. */
const x = () => arange(1, 10).reshape([1, 1, 3, 3]);
const w = () => tensor([1, 0, 0, -1], [1, 1, 2, 2]);

describe('conv2d', () => {
  it('cross-correlates (valid, stride 1)', () => {
    const y = conv2d(x(), w());
    expect(y.shape).toEqual([1, 1, 2, 2]);
    expect(vals(y)).toEqual([-4, -4, -4, -4]);
  });

  it('pads with zeros', () => {
    const y = conv2d(x(), w(), { padding: 1 });
    expect(y.shape).toEqual([1, 1, 4, 4]);
    // row 0: x[-1,j] - x[0,j+1]   -> [-1, -2, -3, 0]
    // column 3: x[i-1,2] - 0       -> [0, 3, 6, 9]; row 3: x[2,j-1] - 0 -> [0, 7, 8, 9]
    expect(vals(y)).toEqual([-1, -2, -3, 0, -4, -4, -4, 3, -7, -4, -4, 6, 0, 7, 8, 9]);
  });

  it('strides, bias, several channels', () => {
    expect(vals(conv2d(x(), w(), { padding: 1, stride: 2 }))).toEqual([-1, -3, -7, -4]);
    const x2 = tensor([1, 2, 3, 4, 10, 20, 30, 40], [1, 2, 2, 2]);
    const w2 = tensor([1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0, 1], [2, 2, 2, 2]);
    expect(vals(conv2d(x2, w2, { bias: tensor([0.5, -1]) }))).toEqual([110.5, 40]);
  });

  it("'same' keeps the size (extra padding at the bottom/right for even kernels)", () => {
    const y = conv2d(ones([1, 1, 5, 6]), ones([1, 1, 2, 2]), { padding: 'same' });
    expect(y.shape).toEqual([1, 1, 5, 6]);
    expect(vals(y)[0]).toBe(4);
    expect(vals(y)[29]).toBe(1); // the bottom-right corner sees only itself
    expect(conv2d(ones([1, 1, 8, 7]), ones([1, 1, 3, 3]), { padding: 'same', stride: 2 }).shape).toEqual([1, 1, 4, 4]);
  });

  it('gradients for input, weight and bias', () => {
    const xi = arange(1, 10).reshape([1, 1, 3, 3]).detach().requiresGrad_();
    const wi = w().requiresGrad_();
    const b = tensor([0], undefined, { requiresGrad: true });
    conv2d(xi, wi, { bias: b }).sum().backward();
    // each output sums x[i,j] - x[i+1,j+1] over the 2x2 outputs
    expect(vals(xi.grad)).toEqual([1, 1, 0, 1, 0, -1, 0, -1, -1]);
    expect(vals(wi.grad)).toEqual([1 + 2 + 4 + 5, 2 + 3 + 5 + 6, 4 + 5 + 7 + 8, 5 + 6 + 8 + 9]);
    expect(vals(b.grad)).toEqual([4]);
  });

  it('errors name the shapes and the problem', () => {
    expect(() => conv2d(ones([2, 3, 8, 8]), ones([4, 5, 3, 3]))).toThrow('conv2d: x [2,3,8,8], weight [4,5,3,3]: input channels differ (3 vs 5)');
    expect(() => conv2d(ones([3, 8, 8]), ones([4, 3, 3, 3]))).toThrow('conv2d: x [3,8,8], weight [4,3,3,3]: x must be [N, C, H, W] (rank 4)');
    expect(() => conv2d(ones([1, 3, 8, 8]), ones([4, 3, 3, 3]), { groups: 3 })).toThrow('groups=3 is not supported (groups=1 only)');
    expect(() => conv2d(ones([1, 3, 2, 2]), ones([4, 3, 3, 3]))).toThrow('kernel 3x3 is larger than the padded input 2x2');
    expect(() => conv2d(ones([1, 3, 8, 8]), ones([4, 3, 3, 3]), { stride: 0 })).toThrow('stride must be an integer >= 1');
    expect(() => conv2d(ones([1, 3, 8, 8]), ones([4, 3, 3, 3]), { bias: ones([3]) })).toThrow('bias must be [4]');
    expect(() => conv2d(ones([1, 3, 8, 8]), ones([4, 3, 3, 3]), { dilation: 2 })).toThrow('dilation 2x2 is not supported');
  });
});
