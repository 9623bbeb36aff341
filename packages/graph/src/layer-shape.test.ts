import { describe, expect, it } from 'vitest';
import { batchnorm, conv, dense, dropout, flatten, globalPool, layernorm, pool, relu } from './builders';
import type { LayerShape } from './layer-shape';
import { convOutputSize, convPadding, isLayerShapeError, layerShape } from './layer-shape';
import type { LayerNode, Shape } from './types';

const ok = (n: LayerNode, x: Shape): LayerShape => {
  const r = layerShape(n, x);
  if (isLayerShapeError(r)) throw new Error(r.message);
  return r;
};

describe('layer shapes and counts', () => {
  it('conv 3->16 3x3 with bias on 3x32x32: 448 params, 2*27*16*1024 + 16*1024 FLOPs', () => {
    const r = ok(conv(16), [3, 32, 32]);
    expect(r.out).toEqual([16, 32, 32]);
    expect(r.params).toBe(3 * 16 * 9 + 16);
    expect(r.params).toBe(448);
    expect(r.flops).toBe(2 * 3 * 9 * 16 * 32 * 32 + 16 * 32 * 32);
  });

  it('conv without bias, stride 2, same padding: ceil(H/2)', () => {
    const r = ok(conv(8, { stride: 2, bias: false }), [4, 7, 8]);
    expect(r.out).toEqual([8, 4, 4]);
    expect(r.params).toBe(8 * 4 * 9);
    expect(r.flops).toBe(2 * 4 * 9 * 8 * 16);
  });

  it('same padding follows TensorFlow: the odd pixel goes after', () => {
    expect(convPadding(32, 3, 1, 'same')).toEqual([1, 1]);
    expect(convPadding(32, 4, 1, 'same')).toEqual([1, 2]);
    expect(convPadding(32, 3, 2, 'same')).toEqual([0, 1]);
    expect(convPadding(7, 3, 2, 'same')).toEqual([1, 1]);
    expect(convOutputSize(7, 3, 2, 'same')).toBe(4);
  });

  it('valid and numeric padding', () => {
    expect(ok(conv(2, { padding: 'valid', kernel: 5 }), [1, 28, 28]).out).toEqual([2, 24, 24]);
    expect(ok(conv(2, { padding: 1, kernel: 3, stride: 2 }), [1, 28, 28]).out).toEqual([2, 14, 14]);
    expect(ok(conv(2, { padding: 0, kernel: 1, stride: 2 }), [1, 5, 5]).out).toEqual([2, 3, 3]);
  });

  it('dense 784->128 with bias: 100,480 params, 2*784*128 + 128 FLOPs', () => {
    const r = ok(dense(128), [784]);
    expect(r.params).toBe(100_480);
    expect(r.flops).toBe(200_832);
  });

  it('norms: per-channel affine; batch norm has running statistics as buffers', () => {
    expect(ok(batchnorm(), [16, 8, 8])).toEqual({ out: [16, 8, 8], params: 32, buffers: 32, flops: 2 * 1024 });
    expect(ok(batchnorm({ affine: false }), [10])).toEqual({ out: [10], params: 0, buffers: 20, flops: 20 });
    expect(ok(layernorm(), [16, 8, 8])).toEqual({ out: [16, 8, 8], params: 32, buffers: 0, flops: 7 * 1024 });
  });

  it('pooling, flatten, activation, dropout', () => {
    expect(ok(pool('max'), [3, 7, 7])).toEqual({ out: [3, 3, 3], params: 0, buffers: 0, flops: 3 * 9 * 4 });
    expect(ok(pool('avg', { size: 3, stride: 1, padding: 'same' }), [3, 7, 7]).out).toEqual([3, 7, 7]);
    expect(ok(globalPool(), [64, 8, 8])).toEqual({ out: [64], params: 0, buffers: 0, flops: 4096 });
    expect(ok(flatten(), [64, 8, 8]).out).toEqual([4096]);
    expect(ok(flatten(), [10]).out).toEqual([10]);
    expect(ok(relu(), [5]).flops).toBe(5);
    expect(ok(dropout(0.5), [5]).flops).toBe(0);
  });

  it('says why a layer does not apply, naming the layer and the shape', () => {
    expect(layerShape(dense(10), [16, 8, 8])).toEqual({
      code: 'shape/needs-flat',
      message: "dense 10 needs a flat input, got 16x8x8: add 'flatten' or 'pool global' before it",
    });
    expect(layerShape(conv(4), [10])).toMatchObject({ code: 'shape/needs-image' });
    expect(layerShape(pool('max', { size: 4 }), [3, 3, 3])).toMatchObject({ code: 'shape/empty' });
    expect(layerShape(conv(4, { kernel: 5, padding: 'valid' }), [3, 4, 4])).toMatchObject({
      code: 'shape/empty',
      message: 'conv 4 5x5/1 shrinks a 3x4x4 feature map to nothing',
    });
  });
});
