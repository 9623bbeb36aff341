// Heavy kernels and elementwise arithmetic flush denormal float32 results to zero (WebAssembly has no
// flush-to-zero mode and denormal operands slow SIMD arithmetic several times; see flushDenormal),
// and leave normal values, however small, alone.

import { afterAll, describe, expect, it } from 'vitest';
import { createGpuJsBackend } from './index';

describe('denormal results are flushed to zero (webasm)', () => {
  const be = createGpuJsBackend({ mode: 'webasm' });
  afterAll(() => be.destroy());
  const mm = { batch: 1, batchA: 1, batchB: 1, m: 4, k: 1, n: 4, transA: false, transB: false };

  it('matmul: products below 2^-126 become 0, products above stay', () => {
    const a = be.upload([1e-20, 1e-15, -1e-20, 1]);
    const b = be.upload([1e-20, 1e-15, 1, 2]);
    const c = be.matmul(a, b, mm);
    const got = Array.from(be.read(c));
    expect(got[0]).toBe(0); // 1e-40: denormal
    expect(got[5]).toBeCloseTo(1e-30, 36); // normal
    expect(got[8]).toBe(0); // -1e-40: denormal
    expect(got[15]).toBe(2);
    [a, b, c].forEach((d) => be.dispose(d));
  });

  it('binary multiply and affine', () => {
    const a = be.upload([1e-20, 1e-18, 3]);
    const m = be.binary('mul', a, [3], a, [3], [3]);
    expect(Array.from(be.read(m))).toEqual([0, Math.fround(Math.fround(1e-18) ** 2), 9]);
    const f = be.affine(a, 3, 1e-20, 0);
    expect(be.read(f)[0]).toBe(0);
    [a, m, f].forEach((d) => be.dispose(d));
  });

  it('conv2d (direct and Winograd)', () => {
    for (const convAlgorithm of ['direct', 'winograd'] as const) {
      const cb = createGpuJsBackend({ mode: 'webasm', convAlgorithm });
      const p = { xShape: [1, 1, 4, 4], wShape: [1, 1, 3, 3], strideH: 1, strideW: 1, padTop: 1, padBottom: 1, padLeft: 1, padRight: 1, outShape: [1, 1, 4, 4] };
      const x = cb.upload(new Float32Array(16).fill(1e-20));
      const w = cb.upload(new Float32Array(9).fill(1e-20));
      const y = cb.conv2d(x, w, p);
      expect(Array.from(cb.read(y))).toEqual(new Array(16).fill(0));
      cb.destroy();
    }
  });
});
