// Heavy kernels split across threads (webasm, `threads: 2`): every cell is computed by the same
// WebAssembly code as on one thread, so results are bit-identical to one thread's (and match the
// oracle), on sizes above the split threshold and with uneven ranges (rows that are not a multiple of
// four cells, odd batch counts). The pool itself: a helper's error surfaces as the call's error.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { availableParallelism } from 'node:os';
import { runInNewContext } from 'node:vm';
import * as ref from '../test/oracle';
import { MAX_AUTO_THREADS, autoThreads, createGpuJsBackend } from './index';
import { SPLIT_MIN_WORK } from './host-executor';
import type { GpuJsBackend } from './gpujs-backend';
import { SyncWorkerPool } from './worker-pool';

/** A hand-assembled module importing a shared one-page memory and exporting run(start, end, seed). */
function tinyModule(body: number[]): object {
  const section = (id: number, content: number[]) => [id, content.length, ...content];
  const bytes = [
    ...[0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00],
    ...section(1, [0x01, 0x60, 0x03, 0x7f, 0x7f, 0x7f, 0x00]),
    ...section(2, [0x01, 0x03, 0x65, 0x6e, 0x76, 0x06, 0x6d, 0x65, 0x6d, 0x6f, 0x72, 0x79, 0x02, 0x03, 0x01, 0x01]),
    ...section(3, [0x01, 0x00]),
    ...section(7, [0x01, 0x03, 0x72, 0x75, 0x6e, 0x00, 0x00]),
    ...section(10, [0x01, body.length + 2, 0x00, ...body, 0x0b]),
  ];
  const wa = (globalThis as unknown as { WebAssembly: { Module: new (b: Uint8Array) => object } }).WebAssembly;
  return new wa.Module(Uint8Array.from(bytes));
}

function sharedMemory(): object {
  const wa = (globalThis as unknown as { WebAssembly: { Memory: new (d: { initial: number; maximum: number; shared: boolean }) => object } }).WebAssembly;
  return new wa.Memory({ initial: 1, maximum: 1, shared: true });
}

describe('webasm with threads: 2', () => {
  let be: GpuJsBackend;
  let one: GpuJsBackend;
  beforeAll(() => {
    be = createGpuJsBackend({ mode: 'webasm', threads: 2 });
    one = createGpuJsBackend({ mode: 'webasm' });
  });
  afterAll(() => {
    be.destroy();
    one.destroy();
  });

  it('reports its threads', () => {
    expect(be.threads).toBe(2);
    expect(be.describe()).toContain('split across 2 threads');
  });

  const mm: [number, number, number, number][] = [
    [1, 37, 129, 450],
    [3, 33, 64, 350],
  ];
  for (const [batch, m, k, n] of mm) {
    it(`matmul batch ${batch} ${m}x${k}x${n}: bit-identical to one thread`, () => {
      expect(2 * batch * m * k * n).toBeGreaterThanOrEqual(SPLIT_MIN_WORK);
      const p = { batch, batchA: batch, batchB: 1, m, k, n, transA: false, transB: true };
      const av = ref.randomArray(batch * m * k, 1);
      const bv = ref.randomArray(k * n, 2);
      const run = (b: GpuJsBackend) => {
        const [a, bb] = [b.upload(av), b.upload(bv)];
        const c = b.matmul(a, bb, p);
        const out = b.read(c);
        [a, bb, c].forEach((d) => b.dispose(d));
        return out;
      };
      const got = run(be);
      expect(ref.worst(got, ref.matmul(av, bv, p), 1e-4, 1e-4)).toBeNull();
      expect(ref.worst(got, run(one), 0, 0)).toBeNull();
    });
  }

  for (const [x, w] of [
    [[3, 16, 23, 19], [13, 16, 3, 3]],
    [[5, 16, 30, 30], [16, 16, 3, 3]],
  ] as const) {
    it(`conv2d forward, input and filter gradients of ${x.join('x')} with ${w[0]} filters: bit-identical to one thread`, () => {
      const p = ref.convParams([...x], [...w], [1, 1], [1, 1, 1, 1]);
      const xv = ref.randomArray(ref.size(p.xShape), 3);
      const wv = ref.randomArray(ref.size(p.wShape), 4);
      const dyv = ref.randomArray(ref.size(p.outShape), 5);
      const run = (b: GpuJsBackend) => {
        const [xd, wd, dy] = [xv, wv, dyv].map((v) => b.upload(v)) as [ReturnType<typeof b.upload>, ReturnType<typeof b.upload>, ReturnType<typeof b.upload>];
        const outs = [b.conv2d(xd, wd, p), b.conv2dBackpropInput(dy, wd, p), b.conv2dBackpropFilter(xd, dy, p)];
        const values = outs.map((d) => b.read(d));
        [xd, wd, dy, ...outs].forEach((d) => b.dispose(d));
        expect(b.memory().numDataIds).toBe(0);
        return values;
      };
      const got = run(be);
      expect(ref.worst(got[0]!, ref.conv2d(xv, wv, p), 1e-4, 1e-4)).toBeNull();
      expect(ref.worst(got[1]!, ref.conv2dBackpropInput(dyv, wv, p), 1e-4, 1e-4)).toBeNull();
      expect(ref.worst(got[2]!, ref.conv2dBackpropFilter(xv, dyv, p), 1e-4, 1e-3)).toBeNull();
      run(one).forEach((v, i) => expect(ref.worst(got[i]!, v, 0, 0)).toBeNull());
    });
  }

  it('an error in a helper thread surfaces as an error of the call, after the other ranges finish', () => {
    const pool = new SyncWorkerPool(1);
    const memory = sharedMemory();
    const kernel = (id: number, module: object) => ({ id, module, memory, mathImports: [], cells: 64, sizeX: 64, simd: false });
    const good = kernel(1, tinyModule([]));
    const broken = kernel(2, tinyModule([0x00])); // unreachable: traps
    let own = 0;
    const slowRange = () => {
      own++;
      // give the helper time to take ranges
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 50);
    };
    // until the helper has started and taken a range of a good job
    for (let i = 0; i < 40; i++) {
      own = 0;
      pool.run(good, 8, slowRange);
      if (own < 8) break;
    }
    expect(own).toBeLessThan(8);
    // a kernel sent with a job whose ranges were all taken before the helper looked is still known to it
    const late = kernel(3, tinyModule([]));
    pool.run(late, 64, () => undefined);
    own = 0;
    pool.run(late, 8, slowRange);
    expect(own).toBeLessThan(8);
    own = 0;
    expect(() => pool.run(broken, 8, slowRange)).toThrow(/^worker pool: .*unreachable/);
    expect(own).toBeLessThan(8);
    pool.destroy();
    expect(() => pool.run(good, 8, slowRange)).toThrow(/destroyed/);
  });

  it('threads are for webasm only', () => {
    expect(() => createGpuJsBackend({ mode: 'cpu', threads: 2 })).toThrow(/threads > 1 needs mode 'webasm' or 'auto'.*got mode 'cpu'/);
    expect(() => createGpuJsBackend({ mode: 'webasm', threads: 0 })).toThrow(/threads must be 'auto' or an integer from 1 to 64, got 0/);
    expect(() => createGpuJsBackend({ mode: 'webasm', threads: 'all' as never })).toThrow(/got all/);
  });

  it("evicted kernels' shared memories are freed on every thread (the cache turning over does not grow memory)", () => {
    // every kernel below holds ~32 MB of shared memory (16 MB in, 16 MB out) and evicts the one
    // before it; 40 of them kept alive by a helper that never collected grew RSS by ~1.3 GB
    const churn = createGpuJsBackend({ mode: 'webasm', threads: 2, maxKernelBytes: 1 });
    const gc = runInNewContext('gc') as () => void; // exposed by the pool (--expose-gc)
    try {
      const run = (i: number) => {
        const size = 4 * 2 ** 20 + 4 * i;
        const x = churn.upload(new Float32Array(size).fill(-1));
        const y = churn.unary('relu', x, size);
        expect(churn.read(y)[size - 1]).toBe(0);
        churn.dispose(x);
        churn.dispose(y);
      };
      for (let i = 0; i < 3; i++) run(i);
      gc();
      const before = process.memoryUsage().rss;
      for (let i = 3; i < 43; i++) run(i);
      gc();
      const grown = process.memoryUsage().rss - before;
      expect(churn.kernelCacheStats().evictions).toBeGreaterThanOrEqual(40);
      expect(grown).toBeLessThan(500 * 2 ** 20);
    } finally {
      churn.destroy();
    }
  });

  it("threads: 'auto' is one per core (at most MAX_AUTO_THREADS) on webasm, 1 on other modes", () => {
    const want = Math.max(1, Math.min(MAX_AUTO_THREADS, availableParallelism()));
    expect(autoThreads()).toBe(want);
    const wasm = createGpuJsBackend({ mode: 'webasm', threads: 'auto' });
    const cpu = createGpuJsBackend({ mode: 'cpu', threads: 'auto' });
    try {
      expect(wasm.threads).toBe(want);
      expect(cpu.threads).toBe(1);
      if (want > 1) expect(wasm.describe()).toContain(`split across ${want} threads`);
    } finally {
      wasm.destroy();
      cpu.destroy();
    }
  });
});
