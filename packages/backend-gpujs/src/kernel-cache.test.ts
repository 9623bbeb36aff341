import { describe, expect, it } from 'vitest';
import { createGpuJsBackend } from './index';
import { KernelCache } from './kernel-cache';

describe('KernelCache', () => {
  it('counts hits and misses and evicts least recently used kernels past the count bound', () => {
    const released: string[] = [];
    const cache = new KernelCache<string>({ maxKernels: 2, maxBytes: 1000 }, (v) => released.push(v));
    const get = (k: string) => cache.getOrCompile(k, () => ({ value: k, bytes: 10, op: 'op' }));
    get('a');
    get('b');
    get('a');
    get('c');
    expect(released).toEqual(['b']);
    expect(cache.stats()).toMatchObject({ hits: 1, misses: 3, evictions: 1, size: 2, bytes: 20, compiledByOp: { op: 3 } });
  });

  it('evicts past the byte bound, but never the kernel just compiled', () => {
    const released: string[] = [];
    const cache = new KernelCache<string>({ maxKernels: 10, maxBytes: 100 }, (v) => released.push(v));
    cache.getOrCompile('a', () => ({ value: 'a', bytes: 60, op: 'op' }));
    cache.getOrCompile('b', () => ({ value: 'b', bytes: 60, op: 'op' }));
    expect(released).toEqual(['a']);
    cache.setBytes('b', 500);
    expect(cache.stats()).toMatchObject({ size: 1, bytes: 500 });
    cache.clear();
    expect(released).toEqual(['a', 'b']);
  });

  it('rejects nonsense bounds', () => {
    expect(() => new KernelCache({ maxKernels: 0, maxBytes: 1 }, () => undefined)).toThrow(/maxKernels must be >= 1/);
  });
});

describe('kernel cache in the backend', () => {
  it('compiles once per (op, shapes) and reuses the kernel', () => {
    const be = createGpuJsBackend({ mode: 'webasm' });
    const base = be.kernelCacheStats();
    const x = be.upload([1, 2, 3, 4, 5, 6, 7]);
    for (let i = 0; i < 5; i++) be.dispose(be.unary('exp', x, 7));
    const y = be.upload([1, 2, 3]);
    be.dispose(be.unary('exp', y, 3));
    be.dispose(be.unary('neg', y, 3));
    const s = be.kernelCacheStats();
    expect(s.misses - base.misses).toBe(3);
    expect(s.hits - base.hits).toBe(4);
    expect(s.compiledByOp['unary.exp']).toBe(2);
    be.destroy();
  });

  it('stays within a small bound and still computes correctly after evictions', () => {
    const be = createGpuJsBackend({ mode: 'webasm', maxKernels: 3 });
    const x = be.upload([1, -2, 3]);
    for (let round = 0; round < 3; round++) {
      for (const op of ['neg', 'abs', 'square', 'relu', 'exp'] as const) {
        const y = be.unary(op, x, 3);
        const want = { neg: [-1, 2, -3], abs: [1, 2, 3], square: [1, 4, 9], relu: [1, 0, 3], exp: [Math.E, Math.exp(-2), Math.exp(3)] }[op];
        expect(Array.from(be.read(y)).map((v) => +v.toPrecision(6))).toEqual(want.map((v) => +Math.fround(v).toPrecision(6)));
        be.dispose(y);
      }
    }
    const s = be.kernelCacheStats();
    expect(s.size).toBeLessThanOrEqual(3);
    expect(s.evictions).toBeGreaterThan(0);
    be.destroy();
  });
});
