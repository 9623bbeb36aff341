import type { MatmulParams } from '@skipinit/tensor';
import { afterAll, describe, expect, it } from 'vitest';
import { HostExecutor } from './host-executor';
import { nodePlatform } from './node';
import { MATMUL_OP } from './ops';
import { runPlan, type PlanOptions } from './plan';
import { FLOAT_EXACT, MAX_HOST_ELEMENTS } from './kernel-source';

// The wide matmul (webasm: A packed, eight rows per thread, Array(8)) sums every output in the blocked
// kernel's order, so the two plans give the same bits; cpu mode, with Array(4) at most, keeps the blocked one.
const options = (wide: boolean): PlanOptions => ({ host: true, blocked: true, wide, algorithm: 'auto', chunkElements: FLOAT_EXACT, maxElements: MAX_HOST_ELEMENTS, indexLimit: FLOAT_EXACT });
const ex = new HostExecutor('webasm', new (nodePlatform.gpuJs().GPU)({ mode: 'webasm' }), { maxKernels: 64, maxBytes: 2 ** 26 }, { pool: null });
afterAll(() => ex.destroy());

const values = (n: number, seed: number) => Float32Array.from({ length: n }, (_, i) => Math.sin(i * 0.37 + seed) * (1 + (i % 7)));

describe('matmul on webasm: the wide plan', () => {
  it('is chosen for m >= 8 when the executor returns Array(16), and not otherwise', () => {
    const p: MatmulParams = { batch: 1, batchA: 1, batchB: 1, m: 8, k: 3, n: 4, transA: false, transB: false };
    const names = (o: PlanOptions, q: MatmulParams) => MATMUL_OP.plan(q, o).steps.map((s) => ('kernel' in s ? s.kernel.name : '?'));
    expect(names(options(true), p)).toEqual(['matmul.packA', 'matmul.wide']);
    expect(names(options(true), { ...p, m: 7 })).toEqual(['matmul.blocked']);
    expect(names(options(false), p)).toEqual(['matmul.blocked']);
    expect(ex.maxComponents).toBe(16);
  });

  const cases: [string, MatmulParams][] = [
    ['17x33 @ 33x12', { batch: 1, batchA: 1, batchB: 1, m: 17, k: 33, n: 12, transA: false, transB: false }],
    ['(33x17)^T @ 33x10', { batch: 1, batchA: 1, batchB: 1, m: 17, k: 33, n: 10, transA: true, transB: false }],
    ['16x20 @ (9x20)^T', { batch: 1, batchA: 1, batchB: 1, m: 16, k: 20, n: 9, transA: false, transB: true }],
    ['batched 3 x 9x6 @ 6x5', { batch: 3, batchA: 3, batchB: 3, m: 9, k: 6, n: 5, transA: false, transB: false }],
    ['broadcast a: 9x7 @ 2 x 7x8', { batch: 2, batchA: 1, batchB: 2, m: 9, k: 7, n: 8, transA: true, transB: false }],
    ['broadcast b: 2 x 12x5 @ 5x4', { batch: 2, batchA: 2, batchB: 1, m: 12, k: 5, n: 4, transA: false, transB: false }],
  ];
  for (const [name, p] of cases) {
    it(`${name}: the same bits as the blocked plan`, () => {
      const a = values(p.batchA * p.m * p.k, 1);
      const b = values(p.batchB * p.k * p.n, 2);
      const [wide, blocked] = [true, false].map((w) => runPlan(ex, MATMUL_OP.plan(p, options(w)), ['a', 'b'], [a, b])[0] as Float32Array);
      expect(wide!.length).toBe(p.batch * p.m * p.n);
      expect(new Uint32Array(wide!.buffer, wide!.byteOffset, wide!.length)).toEqual(new Uint32Array(blocked!.buffer, blocked!.byteOffset, blocked!.length));
      // and the product itself (float64 reference, loose: float32 sums)
      const [i, j, g] = [p.m - 1, p.n - 1, p.batch - 1];
      let s = 0;
      for (let t = 0; t < p.k; t++) {
        const av = a[(p.batchA > 1 ? g : 0) * p.m * p.k + (p.transA ? t * p.m + i : i * p.k + t)]!;
        const bv = b[(p.batchB > 1 ? g : 0) * p.k * p.n + (p.transB ? j * p.k + t : t * p.n + j)]!;
        s += av * bv;
      }
      expect(Math.abs(wide![(g * p.m + i) * p.n + j]! - s)).toBeLessThan(1e-4 * (1 + Math.abs(s)));
    });
  }
});
