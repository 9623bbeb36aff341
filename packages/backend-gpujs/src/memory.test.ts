// Memory stays flat over a long run: 1,000 training steps of a small MLP written directly against
// the Backend primitives (forward, hand-written backward, momentum SGD) on 'webasm'. Live DataIds
// and bytes are identical from the first step to the last, no kernel is compiled after the first
// step, and the loss falls (so the steps really train).

import { describe, expect, it } from 'vitest';
import type { DataId } from '@skipinit/tensor';
import { randomArray, rng } from '../test/oracle';
import { createGpuJsBackend } from './index';

describe('memory over a long run (webasm)', () => {
  it('1,000 forward+backward+SGD steps of a small MLP leave live DataIds, bytes and kernels flat', () => {
    const be = createGpuJsBackend({ mode: 'webasm' });
    const N = 16, D = 8, H = 12, C = 4;
    const r = rng(7);
    const xv = randomArray(N * D, 70);
    const labels = Array.from({ length: N }, () => Math.floor(r() * C));
    const yv = new Float32Array(N * C);
    labels.forEach((l, i) => (yv[i * C + l] = 1));
    const X = be.upload(xv);
    const Y = be.upload(yv);
    const params = [
      { p: be.upload(randomArray(D * H, 71, -0.5, 0.5)), n: D * H },
      { p: be.fill(H, 0), n: H },
      { p: be.upload(randomArray(H * C, 72, -0.5, 0.5)), n: H * C },
      { p: be.fill(C, 0), n: C },
    ].map((q) => ({ ...q, v: be.fill(q.n, 0) }));
    const [W1, b1, W2, b2] = params.map((q) => q.p) as [DataId, DataId, DataId, DataId];
    const mm = (m: number, k: number, n: number, transA = false, transB = false) => ({ batch: 1, batchA: 1, batchB: 1, m, k, n, transA, transB });

    const step = (): number => {
      const t: DataId[] = [];
      const keep = <T extends DataId>(d: T) => (t.push(d), d);
      const pre = keep(be.binary('add', keep(be.matmul(X, W1, mm(N, D, H))), [N, H], b1, [H], [N, H]));
      const h = keep(be.unary('relu', pre, N * H));
      const z = keep(be.binary('add', keep(be.matmul(h, W2, mm(N, H, C))), [N, C], b2, [C], [N, C]));
      const lsm = keep(be.logSoftmax(z, N, C));
      const loss = keep(be.affine(keep(be.reduce('sum', keep(be.binary('mul', Y, [N, C], lsm, [N, C], [N, C])), [N, C], [0, 1])), 1, -1 / N, 0));
      const dz = keep(be.affine(keep(be.binary('sub', keep(be.unary('exp', lsm, N * C)), [N, C], Y, [N, C], [N, C])), N * C, 1 / N, 0));
      const dW2 = keep(be.matmul(h, dz, mm(H, N, C, true, false)));
      const db2 = keep(be.reduce('sum', dz, [N, C], [0]));
      const dh = keep(be.matmul(dz, W2, mm(N, C, H, false, true)));
      const zero = keep(be.fill(1, 0));
      const mask = keep(be.binary('gt', pre, [N, H], zero, [], [N, H]));
      const dpre = keep(be.where(mask, [N, H], dh, [N, H], zero, [], [N, H]));
      const dW1 = keep(be.matmul(X, dpre, mm(D, N, H, true, false)));
      const db1 = keep(be.reduce('sum', dpre, [N, H], [0]));
      [dW1, db1, dW2, db2].forEach((g, i) => be.sgdUpdate(params[i]!.p, g, params[i]!.v, params[i]!.n, { lr: 0.1, momentum: 0.9, weightDecay: 1e-4, nesterov: false }));
      const value = be.read(loss)[0]!;
      t.forEach((d) => be.dispose(d));
      return value;
    };

    const first = step();
    const mem = be.memory();
    const misses = be.kernelCacheStats().misses;
    let last = first;
    for (let i = 1; i < 1000; i++) {
      last = step();
      if (i % 250 === 0) expect(be.memory()).toEqual(mem);
    }
    expect(be.memory()).toEqual(mem);
    expect(mem.numDataIds).toBe(2 + 2 * params.length);
    expect(be.kernelCacheStats().misses).toBe(misses);
    expect(be.kernelCacheStats().hits).toBeGreaterThan(999 * 20);
    expect(last).toBeLessThan(first * 0.5);
    be.destroy();
    expect(be.memory()).toEqual({ numDataIds: 0, numBytes: 0 });
  });
});
