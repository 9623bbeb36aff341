import { beforeEach, describe, expect, it } from 'vitest';
import { setBackend } from './engine';
import type { Engine } from './engine';
import { tidy } from './memory';
import { ReferenceBackend } from './reference/reference-backend';
import { enableGrad, noGrad } from './tape';
import { isGradEnabled } from './context';
import { full, ones, scalar, tensor } from './creation';
import { copy_ } from './ops/inplace';
import { vals } from './test-util';

let engine: Engine;
beforeEach(() => {
  engine = setBackend(new ReferenceBackend());
});

describe('autograd tape', () => {
  it('backward from a scalar fills .grad of leaves (d/dx sum(x*x + 3x) = 2x + 3)', () => {
    const x = tensor([1, -2, 0.5], undefined, { requiresGrad: true });
    x.mul(x).add(x.mul(3)).sum().backward();
    expect(vals(x.grad)).toEqual([5, -1, 4]);
    expect(x.isLeaf).toBe(true);
  });

  it('accumulates into .grad across backward calls (+=, never =), and zeroGrad resets', () => {
    const x = tensor([1, 2], undefined, { requiresGrad: true });
    x.mul(x).sum().backward();
    x.mul(x).sum().backward();
    expect(vals(x.grad)).toEqual([4, 8]);
    x.zeroGrad();
    expect(x.grad).toBeNull();
    x.mul(3).sum().backward();
    expect(vals(x.grad)).toEqual([3, 3]);
  });

  it('sums gradients over every path (a diamond: y = x*x + x*x*x)', () => {
    const x = tensor([2], undefined, { requiresGrad: true });
    const sq = x.mul(x);
    sq.add(sq.mul(x)).sum().backward();
    expect(vals(x.grad)).toEqual([2 * 2 + 3 * 4]);
  });

  it('the same tensor twice as the inputs of one op (x + x, x * x)', () => {
    const x = tensor([3], undefined, { requiresGrad: true });
    x.add(x).mul(x.mul(x)).sum().backward(); // 2x * x^2 = 2x^3 -> 6x^2
    expect(vals(x.grad)).toEqual([54]);
  });

  it('takes a seed gradient for non-scalar outputs, and requires one', () => {
    const x = tensor([1, 2, 3], undefined, { requiresGrad: true });
    const y = x.mul(x);
    expect(() => y.backward()).toThrow('backward: [3]: backward without a seed gradient needs a scalar');
    expect(() => y.backward(tensor([1, 2]))).toThrow('backward: seed gradient [2] does not match output [3]');
    y.backward(tensor([1, 0, -1]));
    expect(vals(x.grad)).toEqual([2, 0, -6]);
  });

  it('backward on a tensor that does not require grad is an error', () => {
    const x = tensor([1, 2]);
    expect(() => x.sum().backward()).toThrow('backward: []: the tensor does not require grad and has no grad_fn');
  });

  it('backward on a leaf accumulates the seed into it', () => {
    const x = scalar(3, { requiresGrad: true });
    x.backward();
    x.backward();
    expect(vals(x.grad)).toEqual([2]);
  });

  it('only inputs that require grad get gradients; the others are skipped', () => {
    const x = tensor([1, 2], undefined, { requiresGrad: true });
    const c = tensor([5, 7]);
    x.mul(c).sum().backward();
    expect(vals(x.grad)).toEqual([5, 7]);
    expect(c.grad).toBeNull();
    expect(c.requiresGrad).toBe(false);
  });

  it('noGrad records nothing; enableGrad turns it back on inside', () => {
    const x = tensor([1], undefined, { requiresGrad: true });
    const y = noGrad(() => x.mul(2));
    expect(y.requiresGrad).toBe(false);
    expect(y.gradFn).toBeNull();
    expect(isGradEnabled()).toBe(true);
    const z = noGrad(() => enableGrad(() => x.mul(2)));
    expect(z.gradFn).toBe('affine');
    expect(() => noGrad(() => { throw new Error('boom'); })).toThrow('boom');
    expect(isGradEnabled()).toBe(true);
  });

  it('detach cuts the graph and shares the values', () => {
    const x = tensor([2], undefined, { requiresGrad: true });
    const d = x.mul(x).detach();
    expect(d.requiresGrad).toBe(false);
    const y = x.mul(d).sum(); // d is a constant 4
    y.backward();
    expect(vals(x.grad)).toEqual([4]);
  });

  it('only leaves can change requiresGrad', () => {
    const x = tensor([2], undefined, { requiresGrad: true });
    expect(() => x.mul(2).requiresGrad_(false)).toThrow('only leaves can change requiresGrad');
    const c = tensor([1]);
    c.requiresGrad = true;
    expect(c.requiresGrad).toBe(true);
  });

  it('a second backward through the same graph is an error unless retainGraph', () => {
    const x = tensor([1, 2], undefined, { requiresGrad: true });
    const y = x.mul(x).sum();
    y.backward(null, { retainGraph: true });
    y.backward();
    expect(vals(x.grad)).toEqual([4, 8]);
    expect(() => y.backward()).toThrow(/backward through the graph a second time/);
  });

  it('backward frees the storages the tape saved', () => {
    const x = tensor([1, 2, 3], undefined, { requiresGrad: true });
    const before = engine.memory().numDataBuffers;
    const y = tidy(() => x.exp().mul(x).sum()); // the intermediates' handles go, their storage stays on the tape
    expect(engine.memory().numDataBuffers).toBeGreaterThan(before + 1);
    y.backward();
    expect(vals(x.grad).map((v, i) => v - Math.exp(i + 1) * (i + 2))).toEqual([0, 0, 0].map(() => expect.closeTo(0, 12)));
    y.dispose();
    x.zeroGrad();
    expect(engine.memory().numDataBuffers).toBe(before);
  });

  it('retainGrad stores a non-leaf gradient', () => {
    const x = tensor([1, 2], undefined, { requiresGrad: true });
    const h = x.mul(3).retainGrad();
    h.square().sum().backward(); // d/dh = 2h
    expect(vals(h.grad)).toEqual([6, 12]);
    expect(vals(x.grad)).toEqual([18, 36]);
  });

  it('an in-place change to a saved tensor makes backward fail loudly (version counter)', () => {
    const w = tensor([1, 2], undefined, { requiresGrad: true });
    const a = tensor([3, 4]);
    const y = w.mul(a).sum();
    copy_(a, tensor([0, 0]));
    expect(() => y.backward()).toThrow('mul: a tensor [2] saved for backward was modified in place (copy_/sgdUpdate_) after it was saved');
  });

  it('handles a 20,000-op chain without recursion limits', () => {
    const x = scalar(1, { requiresGrad: true });
    let y = x;
    tidy(() => {
      for (let i = 0; i < 20_000; i++) y = y.mul(1.0001);
      y.backward();
    });
    expect(vals(x.grad)[0]).toBeCloseTo(1.0001 ** 20_000, 6);
  });

  it('gradients computed inside a tidy survive it (they belong to the leaf)', () => {
    const x = ones([2], { requiresGrad: true });
    tidy(() => x.mul(full([2], 5)).sum().backward());
    expect(vals(x.grad)).toEqual([5, 5]);
    expect(x.grad!.isDisposed).toBe(false);
  });

  it('reports the op that made a tensor', () => {
    const x = tensor([1], undefined, { requiresGrad: true });
    expect(x.gradFn).toBeNull();
    expect(x.exp().gradFn).toBe('exp');
    expect(x.reshape([1, 1]).gradFn).toBe('reshape');
  });
});
