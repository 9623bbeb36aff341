import type { Graph } from '@skipinit/graph';
import { conv, dense, graph, head, input, preact, relu, resblock, stage, batchnorm } from '@skipinit/graph';
import type { Engine } from '@skipinit/tensor';
import { Engine as EngineClass, ReferenceBackend, Rng, crossEntropy, tensor } from '@skipinit/tensor';
import { build } from '@skipinit/layers';
import { afterAll, describe, expect, it } from 'vitest';
import { MODES, gpuEngine } from './engines';

// The gpu.js engine (float32) against the float64 reference backend on whole models: the same graph and
// seed give the same initial weights (drawn on the host), then logits, loss and every parameter gradient of
// a training-mode step must agree within 1e-4 relative (max |gpu - ref| / max |ref| per tensor). The
// reference is itself checked against TensorFlow.js in @skipinit/layers (tfjs-agreement.test.ts).

const TOL = 1e-4;

function resnet(norm: 'bn' | 'none', init: 'he' | 'skipinit' | 'fixup', bias = false): Graph {
  return graph(`resnet-${norm}-${init}`, [
    input([3, 8, 8]),
    conv(4, { bias: false }),
    stage({ width: 4, blocks: 2, block: { init, branch: { norm, bias } } }),
    stage({ width: 8, blocks: 1, stride: 2, block: { init, branch: { norm, bias } } }),
    ...(norm === 'bn' ? [batchnorm()] : []),
    relu(),
    head(5),
  ]);
}

const MODELS: [string, Graph][] = [
  ['pre-activation ResNet, batch norm (training mode)', resnet('bn', 'he')],
  ['SkipInit ResNet with biases', resnet('none', 'skipinit', true)],
  ['Fixup ResNet', resnet('none', 'fixup')],
  ['MLP with layer norm, scaled alpha', graph('mlp', [input([12]), dense(16), resblock({ count: 3, branch: preact({ kind: 'mlp', width: 16, norm: 'ln' }), init: 'scaled' }), relu(), head(4)])],
];

/** max |a - b| / max |b|. */
function relError(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let d = 0;
  let s = 0;
  for (let i = 0; i < b.length; i++) {
    d = Math.max(d, Math.abs(a[i] - b[i]));
    s = Math.max(s, Math.abs(b[i]));
  }
  return s === 0 ? d : d / s;
}

/** A training step's logits, loss and gradients (jittered weights: no gradient is trivially 0). */
function step(engine: Engine, g: Graph) {
  const model = build(g, { engine, seed: 21 });
  const r = new Rng(22);
  const state = model.state();
  for (const e of Object.values(state)) e.data.forEach((v, i) => (e.data[i] = v + r.normal(0, 0.2)));
  for (const b of model.buffers()) state[b.name].data.fill(b.name.endsWith('var') ? 1 : 0);
  model.load(state);
  const n = 6;
  const x = tensor(new Rng(23).fillNormal(new Float32Array(n * model.inputShape.reduce((a, b) => a * b, 1))), [n, ...model.inputShape], { engine });
  const labels = Array.from({ length: n }, (_, i) => i % model.outputShape[0]);
  const logits = model.forward(x, { training: true });
  const loss = crossEntropy(logits, labels);
  loss.backward();
  const out = {
    logits: logits.dataSync().slice(),
    loss: loss.dataSync()[0],
    grads: new Map(model.parameters().map((p) => [p.name, p.grad!.dataSync().slice()])),
    running: new Map(model.buffers().map((b) => [b.name, b.value.dataSync().slice()])),
  };
  model.dispose();
  for (const t of [x, logits, loss]) t.dispose();
  return out;
}

const report: string[] = [];

describe('gpu.js engine vs the float64 reference backend, whole models', () => {
  afterAll(() => console.info(`gpu.js vs reference (max relative error per tensor, worst over tensors):\n${report.join('\n')}`));
  for (const mode of MODES) {
    describe(mode, () => {
      const engine = gpuEngine(mode);
      afterAll(() => engine.destroy());
      for (const [what, g] of MODELS) {
        it(`${what}: logits, loss, gradients, running stats within ${TOL}`, () => {
          const ref = step(new EngineClass(new ReferenceBackend()), g);
          const got = step(engine, g);
          const errLogits = relError(got.logits, ref.logits);
          const errLoss = Math.abs(got.loss - ref.loss) / Math.abs(ref.loss);
          let errGrad = 0;
          for (const [name, gr] of ref.grads) {
            const e = relError(got.grads.get(name)!, gr);
            expect(e, `gradient of ${name}`).toBeLessThan(TOL);
            errGrad = Math.max(errGrad, e);
          }
          let errRunning = 0;
          for (const [name, v] of ref.running) errRunning = Math.max(errRunning, relError(got.running.get(name)!, v));
          expect(errLogits).toBeLessThan(TOL);
          expect(errLoss).toBeLessThan(TOL);
          expect(errRunning).toBeLessThan(TOL);
          expect(engine.memory().numTensors).toBe(0);
          report.push(`  ${mode} ${what}: logits ${errLogits.toExponential(2)}, loss ${errLoss.toExponential(2)}, gradients ${errGrad.toExponential(2)}${ref.running.size ? `, running stats ${errRunning.toExponential(2)}` : ''}`);
        });
      }
    });
  }
});
