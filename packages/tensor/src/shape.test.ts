import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { broadcastShapes, broadcastsTo, inferReshape, normalizeAxes, normalizeAxis, sumToAxes } from './shape';

const dims = fc.array(fc.integer({ min: 1, max: 4 }), { maxLength: 4 });

/** A shape and another that broadcasts with it (some dims replaced by 1, some leading dims dropped). */
const compatiblePair = dims.chain((s) =>
  fc.tuple(
    fc.constant(s),
    fc.array(fc.boolean(), { minLength: s.length, maxLength: s.length }),
    fc.integer({ min: 0, max: s.length }),
  ).map(([a, ones, drop]) => [a, a.map((d, i) => (ones[i] ? 1 : d)).slice(drop)] as const),
);

describe('broadcasting laws', () => {
  it('is commutative and idempotent', () => {
    fc.assert(
      fc.property(compatiblePair, ([a, b]) => {
        expect(broadcastShapes('t', a, b)).toEqual(broadcastShapes('t', b, a));
        expect(broadcastShapes('t', a, a)).toEqual([...a]);
      }),
    );
  });

  it('the result is what both inputs broadcast to, and a scalar is the identity', () => {
    fc.assert(
      fc.property(compatiblePair, ([a, b]) => {
        const out = broadcastShapes('t', a, b);
        expect(broadcastsTo(a, out) && broadcastsTo(b, out)).toBe(true);
        expect(broadcastShapes('t', a, [])).toEqual([...a]);
      }),
    );
  });

  it('is associative', () => {
    fc.assert(
      fc.property(compatiblePair, dims, ([a, b], c0) => {
        const c = c0.map(() => 1); // all ones: always compatible
        expect(broadcastShapes('t', broadcastShapes('t', a, b), c)).toEqual(broadcastShapes('t', a, broadcastShapes('t', b, c)));
      }),
    );
  });

  it('sumToAxes lists exactly the axes broadcasting added or stretched', () => {
    fc.assert(
      fc.property(compatiblePair, ([a, b]) => {
        const out = broadcastShapes('t', a, b);
        const axes = sumToAxes(out, b);
        const kept = out.filter((_, i) => !axes.includes(i));
        // summing those axes away leaves b without its size-1 dims that were stretched
        expect(kept.reduce((x, y) => x * y, 1)).toBe(b.reduce((x, y) => x * y, 1));
      }),
    );
  });

  it('names the op, the shapes and the dim that do not broadcast', () => {
    expect(() => broadcastShapes('add', [2, 3], [4])).toThrow('add: [2,3] and [4]: shapes do not broadcast (dim -1: 3 vs 4)');
    expect(() => broadcastShapes('mul', [5, 2, 3], [4, 3])).toThrow('mul: [5,2,3] and [4,3]: shapes do not broadcast (dim -2: 2 vs 4)');
  });
});

describe('reshape inference', () => {
  it('infers one -1 and preserves the size', () => {
    fc.assert(
      fc.property(dims, fc.nat(), (s, k) => {
        const size = s.reduce((a, b) => a * b, 1);
        const i = s.length === 0 ? 0 : k % s.length;
        const target = s.length === 0 ? [-1] : s.map((d, j) => (j === i ? -1 : d));
        const out = inferReshape('reshape', [size], target);
        expect(out.reduce((a, b) => a * b, 1)).toBe(size);
        expect(out).toEqual(s.length === 0 ? [1] : s);
      }),
    );
  });

  it('rejects bad targets naming both shapes', () => {
    expect(() => inferReshape('reshape', [2, 3], [4])).toThrow('reshape: [2,3] (6 elements) -> [4] (4 elements): sizes differ');
    expect(() => inferReshape('reshape', [2, 3], [-1, -1])).toThrow('only one dimension can be -1');
    expect(() => inferReshape('reshape', [2, 3], [-1, 4])).toThrow('6 elements do not divide into 4');
    expect(() => inferReshape('reshape', [2, 3], [0, 6])).toThrow('invalid dimension 0');
  });
});

describe('axes', () => {
  it('normalises negative axes and rejects out-of-range ones', () => {
    expect(normalizeAxis('sum', -1, 3)).toBe(2);
    expect(() => normalizeAxis('sum', 2, 2, [2, 3])).toThrow('sum: [2,3]: axis 2 is out of range for rank 2 (valid: -2..1)');
    expect(() => normalizeAxis('sum', 0, 0, [])).toThrow('sum: []: axis 0 is out of range for a scalar (rank 0)');
    expect(normalizeAxes('sum', [-1, 0], [2, 3, 4])).toEqual([0, 2]);
    expect(normalizeAxes('sum', undefined, [2, 3])).toEqual([0, 1]);
    expect(() => normalizeAxes('sum', [1, -1], [2, 3])).toThrow('sum: [2,3]: axis 1 is repeated in [1,-1]');
    expect(() => normalizeAxis('sum', 0.5, 2)).toThrow('axis must be an integer');
  });
});
