// The independent implementation for the agreement test: a pre-activation ResNet written by hand from
// TensorFlow.js ops (its cpu backend, float32), reading the weights our model exports. Nothing here
// comes from @skipinit: layouts are converted explicitly (NCHW -> NHWC activations, OIHW -> HWIO conv
// kernels, [units, in] -> [in, units] dense kernels), batch norm uses tf.moments over N, H, W, and the
// loss is softmax cross-entropy written out.
//
//   x -> conv3x3 (stem, no bias)
//     -> for each block: h = [bn] relu (x); f = conv3x3/stride [+b] -> [bn] relu -> conv3x3 [+b]
//                        out = (projection ? conv1x1/stride(h) : x) + alpha * f
//     -> [bn] relu -> global average pool -> dense (+ bias)

import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
// The core package registers gradients only when asked (the union package @tensorflow/tfjs does this).
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import type { ExportedWeight } from '../src';

export interface TfBlock {
  readonly name: string;
  readonly stride: number;
  readonly projection: boolean;
}

export interface TfNet {
  readonly norm: boolean;
  readonly bias: boolean;
  /** A learnable alpha per block (skipinit) or none (x + f(x)). */
  readonly alpha: boolean;
  readonly blocks: readonly TfBlock[];
  readonly eps: number;
  readonly momentum: number;
}

export async function tfReady(): Promise<void> {
  tf.env().set('IS_TEST', true); // no "install tfjs-node" banner
  await tf.setBackend('cpu');
  await tf.ready();
}

/** Our layout -> TensorFlow's, as a tf.Tensor. */
export function toTf(w: ExportedWeight): tf.Tensor {
  const t = tf.tensor(Array.from(w.data), [...w.shape], 'float32');
  if (w.layout === 'OIHW') return tf.transpose(t, [2, 3, 1, 0]);
  if (w.layout === 'OI') return tf.transpose(t, [1, 0]);
  return t;
}

/** TensorFlow's layout -> ours (values, row-major). */
export function fromTf(t: tf.Tensor, layout: ExportedWeight['layout']): Float32Array {
  const back = layout === 'OIHW' ? tf.transpose(t, [3, 2, 0, 1]) : layout === 'OI' ? tf.transpose(t, [1, 0]) : t;
  return back.dataSync() as Float32Array;
}

export interface TfResult {
  logits: Float32Array;
  loss: number;
  /** d loss / d weight, by our parameter name, in OUR layout. */
  grads: Map<string, Float32Array>;
  /** Running statistics after this training step, by buffer name. */
  running: Map<string, Float32Array>;
}

/**
 * Logits, loss and gradients of the network on x (NCHW values) with integer labels, batch norm in
 * TRAINING mode (batch statistics; running statistics updated as PyTorch does).
 */
export function tfTrainingStep(net: TfNet, weights: readonly ExportedWeight[], x: Float32Array, xShape: readonly number[], labels: readonly number[], classes: number): TfResult {
  const params = weights.filter((w) => w.kind === 'parameter');
  const names = params.map((w) => w.name);
  const running = new Map<string, Float32Array>();
  const buffers = new Map(weights.filter((w) => w.kind === 'buffer').map((w) => [w.name, w.data]));
  const xs = tf.transpose(tf.tensor4d(Array.from(x), xShape as [number, number, number, number]), [0, 2, 3, 1]);
  const onehot = tf.cast(tf.oneHot(tf.tensor1d(labels as number[], 'int32'), classes), 'float32');
  let logitsValues: Float32Array = new Float32Array(0);

  const forward = (...ws: tf.Tensor[]): tf.Scalar => {
    const W = new Map(names.map((n, i) => [n, ws[i]]));
    const p = (n: string): tf.Tensor => {
      const t = W.get(n);
      if (t === undefined) throw new Error(`tfjs model: no weight '${n}' exported`);
      return t;
    };
    const conv = (h: tf.Tensor, name: string, stride: number, pad: 'same' | 'valid'): tf.Tensor => {
      let y = tf.conv2d(h as tf.Tensor4D, p(`${name}.weight`) as tf.Tensor4D, stride, pad);
      if (net.bias && W.has(`${name}.bias`)) y = tf.add(y, p(`${name}.bias`));
      return y;
    };
    const bn = (h: tf.Tensor, name: string): tf.Tensor => {
      const { mean, variance } = tf.moments(h, [0, 1, 2]);
      const n = h.size / mean.size;
      const m = net.momentum;
      const rm = buffers.get(`${name}.running_mean`)!;
      const rv = buffers.get(`${name}.running_var`)!;
      const mv = mean.dataSync();
      const vv = variance.dataSync();
      running.set(`${name}.running_mean`, Float32Array.from(rm, (r, c) => (1 - m) * r + m * mv[c]));
      running.set(`${name}.running_var`, Float32Array.from(rv, (r, c) => (1 - m) * r + (m * vv[c] * n) / (n - 1)));
      return tf.batchNorm(h, mean, variance, p(`${name}.bias`), p(`${name}.weight`), net.eps);
    };
    const preact = (h: tf.Tensor, bnName: string): tf.Tensor => tf.relu(net.norm ? bn(h, bnName) : h);

    let h = tf.conv2d(xs as tf.Tensor4D, p('conv1.weight') as tf.Tensor4D, 1, 'same') as tf.Tensor;
    for (const b of net.blocks) {
      const pre = preact(h, `${b.name}.bn1`);
      let f = conv(pre, `${b.name}.conv1`, b.stride, 'same');
      f = preact(f, `${b.name}.bn2`);
      f = conv(f, `${b.name}.conv2`, 1, 'same');
      const skip = b.projection ? tf.conv2d(pre as tf.Tensor4D, p(`${b.name}.shortcut.weight`) as tf.Tensor4D, b.stride, 'valid') : h;
      h = tf.add(skip, net.alpha ? tf.mul(f, p(`${b.name}.alpha`)) : f);
    }
    h = preact(h, 'bn1');
    const pooled = tf.mean(h, [1, 2]);
    const logits = tf.add(tf.matMul(pooled as tf.Tensor2D, p('head.weight') as tf.Tensor2D), p('head.bias'));
    logitsValues = logits.dataSync() as Float32Array;
    const logp = tf.logSoftmax(logits);
    return tf.neg(tf.mean(tf.sum(tf.mul(onehot, logp), 1))) as tf.Scalar;
  };

  const inputs = params.map(toTf);
  const { value, grads } = tf.valueAndGrads(forward)(inputs);
  const result: TfResult = {
    logits: logitsValues,
    loss: value.dataSync()[0],
    grads: new Map(params.map((w, i) => [w.name, fromTf(grads[i], w.layout)])),
    running,
  };
  tf.dispose([xs, onehot, value, ...grads, ...inputs]);
  return result;
}
