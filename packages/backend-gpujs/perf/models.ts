// R2/R3/R4-shaped workloads of issue 7 built from @skipinit/tensor ops: what the engine's speed work measures.
// Shapes follow issue 7; initialisation is He-normal from a seeded Rng; labels are random.

import type { Engine, Tensor } from '@skipinit/tensor';
import { Rng, conv2d, crossEntropy, globalAvgPool2d, linear, moments, batchNorm, batchNormTraining, relu, sgdUpdate_, tidy, zeros, tensor } from '@skipinit/tensor';

export interface Param {
  readonly value: Tensor;
  readonly velocity: Tensor;
}

export interface Step {
  /** One forward + backward + SGD step; returns the loss (read synchronously). */
  run(): number;
  /** The same, reading the loss asynchronously (webgpu). */
  runAsync(): Promise<number>;
  dispose(): void;
  readonly params: readonly Param[];
}

function param(engine: Engine, shape: number[], fanIn: number, rng: Rng, kind: 'he' | 'zero' | 'one' = 'he'): Param {
  const size = shape.reduce((a, b) => a * b, 1);
  const v = new Float32Array(size);
  const std = Math.sqrt(2 / fanIn);
  for (let i = 0; i < size; i++) v[i] = kind === 'he' ? rng.normal() * std : kind === 'one' ? 1 : 0;
  const value = tensor(v, shape, { engine }).keep();
  value.requiresGrad = true;
  return { value, velocity: zeros(shape, { engine }).keep() };
}

function sgd(params: readonly Param[]): void {
  for (const p of params) {
    if (p.value.grad === null) continue;
    sgdUpdate_(p.value, p.value.grad, p.velocity, { lr: 0.01, momentum: 0.9, weightDecay: 0, nesterov: false });
    p.value.zeroGrad();
  }
}

/** run and runAsync of a step that returns its loss tensor (after the SGD update): read, then disposed. */
function reads(step: () => Tensor): Pick<Step, 'run' | 'runAsync'> {
  return {
    run() {
      const loss = step();
      const v = loss.item();
      loss.dispose();
      return v;
    },
    async runAsync() {
      const loss = step();
      const v = (await loss.data())[0]!;
      loss.dispose();
      return v;
    },
  };
}

function labelsOf(n: number, classes: number, rng: Rng): Int32Array {
  return Int32Array.from({ length: n }, () => Math.floor(rng.uniform() * classes));
}

/** R4: dense 784->128, D blocks x + alpha*dense(relu(dense(relu(x)))), relu, dense 10; batch 64. */
export function residualMlp(engine: Engine, depth: number, batch = 64, seed = 0): Step {
  const rng = new Rng(seed);
  const params: Param[] = [];
  const p = (shape: number[], fanIn: number, kind?: 'he' | 'zero' | 'one') => {
    const q = param(engine, shape, fanIn, rng, kind);
    params.push(q);
    return q.value;
  };
  const w0 = p([128, 784], 784);
  const b0 = p([128], 1, 'zero');
  const blocks = Array.from({ length: depth }, () => ({
    w1: p([128, 128], 128),
    b1: p([128], 1, 'zero'),
    w2: p([128, 128], 128),
    b2: p([128], 1, 'zero'),
    alpha: p([], 1, 'zero'),
  }));
  const w3 = p([10, 128], 128);
  const b3 = p([10], 1, 'zero');
  const xv = new Float32Array(batch * 784);
  for (let i = 0; i < xv.length; i++) xv[i] = rng.uniform();
  const x = tensor(xv, [batch, 784], { engine }).keep();
  const labels = labelsOf(batch, 10, rng);
  return {
    params,
    ...reads(() => {
      const loss = tidy(() => {
        let h = linear(x, w0, b0);
        for (const b of blocks) {
          const f = linear(relu(linear(relu(h), b.w1, b.b1)), b.w2, b.b2);
          h = h.add(f.mul(b.alpha));
        }
        const logits = linear(relu(h), w3, b3);
        const l = crossEntropy(logits, labels);
        l.backward();
        return l;
      });
      sgd(params);
      return loss;
    }),
    dispose() {
      for (const q of params) {
        q.value.dispose();
        q.velocity.dispose();
      }
      x.dispose();
    },
  };
}

/** Input and depth of a pre-activation ResNet: R3 is 3x32x32 with 2 blocks per stage. */
export interface ResnetShape {
  readonly channels: number;
  readonly size: number;
  readonly blocks: number;
  /** Batch norm as the fused primitives (batchNormTraining, default) or as moments + batchNorm. */
  readonly bn?: 'fused' | 'composite';
}

/**
 * R3: CIFAR pre-activation ResNet, batch 64, 3x32x32, stem 3->16, stages 16/32/64 x 2 blocks (or
 * another input size and depth, e.g. issue 5's MNIST net: 1x28x28, one block per stage).
 */
export function preactResnet(engine: Engine, variant: 'bn' | 'skipinit', batch = 64, seed = 0, shape: ResnetShape = { channels: 3, size: 32, blocks: 2 }): Step {
  const rng = new Rng(seed);
  const params: Param[] = [];
  const p = (shape: number[], fanIn: number, kind?: 'he' | 'zero' | 'one') => {
    const q = param(engine, shape, fanIn, rng, kind);
    params.push(q);
    return q.value;
  };
  const bnOn = variant === 'bn';
  const convP = (o: number, c: number, k: number) => ({ w: p([o, c, k, k], c * k * k), b: bnOn ? null : p([o], 1, 'zero') });
  const bnP = (c: number) => (bnOn ? { g: p([1, c, 1, 1], 1, 'one'), b: p([1, c, 1, 1], 1, 'zero') } : null);
  const stem = convP(16, shape.channels, 3);
  const blocks: { stride: number; bn1: ReturnType<typeof bnP>; c1: ReturnType<typeof convP>; bn2: ReturnType<typeof bnP>; c2: ReturnType<typeof convP>; proj: ReturnType<typeof convP> | null; alpha: Tensor | null }[] = [];
  let c = 16;
  for (const [s, width] of [16, 32, 64].entries()) {
    for (let i = 0; i < shape.blocks; i++) {
      const stride = s > 0 && i === 0 ? 2 : 1;
      blocks.push({
        stride,
        bn1: bnP(c),
        c1: convP(width, c, 3),
        bn2: bnP(width),
        c2: convP(width, width, 3),
        proj: stride === 2 || c !== width ? convP(width, c, 1) : null,
        alpha: bnOn ? null : p([], 1, 'zero'),
      });
      c = width;
    }
  }
  const bnF = bnP(64);
  const wd = p([10, 64], 64);
  const bd = p([10], 1, 'zero');
  const xv = new Float32Array(batch * shape.channels * shape.size * shape.size);
  for (let i = 0; i < xv.length; i++) xv[i] = rng.normal();
  const x = tensor(xv, [batch, shape.channels, shape.size, shape.size], { engine }).keep();
  const labels = labelsOf(batch, 10, rng);
  const norm = (t: Tensor, q: ReturnType<typeof bnP>): Tensor => {
    if (!q) return t;
    if (shape.bn !== 'composite') return batchNormTraining(t, { weight: q.g, bias: q.b }).output;
    const m = moments(t, [0, 2, 3], true);
    return batchNorm(t, m.mean, m.variance, { weight: q.g, bias: q.b });
  };
  const conv = (t: Tensor, q: ReturnType<typeof convP>, stride: number, pad: number) => conv2d(t, q.w, { bias: q.b, stride, padding: pad });
  return {
    params,
    ...reads(() => {
      const loss = tidy(() => {
        let h = conv(x, stem, 1, 1);
        for (const b of blocks) {
          const a = relu(norm(h, b.bn1));
          const s = b.proj ? conv(a, b.proj, b.stride, 0) : h;
          let f = conv(relu(norm(conv(a, b.c1, b.stride, 1), b.bn2)), b.c2, 1, 1);
          if (b.alpha) f = f.mul(b.alpha);
          h = s.add(f);
        }
        const pooled = globalAvgPool2d(relu(norm(h, bnF)));
        const l = crossEntropy(linear(pooled, wd, bd), labels);
        l.backward();
        return l;
      });
      sgd(params);
      return loss;
    }),
    dispose() {
      for (const q of params) {
        q.value.dispose();
        q.velocity.dispose();
      }
      x.dispose();
    },
  };
}
