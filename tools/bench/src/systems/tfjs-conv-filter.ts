// A Conv2DBackpropFilter kernel for TensorFlow.js's wasm backend, which has none in 4.22: a conv's
// weight gradient written as a convolution the backend does have, from its own kernels.
//
// dW[i, j, ci, co] = sum over n, oh, ow of xpad[n, oh*sH + i, ow*sW + j, ci] * dy[n, oh, ow, co]
//
// is a stride-1 convolution of x (as a batch of Ci one-channel-per-example images: [Ci, H, W, N]) with
// dy as its filter ([OH, OW, N, Co]), dilated by the stride, padded like the forward pass:
// transpose x, transpose dy, Conv2D, slice the first kh x kw outputs, transpose to [kh, kw, Ci, Co].

import * as tf from '@tensorflow/tfjs-core';
import { backend_util } from '@tensorflow/tfjs-core';
import type { KernelFunc, NamedAttrMap, TensorInfo } from '@tensorflow/tfjs-core';

type KernelArgs = Parameters<KernelFunc>[0];

function kernel(name: string): KernelFunc {
  const k = tf.getKernel(name, 'wasm');
  if (!k) throw new Error(`TensorFlow.js wasm backend: no '${name}' kernel to build Conv2DBackpropFilter from`);
  return k.kernelFunc;
}

function conv2DBackpropFilter(args: KernelArgs): TensorInfo {
  const backend = args.backend as { disposeData(dataId: object): boolean };
  const { x, dy } = args.inputs as { x: TensorInfo; dy: TensorInfo };
  const { strides, pad, dataFormat, dimRoundingMode, filterShape } = args.attrs as unknown as {
    strides: [number, number] | number;
    pad: 'valid' | 'same' | number | backend_util.ExplicitPadding;
    dataFormat: 'NHWC' | 'NCHW';
    dimRoundingMode?: 'floor' | 'round' | 'ceil';
    filterShape: [number, number, number, number];
  };
  if (dataFormat !== undefined && dataFormat !== 'NHWC') {
    throw new Error(`Conv2DBackpropFilter (bench kernel for wasm): dataFormat '${dataFormat}' is not supported, only NHWC`);
  }
  const info = backend_util.computeConv2DInfo(x.shape as [number, number, number, number], filterShape, strides, 1, pad, dimRoundingMode, false, 'channelsLast');
  const { top, bottom, left, right } = info.padInfo;
  const run = (name: string, inputs: Record<string, TensorInfo>, attrs: NamedAttrMap): TensorInfo =>
    kernel(name)({ inputs, backend: args.backend, attrs }) as TensorInfo;
  const temps: TensorInfo[] = [];
  try {
    const xt = run('Transpose', { x }, { perm: [3, 1, 2, 0] }); // [Ci, H, W, N]
    temps.push(xt);
    const dyt = run('Transpose', { x: dy }, { perm: [1, 2, 0, 3] }); // [OH, OW, N, Co]
    temps.push(dyt);
    const full = run('Conv2D', { x: xt, filter: dyt }, {
      strides: [1, 1],
      pad: [[0, 0], [top, bottom], [left, right], [0, 0]],
      dataFormat: 'NHWC',
      dilations: [info.strideHeight, info.strideWidth],
      dimRoundingMode: undefined as unknown as string,
    }); // [Ci, >= kh, >= kw, Co]
    temps.push(full);
    const [kh, kw, ci, co] = filterShape;
    const cut = run('Slice', { x: full }, { begin: [0, 0, 0, 0], size: [ci, kh, kw, co] });
    temps.push(cut);
    return run('Transpose', { x: cut }, { perm: [1, 2, 0, 3] }); // [kh, kw, Ci, Co]
  } finally {
    for (const t of temps) backend.disposeData(t.dataId);
  }
}

/** Registers the kernel for the wasm backend (call once, when the backend has none). */
export function registerConvFilterKernel(): void {
  tf.registerKernel({ kernelName: 'Conv2DBackpropFilter', backendName: 'wasm', kernelFunc: conv2DBackpropFilter as unknown as KernelFunc });
}

/** Shapes the check covers: R2's layer (at batch 2), R3's strided 3x3 (TF's asymmetric 'same') and 1x1 projection, odd sizes. */
export const FILTER_CHECKS: readonly { x: [number, number, number, number]; filter: [number, number, number, number]; stride: number; pad: 'same' | 'valid' | number }[] = [
  { x: [2, 32, 32, 16], filter: [3, 3, 16, 16], stride: 1, pad: 1 },
  { x: [2, 16, 16, 16], filter: [3, 3, 16, 32], stride: 2, pad: 'same' },
  { x: [2, 8, 8, 32], filter: [1, 1, 32, 64], stride: 2, pad: 'valid' },
  { x: [3, 7, 9, 5], filter: [3, 3, 5, 4], stride: 2, pad: 'same' },
];

/**
 * The kernel against the cpu backend's Conv2DBackpropFilter on FILTER_CHECKS with seeded inputs:
 * the largest max |wasm - cpu| / max |cpu|. Leaves the current backend as it found it.
 */
export async function checkConvFilterKernel(): Promise<number> {
  const before = tf.getBackend();
  const gradient = async (backend: string, c: (typeof FILTER_CHECKS)[number], seed: number): Promise<Float32Array> => {
    await tf.setBackend(backend);
    return tf.tidy(() => {
      const x = tf.randomNormal(c.x, 0, 1, 'float32', seed) as tf.Tensor4D;
      const w = tf.randomNormal(c.filter, 0, 1, 'float32', seed + 1) as tf.Tensor4D;
      const y = tf.conv2d(x, w, c.stride, c.pad);
      const dy = tf.randomNormal(y.shape, 0, 1, 'float32', seed + 2) as tf.Tensor4D;
      return tf.grad((ww: tf.Tensor) => tf.conv2d(x, ww as tf.Tensor4D, c.stride, c.pad))(w, dy).dataSync() as Float32Array;
    });
  };
  let worst = 0;
  try {
    for (let i = 0; i < FILTER_CHECKS.length; i++) {
      const c = FILTER_CHECKS[i]!;
      const got = await gradient('wasm', c, 10 * i + 1);
      const want = await gradient('cpu', c, 10 * i + 1);
      if (got.length !== want.length || got.length === 0) throw new Error(`Conv2DBackpropFilter check: ${got.length} values from wasm, ${want.length} from cpu`);
      let diff = 0;
      let scale = 0;
      for (let k = 0; k < want.length; k++) {
        diff = Math.max(diff, Math.abs(got[k]! - want[k]!));
        scale = Math.max(scale, Math.abs(want[k]!));
      }
      worst = Math.max(worst, diff / scale);
    }
  } finally {
    if (before) await tf.setBackend(before);
  }
  return worst;
}
