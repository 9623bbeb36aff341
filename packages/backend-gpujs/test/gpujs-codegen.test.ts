// The code generator features that patches/gpu.js+2.24.1.patch adds to gpu.js's webasm backend,
// checked on the installed (patched) gpu.js: what the generated WebAssembly contains (read back as
// text with wabt) and that the values are exactly those of the same float32 arithmetic in JS.
// See patches/README.md. If the patch is not applied, these fail by name.

import { createRequire } from 'node:module';
import wabtInit from 'wabt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

interface Entry {
  bytes: Uint8Array;
  cells: number;
  f32: Float32Array;
  layout: { outputOffset: number };
  instance: { exports: Record<string, (start: number, end: number, seed: number) => void> };
}
interface Kernel {
  (...args: unknown[]): unknown;
  kernel: { _active: Entry; componentCount: number };
}
interface Gpu {
  createKernel(source: string, settings: { output: number[] }): Kernel;
  destroy(): void;
}

const require = createRequire(import.meta.url);
const { GPU } = require('gpu.js') as { GPU: new (settings: { mode: string }) => Gpu };

let gpu: Gpu;
let wabt: Awaited<ReturnType<typeof wabtInit>>;
beforeAll(async () => {
  gpu = new GPU({ mode: 'webasm' });
  wabt = await wabtInit();
});
afterAll(() => gpu.destroy());

/** The text of one function of the kernel's module: 'kernel' (scalar walk) or 'kernel_simd'. */
function wat(kernel: Kernel, fn: 'kernel' | 'kernel_simd'): string {
  const mod = wabt.readWasm(kernel.kernel._active.bytes, { readDebugNames: false, simd: true });
  // gpu.js defines 'kernel' before 'kernel_simd' and then 'run' and 'run_simd'; the imports come first
  const text = mod.toText({});
  mod.destroy();
  const bodies = text.split(/\n {2}\(func /).slice(1);
  const exported = text.includes('(export "run_simd"');
  expect(exported).toBe(true);
  // function order: [helpers...] kernel, run, kernel_simd, run_simd
  const body = fn === 'kernel' ? bodies[bodies.length - 4] : bodies[bodies.length - 2];
  return body!;
}

/** Runs the scalar and the SIMD path over every cell and returns both outputs as bit patterns. */
function bothPaths(kernel: Kernel): { scalar: Uint32Array; simd: Uint32Array } {
  const e = kernel.kernel._active;
  const base = e.layout.outputOffset / 4;
  const span = e.cells * kernel.kernel.componentCount;
  const capture = (name: string) => {
    e.f32.fill(-999, base, base + span);
    e.instance.exports[name]!(0, e.cells, 0);
    return new Uint32Array(e.f32.slice(base, base + span).buffer);
  };
  return { scalar: capture('run'), simd: capture('run_simd') };
}

const values = (n: number, seed: number) => Float32Array.from({ length: n }, (_, i) => Math.sin(i * 12.9898 + seed) * 3);
const flat = (out: unknown): number[] => (out instanceof Float32Array ? Array.from(out) : (out as unknown[]).flatMap(flat));

describe('patched gpu.js webasm code generator', () => {
  it('keeps integer locals (loop counters, index locals) in i32 and gives the float32 values', () => {
    const src = `function(a) {
      let s = 0.0;
      for (let k = 0; k < 16; k++) {
        const i = k * 16 + this.thread.x;
        s = s + a[i] * 0.5;
      }
      return s;
    }`;
    const kernel = gpu.createKernel(src, { output: [16] });
    const a = values(256, 1);
    const out = flat(kernel(a));
    for (const fn of ['kernel', 'kernel_simd'] as const) {
      const text = wat(kernel, fn);
      // before the patch every declared local was f32 and each index paid a float->int conversion
      expect(text, fn).not.toMatch(/trunc_sat_f32/);
      expect(text, fn).not.toMatch(/f32(x4)?\.convert_i32/);
    }
    for (let x = 0; x < 16; x++) {
      let s = 0;
      for (let k = 0; k < 16; k++) s = Math.fround(s + Math.fround(a[k * 16 + x]! * 0.5));
      expect(out[x]).toBe(s);
    }
  });

  it('reads each thread id once per call, into a local', () => {
    const kernel = gpu.createKernel(`function(a) {
      let s = 0.0;
      for (let k = 0; k < 8; k++) {
        s = s + a[this.thread.y * 8 + k] * this.thread.x;
      }
      return s;
    }`, { output: [4, 8] });
    kernel(values(64, 7));
    for (const fn of ['kernel', 'kernel_simd'] as const) {
      const text = wat(kernel, fn);
      // globals 0 and 1 are thread.x and thread.y
      expect(text.match(/global\.get 0\b/g), fn).toHaveLength(1);
      expect(text.match(/global\.get 1\b/g), fn).toHaveLength(1);
    }
  });

  it('keeps a local that is ever assigned a fraction in f32 (JS semantics)', () => {
    const kernel = gpu.createKernel(`function() {
      let v = this.thread.x;
      v = v / 4;
      let w = 3;
      w += 0.25;
      return v + w;
    }`, { output: [8] });
    expect(flat(kernel())).toEqual([0, 1, 2, 3, 4, 5, 6, 7].map((x) => x / 4 + 3.25));
    // switched on: an i32 discriminant would make `case 2.5` match 2
    const switched = gpu.createKernel(`function() {
      let v = this.thread.x;
      switch (v) {
        case 2.5:
          return 1;
        case 2:
          return 2;
        default:
          return 0;
      }
    }`, { output: [4] });
    expect(flat(switched())).toEqual([0, 0, 2, 0]);
  });

  it('reads base + this.thread.x with one v128.load, bit-identical to the scalar path', () => {
    const kernel = gpu.createKernel(`function(b) {
      let s = 0.0;
      for (let k = 0; k < 32; k++) {
        s = s + b[k * 64 + this.thread.x] * b[(k | 0) * 64 + 7];
      }
      return s;
    }`, { output: [64] });
    const b = values(32 * 64, 2);
    const out = flat(kernel(b));
    const text = wat(kernel, 'kernel_simd');
    expect(text).toMatch(/v128\.load( offset=\d+)? align=4/);
    // the uniform operand b[k * 64 + 7]: one load-and-splat instead of f32.load + f32x4.splat
    expect(text).toMatch(/v128\.load32_splat/);
    const { scalar, simd } = bothPaths(kernel);
    expect(simd).toEqual(scalar);
    for (let x = 0; x < 64; x++) {
      let s = 0;
      for (let k = 0; k < 32; k++) s = Math.fround(s + Math.fround(b[k * 64 + x]! * b[k * 64 + 7]!));
      expect(out[x]).toBe(s);
    }
  });

  it('falls back to the clamped gather where a masked lane would read past the array', () => {
    // lanes 6 and 7 are masked off by the branch, but the vector read for the quad 4..7 starts at
    // a[6]: its last lanes lie past the array, so the read takes the gather path there
    const kernel = gpu.createKernel(`function(a) {
      if (this.thread.x < 6) {
        return a[this.thread.x + 2];
      }
      return -1;
    }`, { output: [8] });
    const a = values(8, 3);
    expect(flat(kernel(a))).toEqual([...Array.from(a.subarray(2, 8)), -1, -1]);
  });

  it('returns up to 16 values per thread (Array(8) here), stored stride 8', () => {
    const kernel = gpu.createKernel(`function(a) {
      const r = this.thread.y * 8;
      return [a[r] + this.thread.x, a[r + 1] + this.thread.x, a[r + 2] + this.thread.x, a[r + 3] + this.thread.x,
        a[r + 4] + this.thread.x, a[r + 5] + this.thread.x, a[r + 6] + this.thread.x, a[r + 7] + this.thread.x];
    }`, { output: [4, 2] });
    const a = values(16, 4);
    const out = kernel(a) as Float32Array[][];
    expect(kernel.kernel.componentCount).toBe(8);
    for (let y = 0; y < 2; y++) {
      for (let x = 0; x < 4; x++) {
        expect(Array.from(out[y]![x]!)).toEqual(Array.from(a.subarray(y * 8, y * 8 + 8), (v) => Math.fround(v + x)));
      }
    }
    const { scalar, simd } = bothPaths(kernel);
    expect(simd).toEqual(scalar);
  });

  it('runs a blocked matmul written like the engine kernels with the same values as before', () => {
    // four rows per thread, k unrolled by two (as packages/backend-gpujs/src/kernels/matmul.ts);
    // same arithmetic order as the float32 reference below, so the values must match bit for bit
    const [m, k, n] = [8, 16, 12];
    const aAt = (i: number, kk: string) => `a[(this.thread.y * 4 + ${i}) * ${k} + ${kk}]`;
    const bAt = (kk: string) => `b[(${kk}) * ${n} + this.thread.x]`;
    const lines = ['let s0 = 0.0;', 'let s1 = 0.0;', 'let s2 = 0.0;', 'let s3 = 0.0;', `for (let h = 0; h < ${k / 2}; h++) {`,
      `  const b0 = ${bAt('(h | 0) * 2')};`, `  const b1 = ${bAt('(h | 0) * 2 + 1')};`];
    for (let i = 0; i < 4; i++) lines.push(`  s${i} = s${i} + ${aAt(i, '(h | 0) * 2')} * b0 + ${aAt(i, '(h | 0) * 2 + 1')} * b1;`);
    lines.push('}', 'return [s0, s1, s2, s3];');
    const kernel = gpu.createKernel(`function(a, b) {\n${lines.join('\n')}\n}`, { output: [n, m / 4] });
    const a = values(m * k, 5);
    const b = values(k * n, 6);
    const out = kernel(a, b) as Float32Array[][];
    expect(wat(kernel, 'kernel_simd')).toMatch(/v128\.load( offset=\d+)? align=4/);
    for (let q = 0; q < m / 4; q++) {
      for (let c = 0; c < n; c++) {
        for (let i = 0; i < 4; i++) {
          let s = 0;
          for (let h = 0; h < k / 2; h++) {
            const p0 = Math.fround(a[(q * 4 + i) * k + 2 * h]! * b[2 * h * n + c]!);
            const p1 = Math.fround(a[(q * 4 + i) * k + 2 * h + 1]! * b[(2 * h + 1) * n + c]!);
            s = Math.fround(Math.fround(s + p0) + p1);
          }
          expect(out[q]![c]![i]).toBe(s);
        }
      }
    }
  });
});
