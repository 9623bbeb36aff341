// predict(): class probabilities of raw examples (values as the data set loads them, e.g. pixels in
// [0, 1]) by a run's model: the run's recorded normalisation, a forward pass in evaluation mode, softmax.

import { noGrad, tensor, tidy } from '@skipinit/tensor';
import type { RunModel } from './run-model';

export interface Prediction {
  /** The most probable class (the first on ties) and its name. */
  readonly class: number;
  readonly label: string;
  readonly probability: number;
  readonly probabilities: Float64Array;
  readonly logits: Float32Array;
}

/** `x` holds `count` raw examples of the model's input shape, row-major. */
export async function predict(run: RunModel, x: Float32Array, options: { readonly batchSize?: number } = {}): Promise<Prediction[]> {
  const { model, io } = run;
  const shape = model.inputShape;
  const f = shape.reduce((a, b) => a * b, 1);
  if (x.length % f !== 0) throw new RangeError(`predict: ${x.length} values are not a whole number of ${shape.join('x')} examples`);
  const count = x.length / f;
  const batch = options.batchSize ?? run.config.loop.evalBatchSize;
  const norm = io.normalization;
  const input = norm === null ? x : normalise(x, shape, norm);
  const classes = model.outputShape[0];
  const out: Prediction[] = [];
  for (let start = 0; start < count; start += batch) {
    const n = Math.min(batch, count - start);
    const t = noGrad(() => tidy(() => model.forward(tensor(input.subarray(start * f, (start + n) * f), [n, ...shape], { engine: model.engine }))));
    let logits: Float32Array;
    try {
      logits = await t.data();
    } finally {
      t.dispose();
    }
    for (let i = 0; i < n; i++) out.push(prediction(logits.subarray(i * classes, (i + 1) * classes), io.class_names));
  }
  return out;
}

function normalise(x: Float32Array, shape: readonly number[], norm: { readonly mean: readonly number[]; readonly std: readonly number[] }): Float32Array {
  const c = shape[0];
  const spatial = shape.reduce((a, b) => a * b, 1) / c;
  const out = new Float32Array(x.length);
  for (let i = 0; i < x.length; i++) {
    const ch = Math.floor(i / spatial) % c;
    out[i] = (x[i] - norm.mean[ch]) / norm.std[ch];
  }
  return out;
}

function prediction(logits: Float32Array, names: readonly string[]): Prediction {
  let best = 0;
  for (let k = 1; k < logits.length; k++) if (logits[k] > logits[best]) best = k;
  const probabilities = new Float64Array(logits.length);
  let sum = 0;
  for (let k = 0; k < logits.length; k++) sum += probabilities[k] = Math.exp(logits[k] - logits[best]);
  for (let k = 0; k < logits.length; k++) probabilities[k] /= sum;
  return { class: best, label: names[best] ?? String(best), probability: probabilities[best], probabilities, logits: logits.slice() };
}
