// Heavy kernels split across threads (webasm, `threads: 2`) give the same values as the oracle, on
// sizes above the split threshold and with uneven parts (odd row-block and batch counts).

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as ref from '../test/oracle';
import { createGpuJsBackend } from './create';
import { SPLIT_MIN_WORK } from './device';
import type { GpuJsBackend } from './gpujs-backend';
import { SyncWorkerPool } from './worker-pool';

describe('webasm with threads: 2', () => {
  let be: GpuJsBackend;
  beforeAll(() => {
    be = createGpuJsBackend({ mode: 'webasm', threads: 2 });
  });
  afterAll(() => be.destroy());

  it('reports its threads', () => {
    expect(be.threads).toBe(2);
    expect(be.describe()).toContain('split across 2 threads');
  });

  const mm: [number, number, number, number][] = [
    [1, 37, 129, 450],
    [3, 33, 64, 350],
  ];
  for (const [batch, m, k, n] of mm) {
    it(`matmul batch ${batch} ${m}x${k}x${n} (split ${2 * batch * m * k * n >= SPLIT_MIN_WORK})`, () => {
      expect(2 * batch * m * k * n).toBeGreaterThanOrEqual(SPLIT_MIN_WORK);
      const p = { batch, batchA: batch, batchB: 1, m, k, n, transA: false, transB: true };
      const av = ref.randomArray(batch * m * k, 1);
      const bv = ref.randomArray(k * n, 2);
      const a = be.upload(av);
      const b = be.upload(bv);
      const c = be.matmul(a, b, p);
      expect(ref.worst(be.read(c), ref.matmul(av, bv, p), 1e-4, 1e-4)).toBeNull();
      [a, b, c].forEach((d) => be.dispose(d));
    });
  }

  it('conv2d forward, input and filter gradients of 3x16x23x19 with 13 filters', () => {
    const p = ref.convParams([3, 16, 23, 19], [13, 16, 3, 3], [1, 1], [1, 1, 1, 1]);
    const xv = ref.randomArray(ref.size(p.xShape), 3);
    const wv = ref.randomArray(ref.size(p.wShape), 4);
    const dyv = ref.randomArray(ref.size(p.outShape), 5);
    const [x, w, dy] = [xv, wv, dyv].map((v) => be.upload(v));
    const check = (id: ReturnType<typeof be.upload>, want: number[]) => {
      expect(ref.worst(be.read(id), want, 1e-4, 1e-4)).toBeNull();
      be.dispose(id);
    };
    check(be.conv2d(x!, w!, p), ref.conv2d(xv, wv, p));
    check(be.conv2dBackpropInput(dy!, w!, p), ref.conv2dBackpropInput(dyv, wv, p));
    check(be.conv2dBackpropFilter(x!, dy!, p), ref.conv2dBackpropFilter(xv, dyv, p));
    [x, w, dy].forEach((d) => be.dispose(d!));
    expect(be.memory().numDataIds).toBe(0);
  });

  it('an error in a helper thread surfaces as an error of the call, after the other chunks finish', () => {
    const pool = new SyncWorkerPool(1);
    const job = (key: string, source: string) => ({
      key,
      source,
      output: [4],
      args: [new Float32Array(4).fill(2)],
      starts: [0, 0, 0, 0, 0, 0, 0, 0],
      inner: 4,
      chunkFloats: 4,
      result: new SharedArrayBuffer(16),
    });
    let own = 0;
    const slowChunk = () => {
      own++;
      // give the helper time to take chunks
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 50);
      return new Float32Array(4).fill(2);
    };
    // until the helper has started and taken a chunk of a good job (it loads gpu.js first)
    for (let i = 0; i < 40; i++) {
      own = 0;
      pool.run(job('good', 'function(x, splitOffset) { return x[this.thread.x + splitOffset * 0]; }'), slowChunk);
      if (own < 8) break;
    }
    expect(own).toBeLessThan(8);
    own = 0;
    expect(() => pool.run(job('broken', 'function(x, splitOffset) { return notDefined[this.thread.x + splitOffset]; }'), slowChunk)).toThrow(
      /^worker pool: .*not defined/,
    );
    expect(own).toBeLessThan(8);
    pool.destroy();
    expect(() => pool.run(job('good', ''), slowChunk)).toThrow(/destroyed/);
  });

  it('threads are for webasm only', () => {
    expect(() => createGpuJsBackend({ mode: 'cpu', threads: 2 })).toThrow(/threads > 1 needs mode: 'webasm'/);
    expect(() => createGpuJsBackend({ mode: 'webasm', threads: 0 })).toThrow(/threads must be an integer from 1 to 64/);
  });
});
