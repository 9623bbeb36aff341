// R3 and R4 written the way a TensorFlow.js user writes a model from tfjs-core ops: NHWC activations,
// HWIO conv kernels, [in, units] dense kernels, tf.Variables, tf.moments + tf.batchNorm in training
// mode with the running statistics updated as PyTorch does (momentum 0.1, unbiased variance).
// Weights come from our model's export (names and layouts of @skipinit/layers), converted once.

import * as tf from '@tensorflow/tfjs-core';
import type { ExportedWeight } from '@skipinit/layers';
import type { MlpArch, ResNetArch } from '../workloads/arch';

/** Our layout -> TensorFlow's: OIHW -> HWIO, [units, in] -> [in, units]. */
export function toTf(w: ExportedWeight): tf.Tensor {
  return tf.tidy(() => {
    const t = tf.tensor(w.data, [...w.shape], 'float32');
    if (w.layout === 'OIHW') return tf.transpose(t, [2, 3, 1, 0]);
    if (w.layout === 'OI') return tf.transpose(t, [1, 0]);
    return t;
  });
}

/** TensorFlow's layout -> ours, for comparisons: NHWC -> NCHW, HWIO -> OIHW. */
export function fromTf(t: tf.Tensor, layout: 'NHWC' | 'HWIO' | 'as-is'): Float32Array {
  return tf.tidy(() => {
    const back = layout === 'NHWC' ? tf.transpose(t, [0, 3, 1, 2]) : layout === 'HWIO' ? tf.transpose(t, [3, 2, 0, 1]) : t;
    return back.dataSync() as Float32Array;
  });
}

/** NCHW host values -> NHWC host values (a TF.js user's data is NHWC already: converted once, outside the timing). */
export function nchwToNhwc(x: Float32Array, n: number, c: number, h: number, w: number): Float32Array {
  const out = new Float32Array(x.length);
  for (let b = 0; b < n; b++)
    for (let ch = 0; ch < c; ch++)
      for (let i = 0; i < h; i++)
        for (let j = 0; j < w; j++) out[((b * h + i) * w + j) * c + ch] = x[((b * c + ch) * h + i) * w + j]!;
  return out;
}

/** A model's variables by our names: parameters trainable, buffers (running statistics) not. */
export class TfVariables {
  readonly params: tf.Variable[] = [];
  private readonly byName = new Map<string, tf.Variable>();

  constructor(weights: readonly ExportedWeight[]) {
    for (const w of weights) {
      const init = toTf(w);
      const v = tf.variable(init, w.kind === 'parameter');
      init.dispose();
      this.byName.set(w.name, v);
      if (w.kind === 'parameter') this.params.push(v);
    }
  }

  has(name: string): boolean {
    return this.byName.has(name);
  }

  get(name: string): tf.Variable {
    const v = this.byName.get(name);
    if (v === undefined) throw new Error(`TensorFlow.js model: our model exported no weight '${name}'`);
    return v;
  }

  dispose(): void {
    for (const v of this.byName.values()) v.dispose();
    this.byName.clear();
  }
}

const BN_MOMENTUM = 0.1;
const BN_EPS = 1e-5;

/** Logits [N, classes] of the R3 ResNet on x [N, H, W, C], batch norm in training mode. */
export function resnetForward(arch: ResNetArch, V: TfVariables, x: tf.Tensor4D): tf.Tensor2D {
  const bn = arch.variant === 'bn';
  const conv = (h: tf.Tensor4D, name: string, stride: number, pad: 'same' | 'valid'): tf.Tensor4D => {
    const y = tf.conv2d(h, V.get(`${name}.weight`) as tf.Tensor4D, stride, pad);
    return V.has(`${name}.bias`) ? (tf.add(y, V.get(`${name}.bias`)) as tf.Tensor4D) : y;
  };
  const batchNorm = (h: tf.Tensor4D, name: string): tf.Tensor4D => {
    const { mean, variance } = tf.moments(h, [0, 1, 2]);
    const n = h.size / mean.size;
    const rm = V.get(`${name}.running_mean`);
    const rv = V.get(`${name}.running_var`);
    rm.assign(tf.add(tf.mul(rm, 1 - BN_MOMENTUM), tf.mul(mean, BN_MOMENTUM)));
    rv.assign(tf.add(tf.mul(rv, 1 - BN_MOMENTUM), tf.mul(variance, (BN_MOMENTUM * n) / (n - 1))));
    return tf.batchNorm(h, mean, variance, V.get(`${name}.bias`), V.get(`${name}.weight`), BN_EPS) as tf.Tensor4D;
  };
  const preact = (h: tf.Tensor4D, name: string): tf.Tensor4D => tf.relu(bn ? batchNorm(h, name) : h);

  let h = conv(x, 'conv1', 1, 'same');
  let channels = arch.stem;
  arch.stages.forEach((s, si) => {
    for (let b = 0; b < s.blocks; b++) {
      const name = `stage${si + 1}.block${b + 1}`;
      const stride = b === 0 ? s.stride : 1;
      const project = stride !== 1 || channels !== s.width;
      const pre = preact(h, `${name}.bn1`);
      let f = conv(pre, `${name}.conv1`, stride, 'same');
      f = conv(preact(f, `${name}.bn2`), `${name}.conv2`, 1, 'same');
      const skip = project ? conv(pre, `${name}.shortcut`, stride, 'valid') : h;
      h = tf.add(skip, V.has(`${name}.alpha`) ? tf.mul(f, V.get(`${name}.alpha`)) : f) as tf.Tensor4D;
      channels = s.width;
    }
  });
  h = bn ? preact(h, 'bn1') : tf.relu(h);
  const pooled = tf.mean(h, [1, 2]) as tf.Tensor2D;
  return tf.add(tf.matMul(pooled, V.get('head.weight') as tf.Tensor2D), V.get('head.bias')) as tf.Tensor2D;
}

/** What R5 records per block: the skip path (x) and the branch f(x) before alpha; valid only during the call. */
export type TfBlockHook = (index: number, skip: tf.Tensor2D, branch: tf.Tensor2D) => void;

/**
 * Logits [N, classes] of the R4 residual MLP on x [N, features]. With `onBlock` (a forward pass
 * without gradients) every block runs in its own tf.tidy, so the pass holds one block's activations.
 */
export function mlpForward(arch: MlpArch, V: TfVariables, x: tf.Tensor2D, onBlock?: TfBlockHook): tf.Tensor2D {
  const dense = (h: tf.Tensor2D, name: string): tf.Tensor2D => {
    const y = tf.matMul(h, V.get(`${name}.weight`) as tf.Tensor2D) as tf.Tensor2D;
    return V.has(`${name}.bias`) ? (tf.add(y, V.get(`${name}.bias`)) as tf.Tensor2D) : y;
  };
  const block = (h: tf.Tensor2D, b: number): tf.Tensor2D => {
    const f = dense(tf.relu(dense(tf.relu(h), `block${b}.dense1`)), `block${b}.dense2`);
    onBlock?.(b - 1, h, f);
    return tf.add(h, tf.mul(f, V.get(`block${b}.alpha`))) as tf.Tensor2D;
  };
  let h = dense(x, 'dense1');
  for (let b = 1; b <= arch.depth; b++) {
    if (!onBlock) h = block(h, b);
    else {
      const next = tf.tidy(() => block(h, b));
      h.dispose();
      h = next;
    }
  }
  return dense(tf.relu(h), 'dense2');
}
