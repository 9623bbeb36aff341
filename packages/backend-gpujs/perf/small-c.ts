// Winograd against direct convolution for few channels (R3's stem 3 -> 16 at 32x32, batch 64) and 8 -> 8.
import { createGpuJsBackend } from '../src/index';
const reps = Number(process.argv[2] ?? 5);
const bes = (['direct', 'winograd'] as const).map((convAlgorithm) => createGpuJsBackend({ mode: 'webasm', convAlgorithm }));
for (const [c, o] of [[3, 16], [8, 8], [16, 16]] as const) {
  const p = { xShape: [64, c, 32, 32], wShape: [o, c, 3, 3], strideH: 1, strideW: 1, padTop: 1, padBottom: 1, padLeft: 1, padRight: 1, outShape: [64, o, 32, 32] };
  const cpu = bes.map(() => [] as number[]);
  const data = bes.map((be) => [be.upload(Float32Array.from({ length: 64 * c * 1024 }, (_, i) => Math.sin(i))), be.upload(Float32Array.from({ length: o * c * 9 }, (_, i) => Math.cos(i))), be.upload(Float32Array.from({ length: 64 * o * 1024 }, (_, i) => Math.sin(i * 0.7)))]);
  const step = (i: number) => {
    const be = bes[i]!;
    const [x, w, dy] = data[i]!;
    [be.conv2d(x!, w!, p), be.conv2dBackpropFilter(x!, dy!, p)].forEach((d) => be.dispose(d));
  };
  bes.forEach((_, i) => step(i));
  for (let r = 0; r < reps; r++) {
    bes.forEach((_, i) => {
      const c0 = process.cpuUsage();
      step(i);
      const d = process.cpuUsage(c0);
      cpu[i]!.push((d.user + d.system) / 1000);
    });
  }
  const med = (a: number[]) => [...a].sort((x, y) => x - y)[Math.floor(a.length / 2)]!.toFixed(1);
  console.log(`${c} -> ${o}, 64x32x32, fwd + dw: direct ${med(cpu[0]!)} ms, winograd ${med(cpu[1]!)} ms cpu`);
}
bes.forEach((b) => b.destroy());
