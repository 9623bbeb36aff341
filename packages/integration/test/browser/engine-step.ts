// One training step of two small networks on an engine, read asynchronously (WebGPU reads are async only):
// the logits, the loss and every parameter gradient. The browser engine test runs it in a page on the
// gpu.js engine and in Node on the float64 reference backend, and compares.
import type { Graph } from '@skipinit/graph';
import { batchnorm, conv, dense, graph, head, input, preact, relu, resblock, stage } from '@skipinit/graph';
import { build } from '@skipinit/layers';
import type { Engine } from '@skipinit/tensor';
import { crossEntropy, Rng, tensor } from '@skipinit/tensor';

export const STEP_MODELS: Record<string, Graph> = {
  'batch-norm ResNet (conv, training mode)': graph('resnet-bn', [
    input([2, 6, 6]),
    conv(4, { bias: false }),
    stage({ width: 4, blocks: 1, block: { init: 'he', branch: { norm: 'bn', bias: false } } }),
    batchnorm(),
    relu(),
    head(3),
  ]),
  'SkipInit MLP (alpha jittered)': graph('mlp-skipinit', [input([10]), dense(12), resblock({ count: 2, branch: preact({ kind: 'mlp', width: 12, norm: 'none' }), init: 'skipinit' }), relu(), head(4)]),
};

export interface StepResult {
  readonly logits: number[];
  readonly loss: number;
  readonly grads: Record<string, number[]>;
}

/** The step of `name` on `engine`: seeded weights jittered (no gradient is trivially 0), 4 examples. */
export async function engineStep(engine: Engine, name: string): Promise<StepResult> {
  const model = build(STEP_MODELS[name]!, { engine, seed: 31 });
  const r = new Rng(32);
  const state = await model.stateAsync();
  for (const e of Object.values(state)) e.data.forEach((v, i) => (e.data[i] = v + r.normal(0, 0.2)));
  model.load(state);
  const n = 4;
  const size = model.inputShape.reduce((a, b) => a * b, 1);
  const x = tensor(new Rng(33).fillNormal(new Float32Array(n * size)), [n, ...model.inputShape], { engine });
  const logits = model.forward(x, { training: true });
  const loss = crossEntropy(logits, Array.from({ length: n }, (_, i) => i % model.outputShape[0]!));
  loss.backward();
  const grads: Record<string, number[]> = {};
  for (const p of model.parameters()) grads[p.name] = Array.from(await p.grad!.data());
  const result = { logits: Array.from(await logits.data()), loss: (await loss.data())[0]!, grads };
  model.dispose();
  for (const t of [x, logits, loss]) t.dispose();
  return result;
}
