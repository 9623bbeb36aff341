// TensorFlow.js 4.22 as a benchmark system, one adapter per backend ('wasm', 'cpu'). Each prepared
// computation makes its backend current before it runs (outside the timing), so the systems can
// alternate within one process. Inputs are the same seeded values as ours, in TF's layouts.

import * as tf from '@tensorflow/tfjs-core';
import type { ConvSpec, Preparation, Prepared, SignalCase, Skipped, SystemAdapter, TrainCase } from '../types';
import { inputSize } from '../workloads/arch';
import { SAMPLE_VALUES, convOutSize } from '../workloads/tensor';
import { randomValues } from './random';
import { TfVariables, fromTf, mlpForward, nchwToNhwc, resnetForward } from './tfjs-models';
import type { TfBackendName, TfSetup } from './tfjs-setup';
import { useTfBackend } from './tfjs-setup';

export interface TfjsSystemOptions {
  /** Run what this backend is known to be far too slow for (TF.js cpu: R3, plain-JS conv weight gradients). */
  readonly includeSlow?: boolean;
}

/**
 * TF.js cpu on R3: its conv weight gradient is plain JavaScript. Measured here: R2's fwd + dx + dw
 * takes 6-11 s depending on the load (the forward alone 0.2-0.8 s), and an R3 step has 15 convolutions
 * with weight gradients, most with twice R2's work: minutes per step.
 */
export const CPU_CONV_TOO_SLOW =
  "too slow: TF.js cpu's conv weight gradient (Conv2DBackpropFilter) is plain JS (R2's fwd + dx + dw: 6-11 s here), and an R3 step needs 15 of them, most with twice R2's work (minutes per step); --include-slow times it";

export class TfjsSystem implements SystemAdapter {
  readonly id: string;
  readonly side = 'peer';
  readonly label: string;
  readonly details: Record<string, string>;

  constructor(
    readonly backend: TfBackendName,
    setup: TfSetup,
    private readonly options: TfjsSystemOptions = {},
  ) {
    this.id = `tfjs:${backend}`;
    const v = setup.versions;
    if (backend === 'wasm') {
      const w = setup.wasm;
      const threads = `${w.threads} thread${w.threads === 1 ? '' : 's'}`;
      this.label = `TF.js ${v.wasm} wasm (${w.simd ? 'SIMD' : 'no SIMD'}, ${threads})`;
      const kernel = w.filterKernelRegistered
        ? `Conv2DBackpropFilter registered by the bench (its own Transpose + Conv2D + Slice kernels; the backend has none)${w.filterKernelError === null ? '' : `, agrees with the cpu backend's to ${w.filterKernelError.toExponential(1)}`}`
        : 'Conv2DBackpropFilter: the backend\'s own';
      this.details = {
        backend,
        version: v.wasm,
        simd: String(w.simd),
        threads: String(w.threads),
        selection: `tfjs-core ${v.core}; threads ${w.multithreadSupport ? 'supported' : 'off: TF.js disables wasm multithreading in Node'} (${threads}); ${kernel}`,
      };
    } else {
      this.label = `TF.js ${v.cpu} cpu (plain JS, 1 thread)`;
      this.details = { backend, version: v.cpu, selection: `tfjs-core ${v.core}; R3 (conv training steps) ${options.includeSlow ? 'run (--include-slow)' : 'marked too slow'}` };
    }
  }

  /** R3 on TF.js cpu, unless --include-slow. */
  private slowConv(): Skipped | null {
    return this.backend === 'cpu' && !this.options.includeSlow ? { skipped: CPU_CONV_TOO_SLOW } : null;
  }

  private prepared(make: () => { run(): void; sample(): Float32Array; dispose(): void }): Promise<Prepared> {
    const activate = () => useTfBackend(this.backend);
    return activate().then(() => {
      const p = make();
      return { activate, run: () => p.run(), sample: async () => p.sample(), dispose: () => p.dispose() };
    });
  }

  matmul(m: number, k: number, n: number, seed: number): Promise<Prepared> {
    return this.prepared(() => {
      const a = tf.tensor2d(randomValues(m * k, seed), [m, k]);
      const b = tf.tensor2d(randomValues(k * n, seed + 1), [k, n]);
      let c: tf.Tensor | null = null;
      return {
        run() {
          c?.dispose();
          c = tf.matMul(a, b);
        },
        sample: () => (c!.dataSync() as Float32Array).slice(0, SAMPLE_VALUES),
        dispose: () => tf.dispose([a, b, ...(c ? [c] : [])]),
      };
    });
  }

  conv2d(s: ConvSpec, backward: boolean, seed: number): Promise<Prepared> {
    return this.prepared(() => {
      const { oh, ow } = convOutSize(s);
      const x = tf.tensor4d(nchwToNhwc(randomValues(s.batch * s.inChannels * s.height * s.width, seed), s.batch, s.inChannels, s.height, s.width), [s.batch, s.height, s.width, s.inChannels]);
      const wOIHW = randomValues(s.outChannels * s.inChannels * s.kernel * s.kernel, seed + 1, Math.sqrt(2 / (s.inChannels * s.kernel * s.kernel)));
      const w = tf.tidy(() => tf.transpose(tf.tensor4d(wOIHW, [s.outChannels, s.inChannels, s.kernel, s.kernel]), [2, 3, 1, 0])) as tf.Tensor4D;
      const dy = tf.tensor4d(nchwToNhwc(randomValues(s.batch * s.outChannels * oh * ow, seed + 2), s.batch, s.outChannels, oh, ow), [s.batch, oh, ow, s.outChannels]);
      const f = (xx: tf.Tensor4D, ww: tf.Tensor4D): tf.Tensor4D => tf.conv2d(xx, ww, s.stride, s.padding);
      const gradients = tf.valueAndGrads(f as (...args: tf.Tensor[]) => tf.Tensor);
      let outputs: tf.Tensor[] = [];
      return {
        run() {
          tf.dispose(outputs);
          if (!backward) outputs = [f(x, w)];
          else {
            const { value, grads } = gradients([x, w], dy);
            outputs = [value, ...grads];
          }
        },
        sample: () => {
          const layouts = ['NHWC', 'NHWC', 'HWIO'] as const;
          return Float32Array.from(outputs.flatMap((o, i) => [...fromTf(o, layouts[i]!).slice(0, SAMPLE_VALUES)]));
        },
        dispose: () => tf.dispose([x, w, dy, ...outputs]),
      };
    });
  }

  trainSteps(c: TrainCase): Preparation | Promise<Prepared> {
    const slow = c.arch.kind === 'resnet' ? this.slowConv() : null;
    if (slow) return slow;
    return this.prepared(() => {
      const arch = c.arch;
      const V = new TfVariables(c.weights);
      const optimizer = tf.train.momentum(c.lr, c.momentum);
      const [ci, h, w] = arch.input;
      const xs = c.batches.map((b) => (arch.kind === 'resnet' ? nchwToNhwc(b.x, c.batch, ci!, h!, w!) : b.x));
      const losses: number[] = [];
      const forward = (x: tf.Tensor): tf.Tensor2D =>
        arch.kind === 'resnet' ? resnetForward(arch, V, x as tf.Tensor4D) : mlpForward(arch, V, x as tf.Tensor2D);
      const shape = arch.kind === 'resnet' ? [c.batch, h!, w!, ci!] : [c.batch, inputSize(arch)];
      return {
        run() {
          const i = losses.length % c.batches.length;
          tf.tidy(() => {
            const x = tf.tensor(xs[i]!, shape);
            const labels = tf.oneHot(tf.tensor1d(c.batches[i]!.y as number[], 'int32'), arch.classes);
            const loss = optimizer.minimize(() => tf.losses.softmaxCrossEntropy(labels, forward(x)) as tf.Scalar, true, V.params);
            losses.push(loss!.dataSync()[0]!);
          });
        },
        sample: () => {
          if (losses.length < c.compareSteps) throw new Error(`only ${losses.length} steps ran; the check compares the first ${c.compareSteps}`);
          return Float32Array.from(losses.slice(0, c.compareSteps));
        },
        dispose: () => {
          optimizer.dispose();
          V.dispose();
        },
      };
    });
  }

  signalForward(c: SignalCase): Promise<Prepared> {
    return this.prepared(() => {
      const V = new TfVariables(c.weights);
      const features = inputSize(c.arch);
      let last: Float32Array | null = null;
      const stats = (t: tf.Tensor2D): [tf.Tensor, tf.Tensor] => {
        const { mean, variance } = tf.moments(t, 0);
        return [tf.mean(tf.square(mean)), tf.mean(variance)];
      };
      return {
        run() {
          const perBlock: tf.Tensor[] = [];
          try {
            last = tf.tidy(() => {
              const x = tf.tensor2d(c.x, [c.batch, features]);
              mlpForward(c.arch, V, x, (_, skip, branch) => {
                const [skipSq, skipVar] = stats(skip);
                const [, branchVar] = stats(branch);
                perBlock.push(tf.keep(tf.stack([skipSq, skipVar, branchVar])));
              });
              return tf.stack(perBlock).dataSync() as Float32Array;
            });
          } finally {
            tf.dispose(perBlock);
          }
        },
        sample: () => {
          if (last === null) throw new Error('R5 has not run');
          return last;
        },
        dispose: () => V.dispose(),
      };
    });
  }

  dispose(): void {}
}
