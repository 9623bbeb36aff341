import type { Graph } from '@skipinit/graph';
import { Rng, copy_, crossEntropy, noGrad, tensor } from '@skipinit/tensor';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Model } from '../src';
import { build } from '../src';
import { smallResNet } from './fixtures';
import { labels, refEngine, relError } from './helpers';
import type { TfNet } from './tfjs-resnet';
import { tfReady, tfTrainingStep } from './tfjs-resnet';

// Agreement with an independent implementation: TensorFlow.js (cpu backend, float32), given the
// weights our model exports, computes the same logits, loss, parameter gradients and running-stat
// updates within 1e-4 relative (max |ours - tf| / max |tf| per tensor). Our side runs on the float64
// reference backend (the gpu.js engine is compared with the reference in @skipinit/integration).
//
// Two weight sets per network: the model as initialised, and the same model with every parameter
// jittered (alpha = 0 at initialisation makes every branch gradient exactly 0 on both sides, which
// agrees trivially; jittered, every gradient is non-zero).

const TOL = 1e-4;
const BLOCKS = [
  { name: 'stage1.block1', stride: 1, projection: false },
  { name: 'stage1.block2', stride: 1, projection: false },
  { name: 'stage2.block1', stride: 2, projection: true },
];
const shape = { widths: [4, 8], blocks: [2, 1], input: [3, 8, 8], classes: 5 };
const NETS: { what: string; graph: Graph; tf: TfNet }[] = [
  {
    what: 'pre-activation ResNet with batch norm (training mode)',
    graph: smallResNet({ ...shape, norm: 'bn', init: 'he' }),
    tf: { norm: true, bias: false, alpha: false, blocks: BLOCKS, eps: 1e-5, momentum: 0.1 },
  },
  {
    what: 'SkipInit ResNet (no norm, learnable alpha, biases)',
    graph: smallResNet({ ...shape, norm: 'none', init: 'skipinit', bias: true }),
    tf: { norm: false, bias: true, alpha: true, blocks: BLOCKS, eps: 1e-5, momentum: 0.1 },
  },
];

function jitter(model: Model, seed: number): void {
  const r = new Rng(seed);
  noGrad(() => {
    for (const p of model.parameters()) {
      const v = p.value.dataSync().map((x) => x + r.normal(0, 0.2));
      copy_(p.value, tensor(v, p.shape, { engine: model.engine }));
    }
  });
}

const report: string[] = [];

describe('agreement with TensorFlow.js (cpu backend)', () => {
  beforeAll(tfReady);
  afterAll(() => console.info(`TF.js agreement (max relative error per tensor, worst over tensors):\n${report.join('\n')}`));

  for (const net of NETS) {
    for (const jittered of [false, true]) {
      it(`${net.what}, ${jittered ? 'jittered weights' : 'as initialised'}: logits, loss, gradients and running stats within ${TOL}`, () => {
        const engine = refEngine();
        const model = build(net.graph, { engine, seed: 11 });
        if (jittered) jitter(model, 12);
        const n = 6;
        const xValues = new Rng(13).fillNormal(new Float32Array(n * 3 * 8 * 8));
        const y = labels(n, 5, 14);
        const weights = model.exportWeights();
        const ref = tfTrainingStep(net.tf, weights, xValues, [n, 3, 8, 8], y, 5);

        const x = tensor(xValues, [n, 3, 8, 8], { engine });
        const logits = model.forward(x, { training: true });
        const loss = crossEntropy(logits, y);
        loss.backward();

        const errLogits = relError(logits.dataSync64(), ref.logits);
        const errLoss = Math.abs(loss.dataSync64()[0] - ref.loss) / Math.abs(ref.loss);
        let errGrad = 0;
        let worstGrad = '';
        for (const p of model.parameters()) {
          const g = ref.grads.get(p.name);
          expect(g, `TF.js has a gradient for ${p.name}`).toBeDefined();
          const e = relError(p.grad!.dataSync64(), g!);
          expect(e, `gradient of ${p.name}`).toBeLessThan(TOL);
          if (e >= errGrad) [errGrad, worstGrad] = [e, p.name];
        }
        let errRunning = 0;
        for (const b of model.buffers()) errRunning = Math.max(errRunning, relError(b.value.dataSync64(), ref.running.get(b.name)!));
        expect(ref.grads.size).toBe(model.parameters().length);
        expect(errLogits).toBeLessThan(TOL);
        expect(errLoss).toBeLessThan(TOL);
        expect(errRunning).toBeLessThan(TOL);
        const gradNorm = model.parameters().reduce((s, p) => s + p.grad!.dataSync64().reduce((a, v) => a + v * v, 0), 0);
        expect(gradNorm).toBeGreaterThan(0);
        report.push(
          `  ${net.what}, ${jittered ? 'jittered' : 'initial'}: logits ${errLogits.toExponential(2)}, loss ${errLoss.toExponential(2)}, ` +
            `gradients ${errGrad.toExponential(2)} (worst: ${worstGrad}), running stats ${model.buffers().length ? errRunning.toExponential(2) : 'n/a'}`,
        );
        model.dispose();
      });
    }
  }
});
