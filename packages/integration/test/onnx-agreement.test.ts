import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createGpuJsBackend } from '@skipinit/backend-gpujs';
import { fitNormalization, loadMnist, normalize, take } from '@skipinit/data';
import type { Dataset } from '@skipinit/data';
import { compile } from '@skipinit/dsl';
import { describeOnnx, exportOnnx, initializerValues } from '@skipinit/export';
import { build } from '@skipinit/layers';
import type { Model } from '@skipinit/layers';
import { Engine, Rng, noGrad, tensor } from '@skipinit/tensor';
import * as ort from 'onnxruntime-node';
import onnxProto from 'onnx-proto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { perturb } from './perturb';

const { onnx } = onnxProto;

// An independent implementation runs our ONNX export: onnxruntime (its CPU kernels, not ours) gives the
// logits of every example spec (small settings), the batch-norm, SkipInit, Fixup and layer-norm variants,
// a 100-block residual MLP, and a spec using every layer kind, on raw MNIST test images (the export holds
// the input normalisation as its first nodes); skipinit computes them on the gpu.js engine ('webasm') from
// the same images normalised by @skipinit/data. Weights are seeded perturbations of the initialisation
// (perturb.ts), so every block and every scalar matters. They must agree to 1e-4 (relative to the
// logits' scale when it exceeds 1). CIFAR is not shipped, so the 3-channel WRN gets seeded uniform
// images in [0, 1].

const examples = join(import.meta.dirname, '..', '..', '..', 'examples');
const TOLERANCE = 1e-4;
const BATCH = 32;
/** The WRN's batch of synthetic images (its 32x32 convolutions are the slowest part of this file). */
const SMALL_BATCH = 8;

const EVERY_KIND = `
model every_kind {
  input 1x28x28
  conv 8, kernel=5, stride=2, padding=same, bias=true
  pool max 3, stride=2, padding=same
  stage width=8, blocks=1 { resblock norm=ln, init=fixup, act=gelu }
  resblock width=12, stride=2, norm=bn, init=skipinit, act=tanh, dropout=0.2
  conv 12, kernel=3, padding=1, bias=false
  layernorm
  sigmoid
  pool avg 2, stride=1, padding=same
  conv 16, kernel=1, padding=valid
  batchnorm affine=false
  bias 0.1
  scale 0.9, learnable=false
  flatten
  dense 32
  dropout 0.1
  resblock kind=mlp, width=32, norm=none, init=scaled, act=identity
  gelu
  head 10, dropout=0.3
}
`;

interface Case {
  readonly name: string;
  readonly source: () => { text: string; file: string };
  readonly overrides: Record<string, string>;
}

const example = (file: string) => () => ({ text: readFileSync(join(examples, file), 'utf8'), file });
const CASES: readonly Case[] = [
  { name: 'mnist-resnet-small, batch norm (as written)', source: example('mnist-resnet-small.arch'), overrides: {} },
  { name: 'mnist-resnet-small, SkipInit, no norm', source: example('mnist-resnet-small.arch'), overrides: { norm: 'none', init: 'skipinit' } },
  { name: 'mnist-resnet-small, Fixup, no norm', source: example('mnist-resnet-small.arch'), overrides: { norm: 'none', init: 'fixup' } },
  { name: 'mnist-resnet-small, layer norm, scaled', source: example('mnist-resnet-small.arch'), overrides: { norm: 'ln', init: 'scaled' } },
  { name: 'deep-mlp, 100 blocks, SkipInit (a 100-block residual MLP)', source: example('deep-mlp.arch'), overrides: { depth: '100' } },
  { name: 'deep-mlp, 100 blocks, batch norm', source: example('deep-mlp.arch'), overrides: { depth: '100', norm: 'bn', init: 'plain' } },
  { name: 'wrn, WRN-16-2 with batch norm (as written)', source: example('wrn.arch'), overrides: {} },
  { name: 'wrn, WRN-16-2 SkipInit, no norm', source: example('wrn.arch'), overrides: { norm: 'none' } },
  { name: 'mnist-resnet-small, NF-ResNet (x / beta_l, Scaled WS)', source: example('mnist-resnet-small.arch'), overrides: { init: 'nf', norm: 'none' } },
  { name: 'every layer kind', source: () => ({ text: EVERY_KIND, file: 'every-kind.arch' }), overrides: {} },
];

function buildCase(c: Case, engine: Engine): Model {
  const { text, file } = c.source();
  const r = compile(text, { file, overrides: c.overrides });
  if (r.errors.length > 0 || r.graph === null) throw new Error(`${c.name}: ${r.errors.map((e) => e.message).join('; ')}`);
  const model = build(r.graph, { engine, seed: 0 });
  perturb(model, 7);
  return model;
}

/** Raw inputs (what the ONNX model takes) and their normalised form (what skipinit's model takes). */
interface Inputs {
  readonly raw: Float32Array;
  readonly normalised: Float32Array;
  readonly norm: { mean: number[]; std: number[] };
}

function mnistInputs(test: Dataset, train: Dataset): Inputs {
  const norm = fitNormalization(train);
  const raw = take(test, BATCH);
  return { raw: raw.x, normalised: normalize(raw, norm).x, norm: { mean: [...norm.mean], std: [...norm.std] } };
}

function uniformInputs(shape: readonly number[]): Inputs {
  const size = SMALL_BATCH * shape.reduce((a, b) => a * b, 1);
  const raw = new Rng(3).fillUniform(new Float32Array(size));
  const norm = { mean: Array.from({ length: shape[0] }, (_, c) => 0.45 + 0.02 * c), std: Array.from({ length: shape[0] }, (_, c) => 0.25 + 0.01 * c) };
  const spatial = size / SMALL_BATCH / shape[0];
  const normalised = raw.map((v, i) => {
    const c = Math.floor(i / spatial) % shape[0];
    return (v - norm.mean[c]) / norm.std[c];
  });
  return { raw, normalised, norm };
}

describe('ONNX export agrees with onnxruntime', () => {
  let engine: Engine;
  let mnist: { train: Dataset; test: Dataset };
  beforeAll(() => {
    engine = new Engine(createGpuJsBackend({ mode: 'webasm', threads: 1 }));
    mnist = loadMnist();
  });
  afterAll(() => engine.destroy());

  for (const c of CASES) {
    it(c.name, async () => {
      const model = buildCase(c, engine);
      try {
        const inputs = model.inputShape[0] === 1 && model.inputShape[1] === 28 ? mnistInputs(mnist.test, mnist.train) : uniformInputs(model.inputShape);
        const shape = [inputs.raw.length / model.inputShape.reduce((a, b) => a * b, 1), ...model.inputShape];
        const ours = noGrad(() => {
          const logits = model.forward(tensor(inputs.normalised, shape, { engine }));
          const v = logits.dataSync().slice();
          logits.dispose();
          return v;
        });
        const exported = exportOnnx(model, { normalization: inputs.norm });
        const summary = describeOnnx(exported.bytes);
        expect(summary.opset).toBeGreaterThanOrEqual(17);
        expect(summary.inputs[0]).toEqual({ name: 'input', shape: ['batch', ...model.inputShape] });
        const session = await ort.InferenceSession.create(exported.bytes);
        const out = await session.run({ input: new ort.Tensor('float32', inputs.raw, shape) });
        const theirs = out.logits.data as Float32Array;
        expect(theirs.length).toBe(ours.length);
        const scale = Math.max(1, ...Array.from(ours, Math.abs));
        let worst = 0;
        for (let i = 0; i < ours.length; i++) worst = Math.max(worst, Math.abs(ours[i] - theirs[i]));
        expect(worst / scale, `${c.name}: max |skipinit - onnxruntime| = ${worst.toExponential(2)}, logits up to ${scale.toFixed(2)}`).toBeLessThanOrEqual(TOLERANCE);
        // The probabilities output is the softmax of the logits.
        const p = out.probabilities.data as Float32Array;
        const classes = model.outputShape[0];
        for (let row = 0; row < shape[0]; row++) expect(p.subarray(row * classes, (row + 1) * classes).reduce((a, b) => a + b, 0)).toBeCloseTo(1, 5);
        await session.release();
      } finally {
        model.dispose();
      }
    });
  }

  // The test can fail: this is the bug a PyTorch user hit (issue 15).
  it("with PyTorch's symmetric padding (1 on every side) for the stride-2 3x3 convolutions, onnxruntime disagrees", async () => {
    const model = buildCase(CASES[0], engine);
    try {
      const inputs = mnistInputs(mnist.test, mnist.train);
      const shape = [BATCH, ...model.inputShape];
      const ours = noGrad(() => model.forward(tensor(inputs.normalised, shape, { engine })).dataSync().slice());
      const exported = exportOnnx(model, { normalization: inputs.norm });
      const m = onnx.ModelProto.decode(exported.bytes);
      // TensorFlow's 'same' on 28 -> 14 puts the odd pixel at the bottom/right: a Pad node [0, 0, 1, 1]
      // before each stride-2 3x3 conv. Make it PyTorch's padding=1 on every side (same output size).
      let changed = 0;
      for (const t of m.graph!.initializer ?? []) {
        if (!String(t.name).endsWith('.pads') || !/conv\d\.pads$/.test(String(t.name))) continue;
        expect(initializerValues(m.graph!, String(t.name))).toEqual([0, 0, 0, 0, 0, 0, 1, 1]);
        t.rawData = new Uint8Array(BigInt64Array.from([0n, 0n, 1n, 1n, 0n, 0n, 1n, 1n]).buffer);
        changed++;
      }
      expect(changed).toBeGreaterThan(0);
      const session = await ort.InferenceSession.create(onnx.ModelProto.encode(m).finish());
      const out = await session.run({ input: new ort.Tensor('float32', inputs.raw, shape) });
      const theirs = out.logits.data as Float32Array;
      let worst = 0;
      for (let i = 0; i < ours.length; i++) worst = Math.max(worst, Math.abs(ours[i] - theirs[i]));
      expect(worst).toBeGreaterThan(100 * TOLERANCE);
      await session.release();
    } finally {
      model.dispose();
    }
  });
});
