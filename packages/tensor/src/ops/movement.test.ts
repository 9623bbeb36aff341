import fc from 'fast-check';
import { beforeEach, describe, expect, it } from 'vitest';
import { setBackend } from '../engine';
import type { Engine } from '../engine';
import { ReferenceBackend } from '../reference/reference-backend';
import { arange, randn, tensor } from '../creation';
import { tidy } from '../memory';
import { Rng } from '../rng';
import { broadcastShapes } from '../shape';
import { vals } from '../test-util';
import { add, mul } from './elementwise';
import * as M from './movement';
import { sumTo } from './reduce';

let engine: Engine;
beforeEach(() => {
  engine = setBackend(new ReferenceBackend());
});

const x234 = () => arange(24).reshape([2, 3, 4]);

describe('movement forward values', () => {
  it('reshape shares storage (no copy) and infers -1', () => {
    const a = arange(6);
    const before = engine.memory().numDataBuffers;
    const r = a.reshape([-1, 3]);
    expect(r.shape).toEqual([2, 3]);
    expect(engine.memory().numDataBuffers).toBe(before);
    expect(vals(r)).toEqual([0, 1, 2, 3, 4, 5]);
    expect(() => a.reshape([4])).toThrow('reshape: [6] (6 elements) -> [4] (4 elements): sizes differ');
  });

  it('flatten, squeeze, unsqueeze', () => {
    expect(M.flatten(x234()).shape).toEqual([24]);
    expect(M.flatten(x234(), 1).shape).toEqual([2, 12]);
    expect(M.flatten(x234(), 0, 1).shape).toEqual([6, 4]);
    expect(M.flatten(tensor(5)).shape).toEqual([1]);
    expect(M.squeeze(tensor([[[1], [2]]])).shape).toEqual([2]);
    expect(M.squeeze(tensor([[[1], [2]]]), 0).shape).toEqual([2, 1]);
    expect(M.squeeze(tensor([[1, 2]]), 1).shape).toEqual([1, 2]); // not size 1: left alone, as torch
    expect(M.unsqueeze(arange(3), 0).shape).toEqual([1, 3]);
    expect(M.unsqueeze(arange(3), -1).shape).toEqual([3, 1]);
    expect(() => M.unsqueeze(arange(3), 2)).toThrow('unsqueeze: [3]: axis 2 is out of range for rank 2');
  });

  it('permute, transpose, t', () => {
    const p = M.permute(x234(), [2, 0, 1]);
    expect(p.shape).toEqual([4, 2, 3]);
    // p[k, i, j] = x[i, j, k] = 12 i + 4 j + k
    expect(vals(p).slice(0, 6)).toEqual([0, 4, 8, 12, 16, 20]);
    expect(vals(M.t(tensor([[1, 2, 3], [4, 5, 6]])))).toEqual([1, 4, 2, 5, 3, 6]);
    expect(M.transpose(x234(), 0, -1).shape).toEqual([4, 3, 2]);
    expect(() => M.permute(x234(), [0, 0, 1])).toThrow('permute: [2,3,4]: [0,0,1] is not a permutation');
    expect(() => M.permute(x234(), [0, 1])).toThrow('permute: [2,3,4]: perm [0,1] has 2 entries for rank 3');
    expect(() => M.t(x234())).toThrow('t: [2,3,4]: expects a tensor of rank <= 2');
  });

  it('expand materialises a broadcast; -1 keeps a dim', () => {
    expect(vals(M.expand(tensor([[1], [2]]), [2, 3]))).toEqual([1, 1, 1, 2, 2, 2]);
    expect(M.expand(tensor([1, 2, 3]), [2, -1]).shape).toEqual([2, 3]);
    expect(() => M.expand(tensor([1, 2, 3]), [2, 4])).toThrow('expand: [3] cannot be expanded to [2,4]');
  });

  it('slice and narrow', () => {
    const a = tensor([[1, 2, 3, 4], [5, 6, 7, 8], [9, 10, 11, 12]]);
    expect(vals(M.slice(a, [1, 1], [2, 2]))).toEqual([6, 7, 10, 11]);
    expect(vals(M.slice(a, [-1]))).toEqual([9, 10, 11, 12]);
    expect(vals(M.slice(a, [0, 2], [-1, -1]))).toEqual([3, 4, 7, 8, 11, 12]);
    expect(vals(M.narrow(a, 1, 1, 2))).toEqual([2, 3, 6, 7, 10, 11]);
    expect(() => M.slice(a, [3])).toThrow('slice: [3,4], begin [3], size []: begin 3 is out of range for dim 0 of size 3');
    expect(() => M.slice(a, [1, 1], [3, 1])).toThrow('size 3 at begin 1 does not fit dim 0 of size 3');
  });

  it('pad with a value', () => {
    expect(vals(M.pad(tensor([[1, 2]]), [[1, 0], [0, 1]], -1))).toEqual([-1, -1, -1, 1, 2, -1]);
    expect(() => M.pad(tensor([1, 2]), [[1, 1], [0, 0]])).toThrow('pad: [2], pads [[1,1],[0,0]]: need one [before, after] pair per dim (1)');
    expect(() => M.pad(tensor([1, 2]), [[-1, 0]])).toThrow('each pair must be two non-negative integers');
  });

  it('concat, cat, stack', () => {
    expect(vals(M.concat([tensor([[1], [2]]), tensor([[3, 4], [5, 6]])], 1))).toEqual([1, 3, 4, 2, 5, 6]);
    expect(vals(M.cat([tensor([1]), tensor([2, 3])]))).toEqual([1, 2, 3]);
    const s = M.stack([tensor([1, 2]), tensor([3, 4])], 1);
    expect(s.shape).toEqual([2, 2]);
    expect(vals(s)).toEqual([1, 3, 2, 4]);
    expect(() => M.concat([tensor([[1, 2]]), tensor([[1, 2, 3]])], 0)).toThrow('concat: [1,2], [1,3]: shapes differ outside axis 0');
    expect(() => M.concat([])).toThrow('concat: needs a non-empty array of tensors');
    expect(() => M.stack([tensor([1]), tensor([1, 2])])).toThrow('stack: [1], [2]: shapes differ');
  });

  it('gradients: slice pads, pad slices, concat splits, permute inverts', () => {
    const a = tensor([[1, 2, 3], [4, 5, 6]], undefined, { requiresGrad: true });
    M.slice(a, [0, 1], [2, 1]).sum().backward();
    expect(vals(a.grad)).toEqual([0, 1, 0, 0, 1, 0]);
    a.zeroGrad();
    M.concat([a, a.mul(2)], 0).mul(arange(12).reshape([4, 3])).sum().backward();
    expect(vals(a.grad)).toEqual([0 + 12, 1 + 14, 2 + 16, 3 + 18, 4 + 20, 5 + 22]);
  });
});

/** Random shape pairs that broadcast. */
const pairs = fc
  .array(fc.integer({ min: 1, max: 3 }), { minLength: 0, maxLength: 3 })
  .chain((s) => fc.tuple(fc.constant(s), fc.array(fc.boolean(), { minLength: s.length, maxLength: s.length }), fc.nat(s.length)))
  .map(([s, ones, drop]) => [s, s.map((d, i) => (ones[i] ? 1 : d)).slice(drop)] as const);

describe('broadcast and reshape laws (property tests on tensors)', () => {
  it('a op b equals expand(a) op expand(b)', () => {
    fc.assert(
      fc.property(pairs, fc.integer(), ([sa, sb], seed) =>
        tidy(() => {
          const rng = new Rng(seed >>> 0);
          const a = randn(sa, { rng });
          const b = randn(sb, { rng });
          const out = broadcastShapes('t', sa, sb);
          expect(vals(add(a, b))).toEqual(vals(add(M.expand(a, out), M.expand(b, out))));
          expect(vals(mul(b, a))).toEqual(vals(mul(M.expand(b, out), M.expand(a, out))));
        }),
      ),
      { numRuns: 60 },
    );
  });

  it('sumTo is the adjoint of expand: <expand(x), y> = <x, sumTo(y)>', () => {
    fc.assert(
      fc.property(pairs, fc.integer(), ([so, sx], seed) =>
        tidy(() => {
          const rng = new Rng(seed >>> 0);
          const x = randn(sx, { rng });
          const y = randn(so, { rng });
          const lhs = vals(M.expand(x, so).mul(y).sum())[0];
          const rhs = vals(x.mul(sumTo(y, sx)).sum())[0];
          expect(lhs).toBeCloseTo(rhs, 10);
        }),
      ),
      { numRuns: 60 },
    );
  });

  it('reshape round-trips and permute by the inverse is the identity', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 1, max: 4 }), { minLength: 1, maxLength: 4 }), fc.integer(), (shape, seed) =>
        tidy(() => {
          const x = randn(shape, { rng: new Rng(seed >>> 0) });
          const flat = x.reshape([-1]);
          expect(vals(flat.reshape(shape))).toEqual(vals(x));
          expect(flat.reshape(shape).shape).toEqual(shape);
          const perm = new Rng(seed >>> 0).permutation(shape.length);
          const inv = Array.from(perm).map((_, i) => Array.from(perm).indexOf(i));
          expect(vals(x.permute(Array.from(perm)).permute(inv))).toEqual(vals(x));
        }),
      ),
      { numRuns: 60 },
    );
  });
});
