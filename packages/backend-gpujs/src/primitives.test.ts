// Every primitive on 'webasm' and 'cpu' against plain-loop float64 expectations (test/oracle.ts),
// on odd shapes. Tolerance: float32 kernels vs float64 loops, rtol 1e-5 / atol 1e-5 for
// elementwise and movement (exact copies are compared exactly), rtol 1e-4 / atol 1e-4 for sums of
// products (matmul, conv) whose float32 accumulation error grows with the reduction length.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BinaryOp, DataId, Pool2dParams, UnaryOp } from '@skipinit/tensor';
import * as ref from '../test/oracle';
import { createGpuJsBackend } from './index';
import type { GpuJsBackend } from './gpujs-backend';

const { randomArray, size, unravel, ravel, broadcastRead, worst } = ref;

function outShapeOf(a: number[], b: number[]): number[] {
  const r = Math.max(a.length, b.length);
  return Array.from({ length: r }, (_, k) => {
    const x = a[k - (r - a.length)] ?? 1;
    const y = b[k - (r - b.length)] ?? 1;
    return Math.max(x, y);
  });
}

const UNARY: Record<UnaryOp, (v: number) => number> = {
  neg: (v) => -v,
  exp: Math.exp,
  log: Math.log,
  sqrt: Math.sqrt,
  rsqrt: (v) => 1 / Math.sqrt(v),
  abs: Math.abs,
  sign: Math.sign,
  square: (v) => v * v,
  reciprocal: (v) => 1 / v,
  relu: (v) => Math.max(v, 0),
  sigmoid: (v) => 1 / (1 + Math.exp(-v)),
  tanh: Math.tanh,
};

const BINARY: Record<BinaryOp, (u: number, w: number) => number> = {
  add: (u, w) => u + w,
  sub: (u, w) => u - w,
  mul: (u, w) => u * w,
  div: (u, w) => u / w,
  pow: (u, w) => Math.pow(u, w),
  maximum: Math.max,
  minimum: Math.min,
  eq: (u, w) => +(u === w),
  ne: (u, w) => +(u !== w),
  lt: (u, w) => +(u < w),
  le: (u, w) => +(u <= w),
  gt: (u, w) => +(u > w),
  ge: (u, w) => +(u >= w),
};

for (const mode of ['webasm', 'cpu'] as const) {
  describe(`gpujs backend, mode '${mode}'`, () => {
    let be: GpuJsBackend;
    beforeAll(() => {
      be = createGpuJsBackend({ mode });
    });
    afterAll(() => be.destroy());

    const up = (v: ArrayLike<number>) => be.upload(v);
    function expectClose(id: DataId, want: ArrayLike<number>, rtol = 1e-5, atol = 1e-5): void {
      const got = be.read(id);
      be.dispose(id);
      expect(worst(got, want, rtol, atol)).toBeNull();
    }

    it('runs in the mode it reports', () => {
      expect(be.mode).toBe(mode);
      expect(be.selection.forced).toBe(true);
    });

    it('upload, fill, read, dispose and memory accounting', () => {
      const before = be.memory();
      const a = up([1.5, -2, 3]);
      const f = be.fill(5, 0.25);
      expect(Array.from(be.read(a))).toEqual([1.5, -2, 3]);
      expect(Array.from(be.read(f))).toEqual([0.25, 0.25, 0.25, 0.25, 0.25]);
      expect(be.memory()).toEqual({ numDataIds: before.numDataIds + 2, numBytes: before.numBytes + 32 });
      const copy = be.read(a);
      copy[0] = 99;
      expect(be.read(a)[0]).toBe(1.5);
      be.dispose(a);
      be.dispose(a);
      be.dispose(f);
      expect(be.memory()).toEqual(before);
      expect(() => be.read(a)).toThrow(/read: x was disposed/);
    });

    it('readAsync gives the same values', async () => {
      const a = up([1, 2, 3]);
      expect(Array.from(await be.readAsync(a))).toEqual([1, 2, 3]);
      be.dispose(a);
    });

    it('unary ops on 7x13', () => {
      const n = 7 * 13;
      const signed = randomArray(n, 1, -3, 3);
      signed[5] = 0;
      const positive = randomArray(n, 2, 0.1, 4);
      for (const op of Object.keys(UNARY) as UnaryOp[]) {
        const input = op === 'log' || op === 'sqrt' || op === 'rsqrt' ? positive : signed;
        const x = up(input);
        expectClose(be.unary(op, x, n), Array.from(input, UNARY[op]), 2e-6, 1e-6);
        be.dispose(x);
      }
    });

    const broadcastCases: [number[], number[]][] = [
      [[7, 13], [7, 13]],
      [[7, 13], [13]],
      [[7, 1], [1, 13]],
      [[2, 3, 4], [3, 1]],
      [[], [5]],
      [[1, 1], [3, 1, 5]],
    ];
    for (const [as, bs] of broadcastCases) {
      it(`binary ops broadcast [${as}] with [${bs}]`, () => {
        const out = outShapeOf(as, bs);
        const av = randomArray(size(as), 3, 0.5, 2);
        const bv = randomArray(size(bs), 4, 0.5, 2);
        if (bv.length > 1) bv[1] = av[0]!;
        const a = up(av);
        const b = up(bv);
        for (const op of Object.keys(BINARY) as BinaryOp[]) {
          const want = Array.from({ length: size(out) }, (_, i) => {
            const c = unravel(i, out);
            return BINARY[op](broadcastRead(av, as, out, c), broadcastRead(bv, bs, out, c));
          });
          expectClose(be.binary(op, a, as, b, bs, out), want, 2e-6, 1e-6);
        }
        be.dispose(a);
        be.dispose(b);
      });
    }

    it('where and affine with broadcasting', () => {
      const cond = [1, 0, 1];
      const av = randomArray(2 * 3, 5);
      const c = up(cond);
      const a = up(av);
      const b = up([7]);
      const want = Array.from({ length: 6 }, (_, i) => (cond[i % 3] ? av[i]! : 7));
      expectClose(be.where(c, [3], a, [2, 3], b, [], [2, 3]), want);
      expectClose(be.affine(a, 6, -2, 0.5), Array.from(av, (v) => v * -2 + 0.5));
      [a, b, c].forEach((d) => be.dispose(d));
    });

    const reduceCases: [number[], number[]][] = [
      [[2, 3, 5], []],
      [[2, 3, 5], [0]],
      [[2, 3, 5], [1]],
      [[2, 3, 5], [2]],
      [[2, 3, 5], [0, 2]],
      [[2, 3, 5], [0, 1, 2]],
      [[7, 13], [1]],
      [[1, 9, 1], [1]],
    ];
    for (const [shape, axes] of reduceCases) {
      it(`reduce sum/max/min of [${shape}] over [${axes}]`, () => {
        const xv = randomArray(size(shape), 6);
        const x = up(xv);
        const outShape = shape.map((d, k) => (axes.includes(k) ? 1 : d));
        for (const op of ['sum', 'max', 'min'] as const) {
          const want = new Array<number>(size(outShape)).fill(op === 'sum' ? 0 : op === 'max' ? -Infinity : Infinity);
          xv.forEach((v, i) => {
            const c = unravel(i, shape).map((ci, k) => (axes.includes(k) ? 0 : ci));
            const j = ravel(c, outShape);
            want[j] = op === 'sum' ? want[j]! + v : op === 'max' ? Math.max(want[j]!, v) : Math.min(want[j]!, v);
          });
          expectClose(be.reduce(op, x, shape, axes), want);
        }
        be.dispose(x);
      });
    }

    it('argmax picks the first largest value', () => {
      const xv = [1, 5, 5, 2, 9, 0, 9, 3, 4, 4, 4, 4];
      const x = up(xv);
      expectClose(be.argmax(x, [3, 4], 1), [1, 0, 0]);
      expectClose(be.argmax(x, [3, 4], 0), [1, 0, 1, 2]);
      expectClose(be.argmax(x, [12], 0), [4]);
      be.dispose(x);
    });

    it('permute, broadcastTo, slice, pad and concat on odd shapes', () => {
      const shape = [2, 3, 5];
      const xv = randomArray(30, 7);
      const x = up(xv);
      for (const perm of [[2, 0, 1], [1, 0, 2], [0, 2, 1], [0, 1, 2]]) {
        const out = perm.map((p) => shape[p]!);
        const want = Array.from({ length: 30 }, (_, i) => {
          const c = unravel(i, out);
          const src = new Array<number>(3);
          perm.forEach((p, k) => (src[p] = c[k]!));
          return xv[ravel(src, shape)]!;
        });
        expectClose(be.permute(x, shape, perm), want, 0, 0);
      }
      const small = up([1, 2, 3]);
      expectClose(be.broadcastTo(small, [3, 1], [2, 3, 4]), Array.from({ length: 24 }, (_, i) => [1, 2, 3][unravel(i, [2, 3, 4])[1]!]!), 0, 0);
      const sl = Array.from({ length: 2 * 2 * 3 }, (_, i) => {
        const [a, b, c] = unravel(i, [1, 2, 3]) as [number, number, number];
        return xv[ravel([a + 1, b + 1, c + 2], shape)]!;
      });
      expectClose(be.slice(x, shape, [1, 1, 2], [1, 2, 3]), sl.slice(0, 6), 0, 0);
      const padded = [3, 4, 8];
      const pads = [[1, 0], [0, 1], [2, 1]] as const;
      const wantPad = Array.from({ length: size(padded) }, (_, i) => {
        const c = unravel(i, padded).map((v, k) => v - pads[k]![0]);
        return c.every((v, k) => v >= 0 && v < shape[k]!) ? xv[ravel(c, shape)]! : -1.5;
      });
      expectClose(be.pad(x, shape, pads, -1.5), wantPad, 0, 0);
      const yv = randomArray(2 * 1 * 5, 8);
      const zv = randomArray(2 * 4 * 5, 9);
      const y = up(yv);
      const z = up(zv);
      const wantCat = Array.from({ length: 2 * 8 * 5 }, (_, i) => {
        const [a, b, c] = unravel(i, [2, 8, 5]) as [number, number, number];
        if (b < 3) return xv[ravel([a, b, c], shape)]!;
        if (b < 4) return yv[ravel([a, 0, c], [2, 1, 5])]!;
        return zv[ravel([a, b - 4, c], [2, 4, 5])]!;
      });
      const before = be.memory().numDataIds;
      expectClose(be.concat([x, y, z], [shape, [2, 1, 5], [2, 4, 5]], 1), wantCat, 0, 0);
      expect(be.memory().numDataIds).toBe(before);
      [x, small, y, z].forEach((d) => be.dispose(d));
    });

    for (const kernels of ['blocked', 'scalar'] as const) {
      describe(`${kernels} matmul and conv kernels`, () => {
        let kb: GpuJsBackend;
        beforeAll(() => {
          kb = createGpuJsBackend({ mode, kernels });
        });
        afterAll(() => kb.destroy());
        const close = (id: DataId, want: ArrayLike<number>) => {
          const got = kb.read(id);
          kb.dispose(id);
          expect(worst(got, want, 1e-4, 1e-4)).toBeNull();
        };

        const mm: [number, number, number, number, number, number][] = [
          [1, 1, 1, 1, 1, 1],
          [1, 1, 1, 7, 13, 5],
          [1, 1, 1, 4, 8, 4],
          [3, 3, 1, 5, 3, 9],
          [2, 1, 2, 6, 4, 3],
        ];
        for (const [batch, batchA, batchB, m, k, n] of mm) {
          for (const transA of [false, true]) {
            for (const transB of [false, true]) {
              it(`matmul batch ${batch} (${batchA},${batchB}) ${m}x${k}x${n} transA=${transA} transB=${transB}`, () => {
                const p = { batch, batchA, batchB, m, k, n, transA, transB };
                const av = randomArray(batchA * m * k, 10 + m);
                const bv = randomArray(batchB * k * n, 20 + n);
                const a = kb.upload(av);
                const b = kb.upload(bv);
                close(kb.matmul(a, b, p), ref.matmul(av, bv, p));
                kb.dispose(a);
                kb.dispose(b);
              });
            }
          }
        }

        const convCases: [number[], number[], [number, number], [number, number, number, number]][] = [
          [[2, 3, 7, 9], [5, 3, 3, 3], [1, 1], [1, 1, 1, 1]],
          [[1, 2, 8, 7], [4, 2, 3, 3], [2, 2], [1, 0, 2, 1]],
          [[2, 4, 5, 5], [3, 4, 1, 1], [2, 1], [0, 0, 0, 0]],
          [[1, 2, 6, 5], [6, 2, 2, 3], [1, 2], [0, 0, 0, 0]],
          [[1, 1, 1, 1], [1, 1, 1, 1], [1, 1], [0, 0, 0, 0]],
        ];
        for (const [xs, ws, stride, pad] of convCases) {
          it(`conv2d x[${xs}] w[${ws}] stride ${stride} pad ${pad}: forward, input and filter gradients`, () => {
            const p = ref.convParams(xs, ws, stride, pad);
            const xv = randomArray(size(xs), 30);
            const wv = randomArray(size(ws), 31);
            const dyv = randomArray(size(p.outShape), 32);
            const x = kb.upload(xv);
            const w = kb.upload(wv);
            const dy = kb.upload(dyv);
            close(kb.conv2d(x, w, p), ref.conv2d(xv, wv, p));
            close(kb.conv2dBackpropInput(dy, w, p), ref.conv2dBackpropInput(dyv, wv, p));
            close(kb.conv2dBackpropFilter(x, dy, p), ref.conv2dBackpropFilter(xv, dyv, p));
            [x, w, dy].forEach((d) => kb.dispose(d));
            expect(kb.memory().numDataIds).toBe(0);
          });
        }
      });
    }

    const poolCases: Omit<Pool2dParams, 'outShape' | 'kind'>[] = [
      { xShape: [2, 3, 7, 6], kernelH: 2, kernelW: 2, strideH: 2, strideW: 2, padTop: 0, padBottom: 0, padLeft: 0, padRight: 0, countIncludePad: false },
      { xShape: [1, 2, 5, 7], kernelH: 3, kernelW: 3, strideH: 2, strideW: 1, padTop: 1, padBottom: 1, padLeft: 1, padRight: 0, countIncludePad: false },
      { xShape: [1, 2, 5, 7], kernelH: 3, kernelW: 2, strideH: 1, strideW: 2, padTop: 1, padBottom: 0, padLeft: 0, padRight: 1, countIncludePad: true },
    ];
    for (const base of poolCases) {
      for (const kind of ['max', 'avg'] as const) {
        it(`pool2d ${kind} x[${base.xShape}] k ${base.kernelH}x${base.kernelW} s ${base.strideH}x${base.strideW} forward and backward`, () => {
          const [n, c, h, w] = base.xShape as [number, number, number, number];
          const oh = Math.floor((h + base.padTop + base.padBottom - base.kernelH) / base.strideH) + 1;
          const ow = Math.floor((w + base.padLeft + base.padRight - base.kernelW) / base.strideW) + 1;
          const p: Pool2dParams = { ...base, kind, outShape: [n, c, oh, ow] };
          const xv = randomArray(size(base.xShape), 40);
          xv[3] = xv[4]!; // a tie inside a window
          const dyv = randomArray(size(p.outShape), 41);
          const want = new Array<number>(size(p.outShape)).fill(0);
          const dx = new Array<number>(size(base.xShape)).fill(0);
          for (let i = 0; i < want.length; i++) {
            const [b, q, y, x] = unravel(i, p.outShape) as [number, number, number, number];
            const cells: number[] = [];
            for (let a = 0; a < p.kernelH; a++)
              for (let e = 0; e < p.kernelW; e++) {
                const iy = y * p.strideH - p.padTop + a;
                const ix = x * p.strideW - p.padLeft + e;
                if (iy >= 0 && iy < h && ix >= 0 && ix < w) cells.push(((b * c + q) * h + iy) * w + ix);
              }
            if (kind === 'max') {
              let best = cells[0]!;
              for (const j of cells) if (xv[j]! > xv[best]!) best = j;
              want[i] = xv[best]!;
              dx[best]! += dyv[i]!;
            } else {
              const div = p.countIncludePad ? p.kernelH * p.kernelW : cells.length;
              want[i] = cells.reduce((s, j) => s + xv[j]!, 0) / div;
              for (const j of cells) dx[j]! += dyv[i]! / div;
            }
          }
          const x = up(xv);
          const dy = up(dyv);
          expectClose(be.pool2d(x, p), want);
          expectClose(be.pool2dBackward(dy, x, p), dx);
          be.dispose(x);
          be.dispose(dy);
        });
      }
    }

    it('logSoftmax of 7x13 rows, stable for large values', () => {
      const xv = randomArray(91, 50, -5, 5);
      xv[0] = 80;
      const x = up(xv);
      const want: number[] = [];
      for (let r = 0; r < 7; r++) {
        const row = Array.from(xv.subarray(r * 13, r * 13 + 13));
        const m = Math.max(...row);
        const lse = m + Math.log(row.reduce((s, v) => s + Math.exp(v - m), 0));
        want.push(...row.map((v) => v - lse));
      }
      expectClose(be.logSoftmax(x, 7, 13), want, 1e-5, 1e-5);
      be.dispose(x);
    });

    for (const nesterov of [false, true]) {
      it(`sgdUpdate (nesterov=${nesterov}) updates param and velocity in place`, () => {
        const n = 11;
        const pv = randomArray(n, 60);
        const gv = randomArray(n, 61);
        const vv = randomArray(n, 62);
        const hp = { lr: 0.1, momentum: 0.9, weightDecay: 5e-4, nesterov };
        const p = up(pv);
        const g = up(gv);
        const v = up(vv);
        const mem = be.memory();
        be.sgdUpdate(p, g, v, n, hp);
        expect(be.memory()).toEqual(mem);
        const wantV = Array.from(pv, (pi, i) => hp.momentum * vv[i]! + gv[i]! + hp.weightDecay * pi);
        const wantP = Array.from(pv, (pi, i) => pi - hp.lr * (nesterov ? gv[i]! + hp.weightDecay * pi + hp.momentum * wantV[i]! : wantV[i]!));
        expect(worst(be.read(v), wantV, 1e-5, 1e-6)).toBeNull();
        expect(worst(be.read(p), wantP, 1e-5, 1e-6)).toBeNull();
        const q = up(gv);
        be.assign(p, q);
        be.dispose(q);
        expect(Array.from(be.read(p))).toEqual(Array.from(gv));
        [p, g, v].forEach((d) => be.dispose(d));
      });
    }

    it('bad input names the primitive and the shapes', () => {
      const a = up([1, 2, 3, 4, 5, 6]);
      expect(() => be.binary('add', a, [2, 3], a, [3, 2], [2, 3])).toThrow(/binary\(add\): shape \[3,2\] does not broadcast to \[2,3\]/);
      expect(() => be.unary('exp', a, 5)).toThrow(/unary\(exp\): x holds 6 elements, expected 5/);
      expect(() => be.matmul(a, a, { batch: 1, batchA: 1, batchB: 1, m: 2, k: 2, n: 3, transA: false, transB: false })).toThrow(/matmul: \[1,2,2\] x \[1,2,3\]: a holds 6 elements, expected 4/);
      expect(() => be.reduce('sum', a, [2, 3], [1, 0])).toThrow(/reduce\(sum\): axes \[1,0\] must be sorted/);
      expect(() => be.permute(a, [2, 3], [0, 0])).toThrow(/permute: \[0,0\] is not a permutation/);
      const other = createGpuJsBackend({ mode });
      const foreign = other.upload([1]);
      expect(() => be.unary('neg', foreign, 1)).toThrow(/not storage of this gpujs backend/);
      other.destroy();
      be.dispose(a);
    });
  });
}
