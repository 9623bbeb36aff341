// skipinit export, predict, metrics and plot, as a user runs them on a run directory: a small MNIST network
// (a stride-2 'same' convolution on 28x28, so the padding is TensorFlow's asymmetric one, and batch norm)
// trained by the trainer into real run files (on 1,000 training and 500 test images, so that the test set's
// evaluation stays short; `skipinit train` itself is tested in train.test.ts). The export runs in
// onnxruntime on raw MNIST test images and is compared with skipinit predict on the same images given as a
// PNG and as a uint8 .npy; then the bad inputs.
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createGpuJsBackend } from '@skipinit/backend-gpujs';
import { loadMnist, take } from '@skipinit/data';
import { compile } from '@skipinit/dsl';
import { resolveTrainSpec } from '@skipinit/graph';
import { Engine } from '@skipinit/tensor';
import { train } from '@skipinit/trainer';
import * as ort from 'onnxruntime-node';
import { PNG } from 'pngjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { main } from '../src/main';
import { trainingIo } from './training-io';
import type { TrainingIo } from './training-io';

const SPEC = `model small {
  input 1x28x28
  conv 8, stride=2
  stage width=8, blocks=1 { resblock norm=bn, init=skipinit }
  resblock width=16, stride=2, norm=none, init=skipinit
  relu
  head 10
}
train {
  data mnist, batch=250
  sgd lr=0.05, momentum=0.9
  steps 4, seed=0, log_params_every=1
}
`;
const N = 16;

function npyUint8(shape: number[], data: Uint8Array): Uint8Array {
  let header = `{'descr': '|u1', 'fortran_order': False, 'shape': (${shape.join(', ')}), }`;
  header = header.padEnd(Math.ceil((header.length + 11) / 64) * 64 - 11, ' ') + '\n';
  const out = new Uint8Array(10 + header.length + data.length);
  out.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0]);
  new DataView(out.buffer).setUint16(8, header.length, true);
  out.set(new TextEncoder().encode(header), 10);
  out.set(data, 10 + header.length);
  return out;
}

function png(width: number, height: number, colorType: 0 | 2, grey: Uint8Array): Uint8Array {
  const img = new PNG({ width, height });
  for (let p = 0; p < width * height; p++) img.data.set([grey[p], grey[p], grey[p], 255], 4 * p);
  return PNG.sync.write(img, { colorType, inputColorType: 6 });
}

describe('skipinit export / predict (a trained MNIST run)', () => {
  let io: TrainingIo;
  let pixels: Uint8Array;
  beforeAll(async () => {
    io = trainingIo();
    const study = compile(SPEC, { file: 'small.arch' });
    const mnist = loadMnist();
    const engine = new Engine(createGpuJsBackend({ mode: 'webasm', threads: 1 }));
    mkdirSync(join(io.cwd, 'run'));
    const summary = await train({
      graph: study.graph!,
      train: resolveTrainSpec(study.train!),
      engine,
      runDir: join(io.cwd, 'run'),
      data: { train: take(mnist.train, 1000), test: take(mnist.test, 500) },
    });
    engine.destroy();
    expect(summary.status).toBe('completed');
    const test = mnist.test;
    pixels = Uint8Array.from(test.x.subarray(0, N * 784), (v) => Math.round(v * 255));
    writeFileSync(join(io.cwd, 'first.npy'), npyUint8([N, 28, 28], pixels));
    writeFileSync(join(io.cwd, 'zero.png'), png(28, 28, 0, pixels.subarray(0, 784)));
  });

  it('export writes an ONNX file that onnxruntime runs on raw pixels, agreeing with predict to 1e-5', async () => {
    const before = io.out().length;
    expect(await main(['export', 'run', '--out', 'small.onnx', '--json'], io)).toBe(0);
    const record = JSON.parse(io.out().slice(before));
    expect(record).toMatchObject({ type: 'export', format: 'onnx', opset: 17, inputs: [{ name: 'input', shape: ['batch', 1, 28, 28] }] });
    expect(record.io.padding.layers.find((l: { name: string }) => l.name === 'conv1').pads).toEqual([0, 0, 1, 1]);
    expect(record.ops.BatchNormalization).toBe(2);
    const session = await ort.InferenceSession.create(readFileSync(join(io.cwd, 'small.onnx')));
    expect(session.inputNames).toEqual(['input']);
    const meta = JSON.parse(JSON.stringify(record.io.class_names));
    expect(meta).toEqual(['0', '1', '2', '3', '4', '5', '6', '7', '8', '9']);
    const raw = Float32Array.from(pixels, (v) => v / 255);
    const out = await session.run({ input: new ort.Tensor('float32', raw, [N, 1, 28, 28]) });
    const theirs = out.probabilities.data as Float32Array;

    const mark = io.out().length;
    expect(await main(['predict', 'run', 'first.npy', 'zero.png', '--json', '--backend', 'webasm', '--threads', '1'], io)).toBe(0);
    const rows = io.out().slice(mark).trim().split('\n').map((l) => JSON.parse(l));
    expect(rows).toHaveLength(N + 1);
    rows.slice(0, N).forEach((r, i) => {
      expect(r).toMatchObject({ file: 'first.npy', index: i });
      for (let k = 0; k < 10; k++) expect(Math.abs(r.probabilities[k] - theirs[i * 10 + k])).toBeLessThan(1e-5);
    });
    expect(rows[N].file).toBe('zero.png');
    expect(rows[N].probabilities).toEqual(rows[0].probabilities);
    await session.release();
  });

  it('predict prints the top classes of each example', async () => {
    const mark = io.out().length;
    expect(await main(['predict', 'run', 'zero.png', '--top', '2', '--backend', 'reference'], io)).toBe(0);
    expect(io.out().slice(mark)).toMatch(/^zero\.png: \d \d+\.\d% {3}\(then \d \d+\.\d%\)\n$/);
  });

  it('refuses an image of the wrong size or channel count, and writes nothing', async () => {
    writeFileSync(join(io.cwd, 'colour.png'), png(32, 32, 2, new Uint8Array(32 * 32).fill(7)));
    const errMark = io.err().length;
    const code = await main(['predict', 'run', 'first.npy', 'colour.png', '--out', 'never.jsonl', '--backend', 'reference'], io);
    expect(code).toBe(65);
    expect(io.err().slice(errMark)).toContain(
      'skipinit predict: data: colour.png: is a 3-channel (colour) 32x32 PNG; the model takes 1-channel (grey) 28x28 images: convert it first (ImageMagick: convert IN -colorspace Gray -resize 28x28! OUT)',
    );
    expect(() => readFileSync(join(io.cwd, 'never.jsonl'))).toThrow();
    writeFileSync(join(io.cwd, 'wide.npy'), npyUint8([2, 28, 27], new Uint8Array(2 * 28 * 27)));
    expect(await main(['predict', 'run', 'wide.npy', '--backend', 'reference'], io)).toBe(65);
    expect(io.err()).toContain('wide.npy: holds an array of shape [2, 28, 27]; the model takes examples of 1x28x28');
    expect(await main(['predict', 'run', 'missing.png', '--backend', 'reference'], io)).toBe(66);
    expect(io.err()).toContain('missing.png: no such file');
  });

  it('metrics prints CSV with the per-block columns, and plot draws the dynamics', async () => {
    const mark = io.out().length;
    expect(await main(['metrics', 'run'], io)).toBe(0);
    const csv = io.out().slice(mark).trim().split('\n');
    const header = csv[0].split(',');
    expect(header.slice(0, 9)).toEqual(['step', 'epoch', 'batch', 'loss', 'accuracy', 'lr', 'eval_split', 'eval_loss', 'eval_accuracy']);
    expect(header).toContain('alpha.stage1.block1');
    expect(header).toContain('grad_norm.block1');
    expect(header).toContain('weight_norm.stage1');
    expect(csv).toHaveLength(5); // steps 1..4
    const last = csv[4].split(',');
    expect(last[0]).toBe('4');
    expect(last[header.indexOf('eval_split')]).toBe('test');
    expect(Number(last[header.indexOf('alpha.block1')])).not.toBe(0);
    expect(await main(['metrics', 'run', '--table', 'params', '--out', 'params.csv'], io)).toBe(0);
    expect(readFileSync(join(io.cwd, 'params.csv'), 'utf8').split('\n')[0]).toMatch(/^step,epoch,alpha\.stage1\.block1,alpha\.block1,grad_norm/);
    expect(await main(['metrics', 'run', '--table', 'bogus'], io)).toBe(64);
    expect(await main(['plot', 'run', '--ascii'], io)).toBe(0);
    expect(io.err()).toMatch(/wrote run\/curves\.png, run\/dynamics\.png/);
    expect(io.out()).toContain('alpha per block');
    const spec = JSON.parse(readFileSync(join(io.cwd, 'run', 'dynamics.vl.json'), 'utf8'));
    expect(spec.vconcat[0].data.values).toHaveLength(2 * 4); // 2 blocks x 4 records
  });

  it('refuses to export a run without a checkpoint (exit 66) and an unknown format (exit 64)', async () => {
    mkdirSync(join(io.cwd, 'empty-run'));
    copyFileSync(join(io.cwd, 'run', 'config.json'), join(io.cwd, 'empty-run', 'config.json'));
    const errMark = io.err().length;
    expect(await main(['export', 'empty-run'], io)).toBe(66);
    expect(io.err().slice(errMark)).toContain('the run has no checkpoint (neither best.safetensors nor last.safetensors)');
    expect(await main(['export', 'run', '--format', 'tflite'], io)).toBe(64);
    expect(io.err()).toContain("--format must be onnx (the only format), got 'tflite'");
  });
});
