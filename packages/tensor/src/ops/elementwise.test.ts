import { beforeEach, describe, expect, it } from 'vitest';
import { Engine, setBackend } from '../engine';
import { ReferenceBackend } from '../reference/reference-backend';
import { tensor } from '../creation';
import { vals } from '../test-util';
import { erf } from './activation';
import * as E from './elementwise';

beforeEach(() => {
  setBackend(new ReferenceBackend());
});

const close = (a: number[], b: number[]) => a.forEach((v, i) => expect(v).toBeCloseTo(b[i], 12));

describe('elementwise forward values', () => {
  it('binary ops broadcast numpy-style', () => {
    const a = tensor([[1, 2, 3], [4, 5, 6]]);
    const b = tensor([10, 20, 30]);
    expect(vals(E.add(a, b))).toEqual([11, 22, 33, 14, 25, 36]);
    expect(vals(E.sub(a, b))).toEqual([-9, -18, -27, -6, -15, -24]);
    expect(vals(a.mul(tensor([[2], [-1]])))).toEqual([2, 4, 6, -4, -5, -6]);
    expect(vals(a.div(b))).toEqual([0.1, 0.1, 0.1, 0.4, 0.25, 0.2]);
    expect(vals(a.pow(tensor(2)))).toEqual([1, 4, 9, 16, 25, 36]);
    expect(E.add(tensor([[1], [2]]), tensor([1, 2, 3])).shape).toEqual([2, 3]);
  });

  it('maximum, minimum, clamp', () => {
    const a = tensor([-1, 2, 3]);
    const b = tensor([0, 2, 1]);
    expect(vals(E.maximum(a, b))).toEqual([0, 2, 3]);
    expect(vals(E.minimum(a, b))).toEqual([-1, 2, 1]);
    expect(vals(E.clamp(tensor([-5, 0.5, 9]), 0, 1))).toEqual([0, 0.5, 1]);
    expect(() => E.clamp(a, 2, 1)).toThrow('clamp: min 2 is greater than max 1');
  });

  it('numbers on either side', () => {
    const x = tensor([1, 2, 4]);
    expect(vals(x.add(1))).toEqual([2, 3, 5]);
    expect(vals(E.sub(1, x))).toEqual([0, -1, -3]);
    expect(vals(E.div(2, x))).toEqual([2, 1, 0.5]);
    expect(vals(E.div(x, 4))).toEqual([0.25, 0.5, 1]);
    expect(vals(E.pow(2, x))).toEqual([2, 4, 16]);
    expect(vals(E.pow(tensor([-2, 3]), 2))).toEqual([4, 9]); // integer exponent of a negative base
    expect(vals(E.maximum(tensor([-1, 1]), 0))).toEqual([0, 1]);
    expect(() => E.add(1 as never, 2)).toThrow('add: needs at least one tensor operand, got two numbers (1, 2)');
  });

  it('unary ops', () => {
    const x = tensor([-2, -0.5, 0, 1.5]);
    expect(vals(x.neg())).toEqual([2, 0.5, -0, -1.5]);
    expect(vals(x.abs())).toEqual([2, 0.5, 0, 1.5]);
    expect(vals(x.sign())).toEqual([-1, -1, 0, 1]);
    expect(vals(x.relu())).toEqual([0, 0, 0, 1.5]);
    expect(vals(x.square())).toEqual([4, 0.25, 0, 2.25]);
    close(vals(x.exp()), [Math.exp(-2), Math.exp(-0.5), 1, Math.exp(1.5)]);
    close(vals(x.tanh()), [Math.tanh(-2), Math.tanh(-0.5), 0, Math.tanh(1.5)]);
    close(vals(x.sigmoid()), [1 / (1 + Math.exp(2)), 1 / (1 + Math.exp(0.5)), 0.5, 1 / (1 + Math.exp(-1.5))]);
    const p = tensor([0.25, 4]);
    expect(vals(p.sqrt())).toEqual([0.5, 2]);
    expect(vals(p.rsqrt())).toEqual([2, 0.5]);
    expect(vals(p.reciprocal())).toEqual([4, 0.25]);
    close(vals(p.log()), [Math.log(0.25), Math.log(4)]);
    expect(vals(erf(tensor([0, 0.5, -1, 3]))).map((v) => +v.toFixed(6))).toEqual([0, 0.5205, -0.842701, 0.999978]);
  });

  it('sigmoid is stable for large |x|', () => {
    expect(vals(tensor([-1000, 1000]).sigmoid())).toEqual([0, 1]);
  });

  it('comparisons give 0/1 and carry no gradient', () => {
    const a = tensor([1, 2, 3], undefined, { requiresGrad: true });
    const b = tensor([2, 2, 2]);
    expect(vals(a.eq(b))).toEqual([0, 1, 0]);
    expect(vals(a.ne(b))).toEqual([1, 0, 1]);
    expect(vals(a.lt(b))).toEqual([1, 0, 0]);
    expect(vals(a.le(b))).toEqual([1, 1, 0]);
    expect(vals(a.gt(b))).toEqual([0, 0, 1]);
    expect(vals(a.ge(2))).toEqual([0, 1, 1]);
    expect(a.gt(b).requiresGrad).toBe(false);
  });

  it('where selects and routes gradients to the chosen side only', () => {
    const c = tensor([1, 0, 1]);
    const a = tensor([1, 2, 3], undefined, { requiresGrad: true });
    const b = tensor([10], undefined, { requiresGrad: true });
    const y = E.where(c, a, b);
    expect(vals(y)).toEqual([1, 10, 3]);
    y.mul(tensor([1, 2, 3])).sum().backward();
    expect(vals(a.grad)).toEqual([1, 0, 3]);
    expect(vals(b.grad)).toEqual([2]); // summed back to its broadcast shape
    expect(vals(E.where(c, 5, 0))).toEqual([5, 0, 5]);
  });

  it('gradients of broadcasting ops sum back to the input shape', () => {
    const a = tensor([[1, 2, 3], [4, 5, 6]], undefined, { requiresGrad: true });
    const b = tensor([1, 1, 1], undefined, { requiresGrad: true });
    a.mul(b).sum().backward();
    expect(b.grad!.shape).toEqual([3]);
    expect(vals(b.grad)).toEqual([5, 7, 9]);
  });

  it('maximum/minimum split the gradient at ties (torch)', () => {
    const a = tensor([1, 2], undefined, { requiresGrad: true });
    const b = tensor([1, 3], undefined, { requiresGrad: true });
    E.maximum(a, b).sum().backward();
    expect(vals(a.grad)).toEqual([0.5, 0]);
    expect(vals(b.grad)).toEqual([0.5, 1]);
  });

  it('relu has gradient 0 at 0; pow exponent gradient is 0 at a zero base', () => {
    const x = tensor([0, 2], undefined, { requiresGrad: true });
    x.relu().sum().backward();
    expect(vals(x.grad)).toEqual([0, 1]);
    const base = tensor([0, 2]);
    const e = tensor([2, 3], undefined, { requiresGrad: true });
    E.pow(base, e).sum().backward();
    expect(vals(e.grad)[0]).toBe(0);
    expect(vals(e.grad)[1]).toBeCloseTo(8 * Math.log(2), 12);
  });

  it('errors name the op and the shapes', () => {
    expect(() => tensor([[1, 2, 3], [4, 5, 6]]).add(tensor([1, 2, 3, 4]))).toThrow(
      'add: [2,3] and [4]: shapes do not broadcast (dim -1: 3 vs 4)',
    );
    expect(() => E.where(tensor([1, 0]), tensor([1, 2, 3]), 0)).toThrow('where: [2] and [3]: shapes do not broadcast');
    const other = new Engine(new ReferenceBackend());
    expect(() => tensor([1]).add(tensor([1], undefined, { engine: other }))).toThrow('add: inputs belong to different engines');
  });
});
