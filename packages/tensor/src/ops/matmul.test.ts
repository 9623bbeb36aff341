import { beforeEach, describe, expect, it } from 'vitest';
import { setBackend } from '../engine';
import { ReferenceBackend } from '../reference/reference-backend';
import { arange, ones, tensor } from '../creation';
import { vals } from '../test-util';
import { linear, matmul } from './matmul';

beforeEach(() => {
  setBackend(new ReferenceBackend());
});

const A = () => tensor([[1, 2], [3, 4]]);
const B = () => tensor([[5, 6], [7, 8]]);

describe('matmul', () => {
  it('multiplies matrices, with transposed operands', () => {
    expect(vals(matmul(A(), B()))).toEqual([19, 22, 43, 50]);
    expect(vals(matmul(A(), B(), { transA: true }))).toEqual([26, 30, 38, 44]); // Aᵀ B
    expect(vals(matmul(A(), B(), { transB: true }))).toEqual([17, 23, 39, 53]); // A Bᵀ
    expect(vals(A().matmul(B(), { transA: true, transB: true }))).toEqual([23, 31, 34, 46]);
  });

  it('follows torch.matmul for 1-D operands', () => {
    expect(matmul(arange(3), ones([3, 4])).shape).toEqual([4]);
    expect(matmul(ones([4, 3]), arange(3)).shape).toEqual([4]);
    expect(vals(matmul(arange(3), arange(3)))).toEqual([5]);
    expect(matmul(arange(3), arange(3)).shape).toEqual([]);
    expect(matmul(ones([2, 4, 3]), arange(3)).shape).toEqual([2, 4]);
  });

  it('broadcasts batch dims', () => {
    expect(matmul(ones([2, 1, 4, 3]), ones([5, 3, 7])).shape).toEqual([2, 5, 4, 7]);
    expect(matmul(ones([4, 3]), ones([5, 3, 7])).shape).toEqual([5, 4, 7]);
    const a = arange(12).reshape([2, 2, 3]);
    const b = arange(6).reshape([3, 2]);
    expect(vals(matmul(a, b))).toEqual([10, 13, 28, 40, 46, 67, 64, 94]);
  });

  it('gradients through broadcast batch dims sum back', () => {
    const a = ones([3, 2, 4], { requiresGrad: true });
    const b = ones([4, 5], { requiresGrad: true });
    matmul(a, b).sum().backward();
    expect(b.grad!.shape).toEqual([4, 5]);
    expect(vals(b.grad).every((v) => v === 6)).toBe(true); // 3 batches x 2 rows
    expect(vals(a.grad).every((v) => v === 5)).toBe(true);
  });

  it('errors name the shapes', () => {
    expect(() => matmul(ones([2, 3]), ones([4, 5]))).toThrow('matmul: [2,3] x [4,5]: inner dimensions differ (3 vs 4)');
    expect(() => matmul(ones([2, 3]), ones([2, 5]), { transA: true, transB: true })).toThrow(
      'matmul: [2,3]ᵀ x [2,5]ᵀ: inner dimensions differ (2 vs 5)',
    );
    expect(() => matmul(ones([2, 2, 3]), ones([3, 3, 4]))).toThrow('matmul: [2,2,3] x [3,3,4]: batch dimensions [2] and [3] do not broadcast');
    expect(() => matmul(tensor(1), ones([2]))).toThrow('matmul: [] x [2]: both operands need rank >= 1');
    expect(() => matmul(ones([3]), ones([3, 2]), { transA: true })).toThrow('a 1-D operand cannot be transposed');
  });
});

describe('linear', () => {
  it('is x Wᵀ + b with torch layout [out, in]', () => {
    const x = tensor([[1, 2, 3]]);
    const w = tensor([[1, 0, 0], [0, 1, 1]]);
    expect(vals(linear(x, w, tensor([10, 20])))).toEqual([11, 25]);
    expect(linear(ones([2, 5, 3]), w).shape).toEqual([2, 5, 2]);
    expect(linear(ones([3]), w).shape).toEqual([2]);
  });

  it('checks the shapes', () => {
    expect(() => linear(ones([7, 13]), ones([5, 12]))).toThrow('linear: x [7,13], weight [5,12]: in_features differ (13 vs 12)');
    expect(() => linear(ones([7, 13]), ones([5, 13]), ones([4]))).toThrow('linear: x [7,13], weight [5,13], bias [4]: bias must be [5]');
    expect(() => linear(ones([7, 13]), ones([13]))).toThrow('weight must be [out_features, in_features]');
  });
});
