// Memory and time of evaluation-sized forward passes (no gradient) through the MNIST example's network
// shape (examples/mnist-resnet-small.arch: stem conv 16, pre-activation blocks of widths 16/32/64 with
// stride 2 and 1x1 projections, batch norm with running statistics, global pool, dense 64 -> 10) on
// webasm: RSS and the kernel cache after each pass.
//   PERF_ENTRY=eval-mem.ts node packages/backend-gpujs/perf/run.mjs [--threads 2] [--batch 500] [--passes 8]
import { Engine, Rng, batchNorm, conv2d, globalAvgPool2d, linear, noGrad, relu, tensor, tidy } from '@skipinit/tensor';
import type { Tensor } from '@skipinit/tensor';
import { createGpuJsBackend } from '../src/index';

const args = process.argv.slice(2);
const opt = (name: string, dflt: number) => (args.includes(name) ? Number(args[args.indexOf(name) + 1]) : dflt);
const threads = opt('--threads', 2);
const batch = opt('--batch', 500);
const passes = opt('--passes', 8);
const backend = createGpuJsBackend({ mode: 'webasm', threads });
const engine = new Engine(backend, { seed: 0 });
const rng = new Rng(0);
const w = (shape: number[], fanIn: number) => tensor(Float32Array.from({ length: shape.reduce((a, b) => a * b, 1) }, () => rng.normal() * Math.sqrt(2 / fanIn)), shape, { engine });
const ones = (c: number) => tensor(new Float32Array(c).fill(1), [1, c, 1, 1], { engine });
const zeros = (c: number) => tensor(new Float32Array(c), [1, c, 1, 1], { engine });
const bn = (x: Tensor, c: number) => relu(batchNorm(x, zeros(c), ones(c), { weight: ones(c), bias: zeros(c) }));
const stem = w([16, 1, 3, 3], 9);
const blocks = [
  [16, 16, 1],
  [16, 32, 2],
  [32, 64, 2],
].map(([c, o, s]) => ({ c, o, s, c1: w([o, c, 3, 3], c * 9), c2: w([o, o, 3, 3], o * 9), proj: s > 1 ? w([o, c, 1, 1], c) : null }));
const dense = w([10, 64], 64);
const x = new Float32Array(batch * 784).map((_, i) => Math.sin(i));
const mb = (n: number) => `${(n / 2 ** 20).toFixed(0)} MiB`;
for (let i = 0; i < passes; i++) {
  const t0 = performance.now();
  noGrad(() =>
    tidy(() => {
      let h = conv2d(tensor(x, [batch, 1, 28, 28], { engine }), stem, { padding: 1 });
      for (const b of blocks) {
        const a = bn(h, b.c);
        const r = conv2d(bn(conv2d(a, b.c1, { stride: b.s, padding: 1 }), b.o), b.c2, { padding: 1 });
        h = (b.proj ? conv2d(a, b.proj, { stride: b.s }) : h).add(r);
      }
      return linear(globalAvgPool2d(bn(h, 64)), dense).dataSync();
    }),
  );
  const c = backend.kernelCacheStats();
  console.log(`pass ${i}: ${(performance.now() - t0).toFixed(0)} ms (${((performance.now() - t0) / batch).toFixed(2)} ms/image), rss ${mb(process.memoryUsage().rss)}, kernels ${c.size} (${mb(c.bytes)}), misses ${c.misses}, evictions ${c.evictions}`);
}
backend.destroy();
