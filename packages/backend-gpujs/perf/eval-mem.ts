// Memory of evaluation-sized forward passes (batch 500, no gradient) through the MNIST example on
// webasm with `--threads` (default 2): RSS and the kernel cache after each pass. PERF_ENTRY=eval-mem.ts.
import { readFileSync } from 'node:fs';
import { compile } from '@skipinit/dsl';
import { build } from '@skipinit/layers';
import { Engine, noGrad, tensor, tidy } from '@skipinit/tensor';
import { createGpuJsBackend } from '../src/index';

const args = process.argv.slice(2);
const threads = args.includes('--threads') ? Number(args[args.indexOf('--threads') + 1]) : 2;
const batch = args.includes('--batch') ? Number(args[args.indexOf('--batch') + 1]) : 500;
const passes = args.includes('--passes') ? Number(args[args.indexOf('--passes') + 1]) : 8;
const { graph } = compile(readFileSync('examples/mnist-resnet-small.arch', 'utf8'), { file: 'mnist-resnet-small.arch' });
const backend = createGpuJsBackend({ mode: 'webasm', threads });
const engine = new Engine(backend, { seed: 0 });
const model = build(graph!, { engine, seed: 0 });
const x = new Float32Array(batch * 784).map((_, i) => Math.sin(i));
const mb = (n: number) => `${(n / 2 ** 20).toFixed(0)} MiB`;
for (let i = 0; i < passes; i++) {
  const t0 = performance.now();
  noGrad(() => tidy(() => model.forward(tensor(x, [batch, 1, 28, 28], { engine }), { training: false }).dataSync()));
  const c = backend.kernelCacheStats();
  console.log(`pass ${i}: ${(performance.now() - t0).toFixed(0)} ms, rss ${mb(process.memoryUsage().rss)}, kernels ${JSON.stringify(c)}`);
}
backend.destroy();
