// What a batch reports, computed on the device and read back in one transfer: the loss and the number of
// rows the model classifies right. On a GPU the logits stay where they are; only two numbers come back,
// and on a backend that reads only asynchronously (WebGPU) that one read is the step's only wait.

import { argmax, concat, eq, noGrad, tensor } from '@skipinit/tensor';
import type { Engine, Tensor } from '@skipinit/tensor';

/** The labels of a batch on the device, uploaded once (float class indices; a data set checked them). */
export function labelTensor(labels: Int32Array, engine: Engine): Tensor {
  return tensor(labels, [labels.length], { engine });
}

/**
 * [loss, correct] as one tensor: `loss` a one-element tensor, `correct` the rows of `logits` [n, classes]
 * whose first largest value is at the label (as countCorrect counts them on the host).
 */
export function lossAndCorrect(loss: Tensor, logits: Tensor, labels: Tensor): Tensor {
  return noGrad(() => concat([loss.reshape([1]), eq(argmax(logits, 1), labels).sum().reshape([1])]));
}

/** Reads a lossAndCorrect tensor (and disposes it). */
export async function readLossAndCorrect(readout: Tensor): Promise<{ loss: number; correct: number }> {
  try {
    const [loss, correct] = await readout.data();
    return { loss, correct };
  } finally {
    readout.dispose();
  }
}
