import { beforeEach, describe, expect, it } from 'vitest';
import { Engine, setBackend } from './engine';
import type { Engine as EngineT } from './engine';
import { ReferenceBackend } from './reference/reference-backend';
import { arange, eye, full, fullLike, ones, onesLike, rand, randn, scalar, tensor, zeros, zerosLike } from './creation';
import { Rng } from './rng';
import { vals } from './test-util';

let engine: EngineT;
beforeEach(() => {
  engine = setBackend(new ReferenceBackend());
});

describe('creation', () => {
  it('tensor() infers shapes from nested arrays, takes flat arrays with a shape, and scalars', () => {
    const t = tensor([[1, 2, 3], [4, 5, 6]]);
    expect(t.shape).toEqual([2, 3]);
    expect(t.size).toBe(6);
    expect(t.rank).toBe(2);
    expect(t.dtype).toBe('float32');
    expect(tensor(new Float32Array([1, 2, 3, 4]), [2, 2]).shape).toEqual([2, 2]);
    expect(tensor([1, 2, 3]).shape).toEqual([3]);
    expect(tensor(7).shape).toEqual([]);
    expect(tensor(7).item()).toBe(7);
    expect(scalar(2.5).item()).toBe(2.5);
  });

  it('tensor() rejects ragged arrays, wrong sizes, non-numbers and empty shapes, saying where', () => {
    expect(() => tensor([[1, 2], [3]])).toThrow('tensor: ragged nested array at values[1]: expected 2 entries, got 1');
    expect(() => tensor([1, 2, 3], [2, 2])).toThrow('tensor: 3 values do not fill shape [2,2] (4 elements)');
    expect(() => tensor([[1, 'a' as never]])).toThrow('tensor: values[0][1] is "a", not a number');
    expect(() => zeros([3, 0])).toThrow('full: shape [3,0] has a zero-size dimension 1 (empty tensors are not supported)');
    expect(() => zeros([2.5])).toThrow('dimension 0 must be a positive integer, got 2.5');
  });

  it('constants and ranges', () => {
    expect(vals(zeros([2, 2]))).toEqual([0, 0, 0, 0]);
    expect(vals(ones([3]))).toEqual([1, 1, 1]);
    expect(vals(full([2], -3))).toEqual([-3, -3]);
    expect(vals(arange(4))).toEqual([0, 1, 2, 3]);
    expect(vals(arange(1, 2, 0.25))).toEqual([1, 1.25, 1.5, 1.75]);
    expect(vals(arange(5, 0, -2))).toEqual([5, 3, 1]);
    expect(() => arange(0, 5, 0)).toThrow('arange: need finite start, end and a non-zero step');
    expect(() => arange(3, 3)).toThrow('is empty');
    expect(vals(eye(2, 3))).toEqual([1, 0, 0, 0, 1, 0]);
    const x = randn([2, 3]);
    expect(zerosLike(x).shape).toEqual([2, 3]);
    expect(vals(onesLike(x)).every((v) => v === 1)).toBe(true);
    expect(vals(fullLike(x, 4)).every((v) => v === 4)).toBe(true);
  });

  it('random tensors come from the engine RNG (seeded) or a given one', () => {
    const e1 = new Engine(new ReferenceBackend(), { seed: 7 });
    const e2 = new Engine(new ReferenceBackend(), { seed: 7 });
    expect(vals(randn([5], { engine: e1 }))).toEqual(vals(randn([5], { engine: e2 })));
    expect(vals(randn([5], { rng: new Rng(1) }))).toEqual(vals(randn([5], { rng: new Rng(1) })));
    engine.manualSeed(3);
    const a = vals(rand([4]));
    engine.manualSeed(3);
    expect(vals(rand([4]))).toEqual(a);
    const u = vals(rand([1000], { low: -1, high: 2 }));
    expect(u.every((v) => v >= -1 && v < 2)).toBe(true);
    const z = vals(randn([4000], { mean: 1, std: 2 }));
    expect(z.reduce((s, v) => s + v, 0) / z.length).toBeCloseTo(1, 1);
    // values are float32 (rounded on the host)
    expect(z.every((v) => Math.fround(v) === v)).toBe(true);
  });

  it('requiresGrad and engine options', () => {
    const other = new Engine(new ReferenceBackend());
    const t = ones([2], { engine: other, requiresGrad: true });
    expect(t.engine).toBe(other);
    expect(t.requiresGrad).toBe(true);
  });

  it('values: dataSync, data, tolist, item', async () => {
    const t = tensor([[1, 2], [3, 4]]);
    expect(t.dataSync()).toBeInstanceOf(Float32Array);
    expect(Array.from(await t.data())).toEqual([1, 2, 3, 4]);
    expect(t.tolist()).toEqual([[1, 2], [3, 4]]);
    expect(tensor(3).tolist()).toBe(3);
    expect(() => t.item()).toThrow('item: [2,2]: only one-element tensors convert to a number');
  });
});
