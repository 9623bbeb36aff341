#!/usr/bin/env node
// The MNIST test accuracy of an exported model computed by onnxruntime (not by skipinit), to set beside
// `skipinit eval RUN_DIR`:
//
//   node packages/integration/onnx-accuracy.mjs runs/mnist_resnet_small/1/model.onnx
//
// Feeds the raw test images (pixels / 255, [N, 1, 28, 28]; the export normalises them itself) in batches of
// 500 and counts the images whose largest logit is the label. Uses the built @skipinit/data (npm ci builds it).
import { readFileSync } from 'node:fs';
import { loadMnist } from '@skipinit/data';
import * as ort from 'onnxruntime-node';

const file = process.argv[2];
if (!file) {
  console.error('usage: node packages/integration/onnx-accuracy.mjs MODEL.onnx');
  process.exit(64);
}
const session = await ort.InferenceSession.create(readFileSync(file));
const { test } = loadMnist();
const f = 28 * 28;
const batch = 500;
let correct = 0;
for (let start = 0; start < test.length; start += batch) {
  const n = Math.min(batch, test.length - start);
  const x = new ort.Tensor('float32', test.x.slice(start * f, (start + n) * f), [n, 1, 28, 28]);
  const logits = (await session.run({ input: x })).logits.data;
  for (let i = 0; i < n; i++) {
    let best = 0;
    for (let k = 1; k < 10; k++) if (logits[i * 10 + k] > logits[i * 10 + best]) best = k;
    if (best === test.y[start + i]) correct++;
  }
}
console.log(JSON.stringify({ model: file, runtime: `onnxruntime-node ${ort.env.versions?.node ?? ''}`.trim(), split: 'test', correct, examples: test.length, accuracy: correct / test.length }));
