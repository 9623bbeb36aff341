// R3's strided convolutions (stage 2 entry: 64x16x32x32 -> 32, 3x3 stride 2 pad 1; its 1x1 projection): forward, dx, dw.
import { createGpuJsBackend } from '../src/index';
const be = createGpuJsBackend({ mode: 'webasm' });
const reps = Number(process.argv[2] ?? 5);
for (const [k, pad] of [[3, 1], [1, 0]] as const) {
  const p = { xShape: [64, 16, 32, 32], wShape: [32, 16, k, k], strideH: 2, strideW: 2, padTop: pad, padBottom: pad, padLeft: pad, padRight: pad, outShape: [64, 32, 16, 16] };
  const x = be.upload(Float32Array.from({ length: 64 * 16 * 32 * 32 }, (_, i) => Math.sin(i)));
  const w = be.upload(Float32Array.from({ length: 32 * 16 * k * k }, (_, i) => Math.cos(i)));
  const dy = be.upload(Float32Array.from({ length: 64 * 32 * 16 * 16 }, (_, i) => Math.sin(i * 0.3)));
  for (const [name, f] of [['fwd', () => be.conv2d(x, w, p)], ['dx', () => be.conv2dBackpropInput(dy, w, p)], ['dw', () => be.conv2dBackpropFilter(x, dy, p)]] as const) {
    be.dispose(f());
    const cpu: number[] = [];
    for (let r = 0; r < reps; r++) {
      const c0 = process.cpuUsage();
      be.dispose(f());
      const c = process.cpuUsage(c0);
      cpu.push((c.user + c.system) / 1000);
    }
    cpu.sort((a, b) => a - b);
    console.log(`${k}x${k} stride 2 ${name}: cpu median ${cpu[Math.floor(reps / 2)]!.toFixed(1)} ms`);
  }
  [x, w, dy].forEach((d) => be.dispose(d));
}
be.destroy();
