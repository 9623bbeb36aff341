// The fused batch norm primitives at a training size (the MNIST network's first stage, 64x16x28x28:
// 50,176 values per channel) against float64 loops, and on [N, C] features; the conformance suite
// checks the op at small sizes against the reference backend.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as ref from '../test/oracle';
import { createGpuJsBackend } from './index';
import type { GpuJsBackend } from './gpujs-backend';

function expected(x: Float32Array, dy: Float32Array, w: Float32Array, outer: number, c: number, inner: number, eps: number) {
  const m = outer * inner;
  const mean = new Float64Array(c);
  const variance = new Float64Array(c);
  const at = (o: number, ch: number, k: number) => (o * c + ch) * inner + k;
  for (let o = 0; o < outer; o++) for (let ch = 0; ch < c; ch++) for (let k = 0; k < inner; k++) mean[ch]! += x[at(o, ch, k)]! / m;
  for (let o = 0; o < outer; o++) for (let ch = 0; ch < c; ch++) for (let k = 0; k < inner; k++) variance[ch]! += (x[at(o, ch, k)]! - mean[ch]!) ** 2 / m;
  const invstd = Array.from(variance, (v) => 1 / Math.sqrt(v + eps));
  const y = new Float64Array(x.length);
  const dbias = new Float64Array(c);
  const dweight = new Float64Array(c);
  for (let i = 0; i < x.length; i++) {
    const ch = Math.floor(i / inner) % c;
    const xhat = (x[i]! - mean[ch]!) * invstd[ch]!;
    y[i] = xhat * w[ch]!;
    dbias[ch]! += dy[i]!;
    dweight[ch]! += dy[i]! * xhat;
  }
  const dx = Float64Array.from(x, (v, i) => {
    const ch = Math.floor(i / inner) % c;
    const xhat = (v - mean[ch]!) * invstd[ch]!;
    return w[ch]! * invstd[ch]! * (dy[i]! - dbias[ch]! / m - (xhat * dweight[ch]!) / m);
  });
  return { mean, variance, y, dx, dweight, dbias };
}

describe('fused batch norm primitives (webasm)', () => {
  let be: GpuJsBackend;
  beforeAll(() => {
    be = createGpuJsBackend({ mode: 'webasm' });
  });
  afterAll(() => be.destroy());

  for (const [outer, c, inner] of [
    [64, 16, 784],
    [37, 13, 1],
  ] as const) {
    it(`statistics, forward and backward of [${outer},${c},${inner}] match float64 loops`, () => {
      const p = { outer, channels: c, inner, eps: 1e-5 };
      const n = outer * c * inner;
      const xv = Float32Array.from(ref.randomArray(n, 1), (v, i) => 3 + 2 * v + (i % 7) * 0.01);
      const dyv = ref.randomArray(n, 2);
      const wv = ref.randomArray(c, 3, 0.5, 2);
      const want = expected(xv, dyv, wv, outer, c, inner, p.eps);
      const [x, dy, w] = [xv, dyv, wv].map((v) => be.upload(v)) as [ReturnType<typeof be.upload>, ReturnType<typeof be.upload>, ReturnType<typeof be.upload>];
      const { mean, variance } = be.batchNormStats(x, p);
      const y = be.batchNormForward(x, mean, variance, w, null, p);
      const g = be.batchNormBackward(dy, x, mean, variance, w, p);
      expect(ref.worst(be.read(mean), want.mean, 1e-5, 1e-6)).toBeNull();
      expect(ref.worst(be.read(variance), want.variance, 1e-4, 1e-6)).toBeNull();
      expect(ref.worst(be.read(y), want.y, 1e-4, 1e-4)).toBeNull();
      expect(ref.worst(be.read(g.dbias), want.dbias, 1e-4, 1e-2)).toBeNull();
      expect(ref.worst(be.read(g.dweight), want.dweight, 1e-4, 1e-2)).toBeNull();
      expect(ref.worst(be.read(g.dx), want.dx, 1e-3, 1e-5)).toBeNull();
      [x, dy, w, mean, variance, y, g.dx, g.dweight, g.dbias].forEach((d) => be.dispose(d));
      expect(be.memory().numDataIds).toBe(0);
    });
  }

  it('refuses inconsistent params with the primitive named', () => {
    const x = be.upload([1, 2, 3, 4, 5, 6]);
    expect(() => be.batchNormStats(x, { outer: 2, channels: 2, inner: 2, eps: 1e-5 })).toThrow('batchNormStats: x holds 6 elements but its shape [2,2,2] needs 8');
    const m = be.upload([0, 0]);
    expect(() => be.batchNormForward(x, m, m, null, null, { outer: 1, channels: 3, inner: 2, eps: 0 })).toThrow('batchNormForward: mean holds 2 elements, expected 3');
    [x, m].forEach((d) => be.dispose(d));
  });
});
