// Evaluation: mean cross-entropy and accuracy of a model on a whole data set, in evaluation mode
// (batch norm uses its running statistics, dropout is off), without recording gradients. Asynchronous, so
// it runs on every backend (WebGPU reads only asynchronously).

import type { Dataset } from '@skipinit/data';
import { crossEntropy, noGrad, tensor, tidy } from '@skipinit/tensor';
import type { TrainableModel } from './model';
import { labelTensor, lossAndCorrect, readLossAndCorrect } from './readout';

export interface EvalResult {
  /** Mean cross-entropy over the examples (NaN or Infinity when the model produces non-finite logits). */
  readonly loss: number;
  /** Fraction of examples whose largest logit is the label. */
  readonly accuracy: number;
  readonly correct: number;
  readonly examples: number;
}

export interface EvaluateOptions {
  /** Examples per forward pass (default 500). */
  readonly batchSize?: number;
}

/** Number of rows of `logits` ([n, classes], row-major) whose first largest value is at the label. */
export function countCorrect(logits: Float32Array | Float64Array, labels: Int32Array, classes: number): number {
  let correct = 0;
  for (let i = 0; i < labels.length; i++) {
    let best = 0;
    let max = logits[i * classes];
    for (let c = 1; c < classes; c++) {
      const v = logits[i * classes + c];
      if (v > max) {
        max = v;
        best = c;
      }
    }
    if (best === labels[i]) correct++;
  }
  return correct;
}

/** Evaluates `model` on every example of `dataset`, in order (one read-back of two numbers per batch). */
export async function evaluate(model: TrainableModel, dataset: Dataset, options: EvaluateOptions = {}): Promise<EvalResult> {
  const batchSize = options.batchSize ?? 500;
  if (!Number.isInteger(batchSize) || batchSize < 1) throw new RangeError(`evaluate: batchSize must be an integer >= 1, got ${batchSize}`);
  const f = dataset.shape.reduce((a, b) => a * b, 1);
  const engine = model.engine;
  let lossSum = 0;
  let correct = 0;
  for (let start = 0; start < dataset.length; start += batchSize) {
    const n = Math.min(batchSize, dataset.length - start);
    const readout = noGrad(() =>
      tidy(() => {
        const x = tensor(dataset.x.subarray(start * f, (start + n) * f), [n, ...dataset.shape], { engine });
        const labels = labelTensor(dataset.y.subarray(start, start + n), engine);
        const logits = model.forward(x, { training: false });
        return lossAndCorrect(crossEntropy(logits, labels, { reduction: 'sum' }), logits, labels);
      }),
    );
    const r = await readLossAndCorrect(readout);
    lossSum += r.loss;
    correct += r.correct;
  }
  const examples = dataset.length;
  return { loss: lossSum / examples, accuracy: correct / examples, correct, examples };
}
