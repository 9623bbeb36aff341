// The convolutions of issue 5's MNIST network (batch 64) one by one: forward, input and filter
// gradients, process CPU time (medians of alternating reps). Environment toggles named in
// PERF_TOGGLE ("NAME=a|b") are flipped between alternating reps, for A/B runs of engine variants.
// `PERF_ENTRY=mnist-convs.ts node packages/backend-gpujs/perf/run.mjs [reps]`
import type { Conv2dParams, DataId } from '@skipinit/tensor';
import { createGpuJsBackend } from '../src/index';

const reps = Number(process.argv[2] ?? 8);
const be = createGpuJsBackend({ mode: 'webasm', ...(process.env.PERF_THREADS ? { threads: Number(process.env.PERF_THREADS) } : {}) });
const conv = (n: number, c: number, h: number, o: number, k: number, s: number): Conv2dParams => {
  const pad = k === 3 ? 1 : 0;
  const oh = Math.floor((h + 2 * pad - k) / s) + 1;
  return { xShape: [n, c, h, h], wShape: [o, c, k, k], strideH: s, strideW: s, padTop: pad, padBottom: pad, padLeft: pad, padRight: pad, outShape: [n, o, oh, oh] };
};
const shapes: [string, Conv2dParams][] = [
  ['stem 1->16 28', conv(64, 1, 28, 16, 3, 1)],
  ['s1 16->16 28', conv(64, 16, 28, 16, 3, 1)],
  ['s2 16->32 s2', conv(64, 16, 28, 32, 3, 2)],
  ['s2 proj 1x1 s2', conv(64, 16, 28, 32, 1, 2)],
  ['s2 32->32 14', conv(64, 32, 14, 32, 3, 1)],
  ['s3 32->64 s2', conv(64, 32, 14, 64, 3, 2)],
  ['s3 proj 1x1 s2', conv(64, 32, 14, 64, 1, 2)],
  ['s3 64->64 7', conv(64, 64, 7, 64, 3, 1)],
];
const [toggleName, toggleValues] = (process.env.PERF_TOGGLE ?? '=').split('=') as [string, string];
const variants = toggleName ? toggleValues.split('|') : [''];
const rnd = (n: number) => Float32Array.from({ length: n }, (_, i) => Math.sin(i * 12.9898) * 0.5);
const size = (s: readonly number[]) => s.reduce((a, b) => a * b, 1);
const cpu = (f: () => void) => {
  const c0 = process.cpuUsage();
  f();
  const c = process.cpuUsage(c0);
  return (c.user + c.system) / 1000;
};
const med = (a: number[]) => [...a].sort((x, y) => x - y)[Math.floor(a.length / 2)]!;
const total = variants.map(() => 0);
for (const [name, p] of shapes) {
  const x = be.upload(rnd(size(p.xShape)));
  const w = be.upload(rnd(size(p.wShape)));
  const dy = be.upload(rnd(size(p.outShape)));
  const passes: [string, () => DataId][] = [
    ['fwd', () => be.conv2d(x, w, p)],
    ['dx', () => be.conv2dBackpropInput(dy, w, p)],
    ['dw', () => be.conv2dBackpropFilter(x, dy, p)],
  ];
  const line: string[] = [];
  for (const [pass, f] of passes) {
    const times = variants.map(() => [] as number[]);
    for (let r = 0; r <= reps; r++) {
      variants.forEach((v, i) => {
        if (toggleName) process.env[toggleName] = v;
        const t = cpu(() => be.dispose(f()));
        if (r > 0) times[i]!.push(t);
      });
    }
    line.push(`${pass} ${times.map((t) => med(t).toFixed(1)).join('/')}`);
    times.forEach((t, i) => (total[i]! += med(t)));
  }
  console.log(`${name.padEnd(16)} ${line.join('  ')} ms`);
  [x, w, dy].forEach((d) => be.dispose(d));
}
console.log(`total ${total.map((t) => t.toFixed(1)).join('/')} ms${toggleName ? ` (${toggleName} = ${variants.join(' / ')})` : ''}`);
be.destroy();
