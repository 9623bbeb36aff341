#!/usr/bin/env node
// Standalone matmul on gpu.js's webasm backend, kernels written the way @skipinit/backend-gpujs
// writes them: GFLOP/s per variant and size, medians, and the values compared between variants.
//
//   node patches/bench/matmul.mjs [--gpu DIR] [--sizes 256,512,1024] [--reps 5] [--variants ours,rows8]
//
// --gpu is a gpu.js package directory (default: the installed, patched node_modules/gpu.js); point
// it at an unpatched copy to measure before/after on the same machine.
// 'ours' is a copy of matmulBlockedKernel (packages/backend-gpujs/src/kernels/matmul.ts at 91ebd78,
// plain a[m][k] x b[k][n]): four rows per thread on Array(4), k unrolled by two, indices inline.
// 'rows8' is the same arithmetic (same order per output value, so bit-identical to 'ours') with
// eight rows per thread on an Array(8) return and i32 locals, which needs the patched generator.
import { createRequire } from 'node:module';
import { resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';

const argv = process.argv.slice(2);
const opt = (name, dflt) => {
  const i = argv.indexOf(`--${name}`);
  return i >= 0 ? argv[i + 1] : dflt;
};
const root = resolve(fileURLToPath(import.meta.url), '../../..');
const gpuDir = resolve(opt('gpu', resolve(root, 'node_modules/gpu.js')));
const sizes = opt('sizes', '256,512,1024').split(',').map(Number);
const reps = Number(opt('reps', '5'));
const variants = opt('variants', 'ours,rows8').split(',');
const { GPU } = createRequire(resolve(gpuDir, 'package.json'))(gpuDir);

const FLUSH = (v) => `(Math.abs(${v}) < 1.1754944e-38 ? 0.0 : ${v})`;
const fn = (body) => `function(a, b) {\n  ${body.join('\n  ')}\n}`;

/**
 * matmulBlockedKernel (rows = 4) or its eight-row form, for a [m][k] x b [k][n], m % rows == 0.
 * packed: a is given as [m/rows][k][rows] (see pack), so a thread's a values for one k are adjacent.
 */
function blocked(m, k, n, rows, packed = false) {
  const aAt = (i, kk) =>
    packed ? `a[(this.thread.y * ${k} + ${kk}) * ${rows} + ${i}]` : rows === 4 ? `a[(this.thread.y * 4 + ${i}) * ${k} + ${kk}]` : `a[r${i} + ${kk}]`;
  const bAt = (kk) => `b[(${kk}) * ${n} + this.thread.x]`;
  const k2 = '(h | 0) * 2';
  const lines = [];
  for (let i = 0; i < rows; i++) lines.push(`let s${i} = 0.0;`);
  if (rows !== 4 && !packed) for (let i = 0; i < rows; i++) lines.push(`const r${i} = (this.thread.y * ${rows} + ${i}) * ${k};`);
  lines.push(`for (let h = 0; h < ${k / 2}; h++) {`, `  const b0 = ${bAt(k2)};`, `  const b1 = ${bAt(`${k2} + 1`)};`);
  for (let i = 0; i < rows; i++) lines.push(`  s${i} = s${i} + ${aAt(i, k2)} * b0 + ${aAt(i, `${k2} + 1`)} * b1;`);
  lines.push('}', `return [${Array.from({ length: rows }, (_, i) => FLUSH(`s${i}`)).join(', ')}];`);
  return { source: fn(lines), output: [n, m / rows], rows, packed };
}

const KERNELS = {
  ours: (m, k, n) => blocked(m, k, n, 4),
  rows8: (m, k, n) => blocked(m, k, n, 8),
  // a packed [m/rows][k][rows] on the host (not timed: O(m k) against the O(m n k) product)
  ours_pa: (m, k, n) => blocked(m, k, n, 4, true),
  rows8_pa: (m, k, n) => blocked(m, k, n, 8, true),
};

/** a [m][k] as [m/rows][k][rows]. */
function pack(a, m, k, rows) {
  const out = new Float32Array(m * k);
  for (let q = 0; q < m / rows; q++) for (let t = 0; t < k; t++) for (let i = 0; i < rows; i++) out[(q * k + t) * rows + i] = a[(q * rows + i) * k + t];
  return out;
}

/** Output [m/rows][n][rows] as row-major [m][n]. */
function deinterleave(data, m, n, rows) {
  const out = new Float32Array(m * n);
  for (let q = 0; q < m / rows; q++) for (let c = 0; c < n; c++) for (let i = 0; i < rows; i++) out[(q * rows + i) * n + c] = data[(q * n + c) * rows + i];
  return out;
}

function rng(seed) {
  let s = seed >>> 0;
  return () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32) * 2 - 1;
}

const median = (xs) => [...xs].sort((p, q) => p - q)[Math.floor(xs.length / 2)];
const gpu = new GPU({ mode: 'webasm' });
console.log(`gpu.js from ${gpuDir}; ${reps} timed runs per cell (after one warm-up), medians`);
for (const size of sizes) {
  const [m, k, n] = [size, size, size];
  const r = rng(size);
  const a = Float32Array.from({ length: m * k }, r);
  const b = Float32Array.from({ length: k * n }, r);
  const results = {};
  for (const name of variants) {
    const spec = KERNELS[name](m, k, n);
    const aIn = spec.packed ? pack(a, m, k, spec.rows) : a;
    const kernel = gpu.createKernel(spec.source, { output: spec.output, tactic: 'speed' });
    kernel(aIn, b); // builds; later runs call the module directly, as the engine's wasm-call.ts does
    const inner = kernel.kernel;
    const e = inner._active;
    const write = () => {
      for (const rec of Object.values(e.layout.arrays)) e.f32.set(rec.index === 0 ? aIn : b, rec.offset / 4);
    };
    const run = () => inner.constructor.dispatchSpans(e.run, e.runSimd, e.cells, e.sizeX, 0);
    write();
    run();
    const wall = [];
    const cpu = [];
    for (let i = 0; i < reps; i++) {
      write();
      const c0 = process.cpuUsage();
      const t0 = performance.now();
      run();
      wall.push(performance.now() - t0);
      const c = process.cpuUsage(c0);
      cpu.push((c.user + c.system) / 1000);
    }
    const base = e.layout.outputOffset / 4;
    results[name] = deinterleave(e.f32.slice(base, base + m * n), m, n, spec.rows);
    const flops = 2 * m * n * k;
    const gw = flops / median(wall) / 1e6;
    const gc = flops / median(cpu) / 1e6;
    console.log(`${String(size).padStart(5)} ${name.padEnd(6)} wall ${median(wall).toFixed(1).padStart(8)} ms ${gw.toFixed(2).padStart(6)} GFLOP/s   cpu ${median(cpu).toFixed(1).padStart(8)} ms ${gc.toFixed(2).padStart(6)} GFLOP/s   [fastest ${(flops / Math.min(...wall) / 1e6).toFixed(2)}]`);
    kernel.destroy();
  }
  // float64 reference on sampled cells; variants against each other bit for bit
  const ref = (i, j) => {
    let s = 0;
    for (let t = 0; t < k; t++) s += a[i * k + t] * b[t * n + j];
    return s;
  };
  let worst = 0;
  for (let t = 0; t < 64; t++) {
    const i = (t * 37) % m;
    const j = (t * 101) % n;
    for (const name of variants) worst = Math.max(worst, Math.abs(results[name][i * n + j] - ref(i, j)) / (Math.abs(ref(i, j)) + 1));
  }
  const names = Object.keys(results);
  const same = names.every((name) => new Uint32Array(results[name].buffer).every((v, i) => v === new Uint32Array(results[names[0]].buffer)[i]));
  let hash = 0x811c9dc5;
  for (const v of new Uint32Array(results[names[0]].buffer)) hash = Math.imul(hash ^ v, 16777619) >>> 0;
  console.log(`${String(size).padStart(5)} max rel. error vs float64 (64 cells) ${worst.toExponential(2)}; variants bit-identical: ${same}; output hash ${hash.toString(16)}`);
}
gpu.destroy();
