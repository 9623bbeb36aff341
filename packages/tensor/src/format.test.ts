import { beforeEach, describe, expect, it } from 'vitest';
import { setBackend } from './engine';
import { ReferenceBackend } from './reference/reference-backend';
import { arange, tensor } from './creation';

beforeEach(() => {
  setBackend(new ReferenceBackend());
});

describe('toString', () => {
  it('prints like torch', () => {
    expect(String(tensor([[1, 2], [3, 4]]))).toBe('tensor([[1., 2.],\n        [3., 4.]])');
    expect(String(tensor([0.5, -1.25]))).toBe('tensor([ 0.5000, -1.2500])');
    expect(String(tensor(3))).toBe('tensor(3.)');
    expect(String(tensor([1e-9, 1]))).toBe('tensor([1.0000e-9, 1.0000e+0])');
    expect(String(tensor([NaN, Infinity, 1]))).toBe('tensor([nan, inf,  1.])');
  });

  it('summarises large tensors and shows the autograd state', () => {
    const s = String(arange(2000).reshape([2, 1000]));
    expect(s).toContain('...');
    expect(s).toContain('shape=[2,1000]');
    expect(s.length).toBeLessThan(200);
    const x = tensor([1], undefined, { requiresGrad: true });
    expect(String(x)).toBe('tensor([1.], requiresGrad=true)');
    expect(String(x.mul(2))).toBe('tensor([2.], gradFn=<affine>)');
    const d = tensor([1]);
    d.dispose();
    expect(String(d)).toBe('tensor(<disposed>, shape=[1])');
  });
});
