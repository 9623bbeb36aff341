// Speed measurements of the gpu.js engine on issue 7's shapes: `node packages/backend-gpujs/perf/run.mjs [names] [--reps N] [--threads N] [--profile]`.
// Names: r2, r2fb (conv fwd + dx + dw at the backend, as training runs them), r3bn, r3skip, r4-100, r4-1000, mm1024, mnist-bn, mnist-skip (issue 5's net). Prints median and fastest ms.
// --variants "a=1,b=2;..." builds one backend per option set (alternated per rep); bn=fused|composite picks the models' batch norm.

import { Engine } from '@skipinit/tensor';
import type { Backend, Conv2dParams, DataId } from '@skipinit/tensor';
import { createGpuJsBackend } from '../src/index';
import { preactResnet, residualMlp } from './models';

const args = process.argv.slice(2);
const opt = (name: string, dflt: number) => {
  const i = args.indexOf(name);
  return i >= 0 ? Number(args[i + 1]) : dflt;
};
const reps = opt('--reps', 5);
const threadsArg = (() => {
  const i = args.indexOf('--threads');
  return i >= 0 ? args[i + 1]!.split(',').map(Number) : [1];
})();
const profile = args.includes('--profile');
const names = args.filter((a, i) => !a.startsWith('--') && !(i > 0 && args[i - 1]!.startsWith('--') && args[i - 1] !== '--profile' && args[i - 1] !== '--kernels'));

const profileTable = new Map<string, { calls: number; ms: number }>();
const kernelProfile = args.includes('--kernels');
function instrument(be: Backend): Backend {
  if (kernelProfile) {
    // time each kernel run (and its host post-processing) by the kernel's op label
    type Ex = { run: (c: { spec: { op: string; output: number[] } }, a: unknown, o: unknown) => unknown };
    const ex = (be as unknown as { ex: Ex }).ex;
    const orig = ex.run.bind(ex);
    ex.run = (c, a, o) => {
      const t0 = performance.now();
      const r = orig(c, a, o);
      const op = process.env.PERF_BY_SHAPE ? `${c.spec.op} [${c.spec.output.join('x')}]` : c.spec.op;
      const e = profileTable.get(op) ?? { calls: 0, ms: 0 };
      e.calls++;
      e.ms += performance.now() - t0;
      profileTable.set(op, e);
      return r;
    };
  }
  if (!profile) return be;
  // the primitives are prototype methods or (one-line rows of the op table) instance properties
  const own = be as unknown as Record<string, unknown>;
  const names = [...Object.getOwnPropertyNames(Object.getPrototypeOf(be)), ...Object.keys(own)];
  for (const name of names) {
    const f = own[name];
    if (typeof f !== 'function' || name === 'constructor' || name.startsWith('_')) continue;
    own[name] = (...a: unknown[]) => {
      const t0 = performance.now();
      const r = (f as (...x: unknown[]) => unknown).apply(be, a);
      const key = name === 'unary' || name === 'binary' || name === 'reduce' ? `${name}(${String(a[0])})` : name;
      const e = profileTable.get(key) ?? { calls: 0, ms: 0 };
      e.calls++;
      e.ms += performance.now() - t0;
      profileTable.set(key, e);
      return r;
    };
  }
  return be;
}

function stats(times: number[] & { cpu: number[] }): string {
  const s = [...times].sort((a, b) => a - b);
  const c = [...times.cpu].sort((a, b) => a - b);
  return `median ${s[Math.floor(s.length / 2)]!.toFixed(1)} ms, fastest ${s[0]!.toFixed(1)} ms, cpu median ${c[Math.floor(c.length / 2)]!.toFixed(1)} ms (${times.map((t) => t.toFixed(0)).join(' ')})`;
}

/** Wall-clock ms per run; `.cpu`: the process CPU ms per run (user + sys, all threads). */
function time(fn: () => void, n: number): number[] & { cpu: number[] } {
  fn();
  const out = [] as unknown as number[] & { cpu: number[] };
  const cpuLog: number[] = [];
  out.cpu = cpuLog;
  for (let i = 0; i < n; i++) {
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    fn();
    out.push(performance.now() - t0);
    const c = process.cpuUsage(c0);
    cpuLog.push((c.user + c.system) / 1000);
  }
  return out;
}

function r2(be: Backend): void {
  const p: Conv2dParams = { xShape: [32, 16, 32, 32], wShape: [16, 16, 3, 3], strideH: 1, strideW: 1, padTop: 1, padBottom: 1, padLeft: 1, padRight: 1, outShape: [32, 16, 32, 32] };
  const rnd = (n: number) => Float32Array.from({ length: n }, (_, i) => Math.sin(i * 12.9898) * 0.5);
  const x = be.upload(rnd(32 * 16 * 32 * 32));
  const w = be.upload(rnd(16 * 16 * 9));
  const dy = be.upload(rnd(32 * 16 * 32 * 32));
  const once = (ids: DataId[]) => ids.forEach((d) => be.dispose(d));
  const fwd = time(() => once([be.conv2d(x, w, p)]), reps);
  const dx = time(() => once([be.conv2dBackpropInput(dy, w, p)]), reps);
  const dw = time(() => once([be.conv2dBackpropFilter(x, dy, p)]), reps);
  const all = time(() => once([be.conv2d(x, w, p), be.conv2dBackpropInput(dy, w, p), be.conv2dBackpropFilter(x, dy, p)]), reps);
  console.log(`r2 fwd   ${stats(fwd)}`);
  console.log(`r2 dx    ${stats(dx)}`);
  console.log(`r2 dw    ${stats(dw)}`);
  console.log(`r2 f+b   ${stats(all)}  (TF.js wasm ~73 ms)`);
  once([x, w, dy]);
}

/** R2 conv forward + both gradients as a training step (for alternating backends). */
function r2Step(be: Backend): { run(): number; dispose(): void } {
  const p: Conv2dParams = { xShape: [32, 16, 32, 32], wShape: [16, 16, 3, 3], strideH: 1, strideW: 1, padTop: 1, padBottom: 1, padLeft: 1, padRight: 1, outShape: [32, 16, 32, 32] };
  const rnd = (n: number) => Float32Array.from({ length: n }, (_, i) => Math.sin(i * 12.9898) * 0.5);
  const x = be.upload(rnd(32 * 16 * 32 * 32));
  const w = be.upload(rnd(16 * 16 * 9));
  const dy = be.upload(rnd(32 * 16 * 32 * 32));
  return {
    run() {
      // as a training step runs it (and the bench's R2-conv-fwd-bwd): the forward's workspace goes to dw
      const { y, workspace } = be.conv2dTraining(x, w, p);
      const out = [y, be.conv2dBackpropInput(dy, w, p), be.conv2dBackpropFilter(x, dy, p, workspace)];
      const v = be.read(out[2]!)[0]!;
      [...out, ...(workspace ? [workspace] : [])].forEach((d) => be.dispose(d));
      return v;
    },
    dispose: () => [x, w, dy].forEach((d) => be.dispose(d)),
  };
}

function mm(be: Backend, n: number): void {
  const a = be.upload(Float32Array.from({ length: n * n }, (_, i) => Math.sin(i)));
  const b = be.upload(Float32Array.from({ length: n * n }, (_, i) => Math.cos(i)));
  const t = time(() => be.dispose(be.matmul(a, b, { batch: 1, batchA: 1, batchB: 1, m: n, k: n, n, transA: false, transB: false })), reps);
  const med = [...t].sort((x, y) => x - y)[Math.floor(t.length / 2)]!;
  console.log(`mm${n}   ${stats(t)}  ${((2 * n ** 3) / med / 1e6).toFixed(2)} GFLOP/s`);
  be.dispose(a);
  be.dispose(b);
}

/** Model-side variant options (not backend options), by backend: `bn=composite` in --variants. */
const modelOptions = new WeakMap<Backend, { bn?: 'fused' | 'composite' }>();

/** One training step per backend, the backends alternating rep by rep (same load for each). */
function step(label: string, make: (e: Engine) => { run(): number; dispose(): void }, batch: number, bes: Backend[], peer: string): void {
  const steps = bes.map((be) => make(new Engine(be)));
  const losses = bes.map(() => [] as number[]);
  steps.forEach((s, i) => losses[i]!.push(s.run()));
  const times = bes.map(() => Object.assign([] as number[], { cpu: [] as number[] }));
  for (let r = 0; r < reps; r++) {
    steps.forEach((s, i) => {
      const c0 = process.cpuUsage();
      const t0 = performance.now();
      losses[i]!.push(s.run());
      times[i]!.push(performance.now() - t0);
      const c = process.cpuUsage(c0);
      times[i]!.cpu.push((c.user + c.system) / 1000);
    });
  }
  bes.forEach((be, i) => {
    const t = times[i]!;
    const med = [...t].sort((x, y) => x - y)[Math.floor(t.length / 2)]!;
    const b = be as unknown as { threads: number; convAlgorithm: string };
    const who = bes.length > 1 ? ` [${b.threads}t ${b.convAlgorithm}${modelOptions.get(be)?.bn ? ` bn=${modelOptions.get(be)!.bn}` : ''}]` : '';
    console.log(`${label}${who} ${stats(t)}  ${((batch * 1000) / med).toFixed(1)} img/s (fastest ${((batch * 1000) / Math.min(...t)).toFixed(1)})  ${peer}  losses ${losses[i]!.slice(0, 3).map((l) => l.toFixed(4)).join(' ')}`);
    steps[i]!.dispose();
  });
}

// --variants 'threads=2;conv=direct' builds one backend per ';'-separated option set (alternated per rep)
const variantsArg = (() => {
  const i = args.indexOf('--variants');
  if (i < 0) return threadsArg.map((threads) => ({ threads }));
  return args[i + 1]!.split(';').map((v) => Object.fromEntries(v.split(',').map((kv) => kv.split('=')).map(([k, val]) => [k === 'conv' ? 'convAlgorithm' : k!, /^[0-9.]+$/.test(val!) ? Number(val) : val])));
})();
const backends = variantsArg.map((o) => {
  const { bn, ...rest } = o as { bn?: 'fused' | 'composite' };
  const be = instrument(createGpuJsBackend({ mode: 'webasm', ...rest }));
  modelOptions.set(be, { ...(bn ? { bn } : {}) });
  return be;
});
for (const b of backends) console.log(`${(b as unknown as { describe(): string }).describe()}; reps ${reps}`);
for (const name of names.length > 0 ? names : ['r2', 'r3bn', 'r3skip', 'r4-100']) {
  profileTable.clear();
  if (name === 'r2') backends.forEach((b) => r2(b));
  else if (name === 'r2fb') step('r2 f+b', (e) => r2Step(e.backend), 32, backends, '(TF.js wasm ~73 ms)');
  else if (name.startsWith('mm')) backends.forEach((b) => mm(b, Number(name.slice(2))));
  else if (name === 'r3bn') step('r3bn  ', (e) => preactResnet(e, 'bn', 64, 0, { channels: 3, size: 32, blocks: 2, ...modelOptions.get(e.backend) }), 64, backends, '(TF.js wasm 27-29 img/s)');
  else if (name === 'mnist-bn' || name === 'mnist-skip') {
    const variant = name === 'mnist-bn' ? 'bn' : 'skipinit';
    step(`${name}`, (e) => preactResnet(e, variant, 64, 0, { channels: 1, size: 28, blocks: 1, ...modelOptions.get(e.backend) }), 64, backends, '(issue 5 needs ~70 img/s)');
  } else if (name === 'r3skip') step('r3skip', (e) => preactResnet(e, 'skipinit'), 64, backends, '(TF.js wasm 39-41 img/s)');
  else if (name.startsWith('r4-')) step(`r4 D=${name.slice(3)}`, (e) => residualMlp(e, Number(name.slice(3))), 64, backends, '(TF.js wasm D=1000 11-13 img/s)');
  else throw new Error(`unknown workload ${name}`);
  if (profile || kernelProfile) {
    const rows = [...profileTable.entries()].sort((a, b) => b[1].ms - a[1].ms);
    const total = rows.reduce((s, r) => s + r[1].ms, 0);
    console.log(`  profile (all ${reps + 1} runs, backend total ${total.toFixed(0)} ms):`);
    for (const [k, v] of rows.slice(0, 40)) console.log(`    ${k.padEnd(28)} ${String(v.calls).padStart(7)} calls ${v.ms.toFixed(1).padStart(9)} ms ${((v.ms / v.calls) * 1000).toFixed(0).padStart(7)} us/call`);
  }
}
backends.forEach((b) => b.destroy());
