// Losses of training steps (the bench's R4 and R3 models, seeded) printed as exact float64 bit
// patterns, to show that a gpu.js change leaves every engine kernel's results bit-identical:
// run it once on each gpu.js and compare the lines.
//   PERF_ENTRY=codegen/losses.ts node packages/backend-gpujs/perf/run.mjs [steps]
import { Engine } from '@skipinit/tensor';
import { createGpuJsBackend } from '../../src/index';
import { preactResnet, residualMlp } from '../models';

const steps = Number(process.argv[2] ?? 3);
const bits = (v: number) => {
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, v);
  return view.getBigUint64(0).toString(16).padStart(16, '0');
};
const models = {
  'r4 D=100': (e: Engine) => residualMlp(e, 100),
  'r3 skipinit': (e: Engine) => preactResnet(e, 'skipinit'),
  'r3 bn': (e: Engine) => preactResnet(e, 'bn'),
};
for (const [name, make] of Object.entries(models)) {
  const be = createGpuJsBackend({ mode: 'webasm' });
  const step = make(new Engine(be));
  const losses = Array.from({ length: steps }, () => step.run());
  console.log(`${name.padEnd(12)} ${losses.map((l) => `${l.toPrecision(9)} (${bits(l)})`).join('  ')}`);
  step.dispose();
  be.destroy();
}
