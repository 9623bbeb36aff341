// Cache keys are derived, never written: stableKey is injective and order-free, and for every kernel
// the engine declares (harvested from the backend running each primitive), the key changes when any
// parameter changes, distinct kernels never share a key, and the source is a function of the key.

import { afterAll, describe, expect, it } from 'vitest';
import type { DataId } from '@skipinit/tensor';
import * as ref from '../test/oracle';
import { GpuJsExecutor } from './executor';
import { createGpuJsBackend } from './index';
import { cacheKey, stableKey, type Kernel } from './kernel';
import { FILL } from './kernels/sgd';
import * as batchnorm from './kernels/batchnorm';
import * as conv from './kernels/conv';
import * as elementwise from './kernels/elementwise';
import * as matmul from './kernels/matmul';
import * as movement from './kernels/movement';
import * as pool from './kernels/pool';
import * as reduce from './kernels/reduce';
import * as sgd from './kernels/sgd';
import * as winograd from './kernels/winograd';

const isKernel = (v: unknown): v is Kernel<unknown> => typeof v === 'object' && v !== null && 'source' in v && 'name' in v;
const DECLARED = [batchnorm, conv, elementwise, matmul, movement, pool, reduce, sgd, winograd].flatMap((m) => Object.values(m).filter(isKernel));

describe('stableKey', () => {
  it('tells apart values that differ anywhere, and not objects that differ only in key order', () => {
    const distinct = [1, '1', [1, 23], [12, 3], [[1], 23], { a: 1 }, { b: 1 }, { a: [1] }, { a: '1' }, true, 'true', null, { a: null }, { a: undefined }, {}, [], '', 0, -1, 0.5, { 'a:1': 1 }, { a: { b: 1 } }];
    expect(new Set(distinct.map(stableKey)).size).toBe(distinct.length);
    expect(stableKey({ a: 1, b: [2, 3], c: { d: 'x', e: false } })).toBe(stableKey({ c: { e: false, d: 'x' }, b: [2, 3], a: 1 }));
    expect(() => stableKey({ a: new Float32Array(2) })).toThrow(/typed array is not a parameter/);
    expect(() => stableKey({ f: () => 1 })).toThrow(/function is not a parameter/);
  });
});

/** Every leaf of `p` changed in turn (numbers + 1, booleans flipped, strings extended). */
function perturbations(p: unknown): unknown[] {
  if (typeof p === 'number') return [p + 1];
  if (typeof p === 'boolean') return [!p];
  if (typeof p === 'string') return [`${p}x`];
  if (Array.isArray(p)) return p.flatMap((e, i) => perturbations(e).map((q) => p.map((x, j) => (j === i ? q : x))));
  if (typeof p === 'object' && p !== null) return Object.entries(p).flatMap(([k, v]) => perturbations(v).map((q) => ({ ...p, [k]: q })));
  return [];
}

describe('every declared kernel', () => {
  // what the backend compiles when it runs each primitive (blocked kernels, and scalar ones as GPU modes run them)
  const seen: [Kernel<unknown>, unknown][] = [[FILL as Kernel<unknown>, { size: 5 }]];
  const original = GpuJsExecutor.prototype.compile;
  GpuJsExecutor.prototype.compile = function (this: GpuJsExecutor<never>, k: Kernel<unknown>, p: unknown) {
    seen.push([k, p]);
    return original.call(this, k, p);
  } as typeof original;
  afterAll(() => {
    GpuJsExecutor.prototype.compile = original;
  });
  for (const kernels of ['blocked', 'scalar'] as const) {
    const be = createGpuJsBackend({ mode: 'webasm', kernels, convAlgorithm: 'auto' });
    const up = (n: number) => be.upload(ref.randomArray(n, n));
    const [x, w, v8] = [up(2 * 8 * 6 * 6), up(8 * 8 * 9), up(8)];
    const conv2 = ref.convParams([2, 8, 6, 6], [8, 8, 3, 3], [2, 2], [1, 1, 1, 1]);
    const conv1 = ref.convParams([2, 8, 6, 6], [8, 8, 3, 3], [1, 1], [1, 1, 1, 1]);
    const ids: DataId[] = [
      be.unary('exp', v8, 8), be.reluBackward(v8, v8, 8), be.binary('add', x, [2, 8, 36], v8, [8, 1], [2, 8, 36]), be.where(v8, [8], v8, [8], v8, [8], [8]),
      be.affine(v8, 8, 2, 1), be.reduce('sum', x, [2, 8, 36], [0, 2]), be.argmax(x, [2, 8, 36], 1), be.permute(x, [2, 8, 36], [2, 0, 1]), be.broadcastTo(v8, [8], [3, 8]),
      be.slice(x, [2, 8, 36], [0, 1, 2], [1, 2, 3]), be.pad(v8, [8], [[1, 2]], 0), be.concat([v8], [[8]], 0), be.concat([v8, v8], [[8], [8]], 0), be.logSoftmax(v8, 2, 4),
      be.matmul(v8, v8, { batch: 1, batchA: 1, batchB: 1, m: 2, k: 4, n: 2, transA: false, transB: false }),
      be.matmul(up(63), up(28), { batch: 1, batchA: 1, batchB: 1, m: 9, k: 7, n: 4, transA: false, transB: false }), // webasm: the wide kernel (m >= 8)
      be.pool2d(x, { kind: 'max', xShape: [2, 8, 6, 6], kernelH: 2, kernelW: 2, strideH: 2, strideW: 2, padTop: 0, padBottom: 0, padLeft: 0, padRight: 0, outShape: [2, 8, 3, 3], countIncludePad: false }),
    ];
    const pool2 = { kind: 'avg' as const, xShape: [2, 8, 6, 6], kernelH: 2, kernelW: 2, strideH: 2, strideW: 2, padTop: 0, padBottom: 0, padLeft: 0, padRight: 0, outShape: [2, 8, 3, 3], countIncludePad: true };
    ids.push(be.pool2dBackward(be.fill(2 * 8 * 9, 1), x, pool2));
    // 28x28 images: the Winograd filter gradient sums per-image partial products (winograd.sumImages)
    const big = ref.convParams([2, 8, 28, 28], [8, 8, 3, 3], [1, 1], [1, 1, 1, 1]);
    const xb = up(2 * 8 * 28 * 28);
    ids.push(be.conv2dBackpropFilter(xb, xb, big), xb);
    for (const p of [conv1, conv2]) {
      const { y, workspace } = be.conv2dTraining(x, w, p, v8);
      ids.push(y, be.conv2dBackpropInput(y, w, p), be.conv2dBackpropFilter(x, y, p, workspace), be.conv2dBackpropFilter(x, y, p));
    }
    const bn = { outer: 2, channels: 8, inner: 36, eps: 1e-5 };
    const { mean, variance } = be.batchNormStats(x, bn);
    ids.push(mean, variance, be.batchNormForward(x, mean, variance, v8, v8, bn), ...Object.values(be.batchNormBackward(x, x, mean, variance, v8, bn)));
    be.sgdUpdate(v8, v8, be.fill(8, 0), 8, { lr: 0.1, momentum: 0.9, weightDecay: 0, nesterov: true });
    ids.forEach((d) => be.dispose(d));
    be.destroy();
  }

  it('was compiled by the primitives above (every declaration is covered)', () => {
    const names = new Set(seen.map(([k]) => k.name));
    expect(DECLARED.map((k) => k.name).filter((n) => !names.has(n))).toEqual([]);
  });

  it('gets a different key when any parameter changes, a key no other kernel shares, and its source from the key alone', () => {
    const keyOf = new Map<string, string>();
    for (const [k, p] of seen) {
      const key = cacheKey(k, p);
      const clone = structuredClone(p);
      expect(cacheKey(k, clone)).toBe(key);
      const source = k.source(p).source;
      expect(k.source(clone).source).toBe(source);
      for (const q of perturbations(p)) expect(cacheKey(k, q)).not.toBe(key);
      if (keyOf.has(key)) expect(keyOf.get(key)).toBe(source);
      keyOf.set(key, source);
    }
    const byKernel = new Map<string, Kernel<unknown>>();
    for (const [k] of seen) {
      expect(byKernel.get(k.name) ?? k).toBe(k); // one declaration per name
      byKernel.set(k.name, k);
    }
    expect(seen.length).toBeGreaterThan(40);
  });
});
