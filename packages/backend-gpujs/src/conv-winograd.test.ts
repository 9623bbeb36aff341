// Winograd F(2x2, 3x3) convolutions (forward, input and filter gradients) against the float64
// oracle: odd and even sizes (partial edge tiles), paddings 0, 1 and 2 (asymmetric too), channel
// counts that are not multiples of 4, batch 1 and 3; in webasm and cpu. And 'auto' picks it only
// where it applies.

import { afterAll, describe, expect, it } from 'vitest';
import * as ref from '../test/oracle';
import { createGpuJsBackend } from './create';
import { winogradApplies } from './conv-winograd';

const cases: { x: number[]; w: number[]; pad: [number, number, number, number] }[] = [
  { x: [2, 16, 8, 8], w: [16, 16, 3, 3], pad: [1, 1, 1, 1] },
  { x: [3, 5, 7, 9], w: [6, 5, 3, 3], pad: [1, 1, 1, 1] },
  { x: [1, 8, 11, 6], w: [9, 8, 3, 3], pad: [0, 0, 0, 0] },
  { x: [2, 4, 5, 5], w: [4, 4, 3, 3], pad: [2, 2, 2, 2] },
  { x: [1, 3, 6, 7], w: [13, 3, 3, 3], pad: [0, 2, 1, 0] },
  { x: [1, 1, 3, 3], w: [1, 1, 3, 3], pad: [1, 1, 1, 1] },
];

for (const mode of ['webasm', 'cpu'] as const) {
  describe(`Winograd F(2x2, 3x3) in '${mode}'`, () => {
    const be = createGpuJsBackend({ mode, convAlgorithm: 'winograd' });
    afterAll(() => be.destroy());

    for (const c of cases) {
      it(`x [${c.x}] w [${c.w}] pad ${c.pad}: forward, input and filter gradients`, () => {
        const p = ref.convParams(c.x, c.w, [1, 1], c.pad);
        expect(be.usesWinograd(p)).toBe(true);
        const xv = ref.randomArray(ref.size(p.xShape), 11);
        const wv = ref.randomArray(ref.size(p.wShape), 12);
        const dyv = ref.randomArray(ref.size(p.outShape), 13);
        const [x, w, dy] = [xv, wv, dyv].map((v) => be.upload(v));
        const check = (id: ReturnType<typeof be.upload>, want: number[]) => {
          expect(ref.worst(be.read(id), want, 1e-4, 1e-4)).toBeNull();
          be.dispose(id);
        };
        check(be.conv2d(x!, w!, p), ref.conv2d(xv, wv, p));
        // with a bias, added as the output tiles are laid out
        const o = c.w[0]!;
        const bv = ref.randomArray(o, 14);
        const b = be.upload(bv);
        const plane = p.outShape[2]! * p.outShape[3]!;
        check(be.conv2d(x!, w!, p, b), ref.conv2d(xv, wv, p).map((v, i) => v + bv[Math.floor(i / plane) % o]!));
        be.dispose(b);
        check(be.conv2dBackpropInput(dy!, w!, p), ref.conv2dBackpropInput(dyv, wv, p));
        check(be.conv2dBackpropFilter(x!, dy!, p), ref.conv2dBackpropFilter(xv, dyv, p));
        [x, w, dy].forEach((d) => be.dispose(d!));
        expect(be.memory().numDataIds).toBe(0);
      });
    }
  });
}

describe('the input transform kept from conv2d for conv2dBackpropFilter', () => {
  const p = ref.convParams([2, 8, 6, 6], [8, 8, 3, 3], [1, 1], [1, 1, 1, 1]);
  const xv = ref.randomArray(ref.size(p.xShape), 21);
  const x2 = ref.randomArray(ref.size(p.xShape), 24);
  const wv = ref.randomArray(ref.size(p.wShape), 22);
  const dyv = ref.randomArray(ref.size(p.outShape), 23);

  it('is taken by the filter gradient of the same input, and the gradient is right', () => {
    const be = createGpuJsBackend({ mode: 'webasm', convAlgorithm: 'winograd' });
    const [x, w, dy] = [xv, wv, dyv].map((v) => be.upload(v));
    be.dispose(be.conv2d(x!, w!, p));
    expect(be.transformCacheStats()).toMatchObject({ entries: 1, bytes: 16 * 8 * 2 * 9 * 4 });
    const dw = be.conv2dBackpropFilter(x!, dy!, p);
    expect(be.transformCacheStats().entries).toBe(0);
    expect(ref.worst(be.read(dw), ref.conv2dBackpropFilter(xv, dyv, p), 1e-4, 1e-4)).toBeNull();
    be.destroy();
  });

  it('is dropped when the input is overwritten in place or disposed, and never outgrows its bound', () => {
    const be = createGpuJsBackend({ mode: 'webasm', convAlgorithm: 'winograd' });
    const [x, w, dy, other] = [xv, wv, dyv, x2].map((v) => be.upload(v));
    be.dispose(be.conv2d(x!, w!, p));
    be.assign(x!, other!);
    expect(be.transformCacheStats().entries).toBe(0);
    const dw = be.conv2dBackpropFilter(x!, dy!, p);
    expect(ref.worst(be.read(dw), ref.conv2dBackpropFilter(x2, dyv, p), 1e-4, 1e-4)).toBeNull();
    be.dispose(be.conv2d(x!, w!, p));
    be.dispose(x!);
    expect(be.transformCacheStats().entries).toBe(0);
    be.destroy();
    const small = createGpuJsBackend({ mode: 'webasm', convAlgorithm: 'winograd', transformCacheBytes: 1000 });
    const xs = small.upload(xv);
    const ws = small.upload(wv);
    small.dispose(small.conv2d(xs, ws, p));
    expect(small.transformCacheStats()).toMatchObject({ entries: 0, bytes: 0, maxBytes: 1000 });
    small.destroy();
    expect(() => createGpuJsBackend({ mode: 'webasm', transformCacheBytes: -1 })).toThrow(/transformCacheBytes must be/);
  });
});

describe('when Winograd applies', () => {
  it('only to stride-1 3x3 convolutions with padding at most 2', () => {
    expect(winogradApplies(ref.convParams([1, 4, 8, 8], [4, 4, 3, 3], [1, 1], [1, 1, 1, 1]))).toBe(true);
    expect(winogradApplies(ref.convParams([1, 4, 8, 8], [4, 4, 3, 3], [2, 2], [1, 1, 1, 1]))).toBe(false);
    expect(winogradApplies(ref.convParams([1, 4, 8, 8], [4, 4, 1, 1], [1, 1], [0, 0, 0, 0]))).toBe(false);
    expect(winogradApplies(ref.convParams([1, 4, 8, 8], [4, 4, 3, 3], [1, 1], [3, 3, 3, 3]))).toBe(false);
  });

  it("'direct' never uses it; GPU-style scalar kernels never do", () => {
    const p = ref.convParams([1, 16, 8, 8], [16, 16, 3, 3], [1, 1], [1, 1, 1, 1]);
    const direct = createGpuJsBackend({ mode: 'webasm', convAlgorithm: 'direct' });
    const scalar = createGpuJsBackend({ mode: 'webasm', kernels: 'scalar', convAlgorithm: 'winograd' });
    expect(direct.usesWinograd(p)).toBe(false);
    expect(scalar.usesWinograd(p)).toBe(false);
    direct.destroy();
    scalar.destroy();
    expect(() => createGpuJsBackend({ mode: 'webasm', convAlgorithm: 'fast' as never })).toThrow(/convAlgorithm must be/);
  });
});
