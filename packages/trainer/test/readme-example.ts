import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { activation, dense, graph, head, input, preact, resblock, resolveTrainSpec } from '@skipinit/graph';
import { Engine, ReferenceBackend } from '@skipinit/tensor';
import { readCheckpoint, resumeRun, train } from '../src';

// A residual MLP (SkipInit, no normalisation) on synthetic gaussian blobs: 16 features, 10 classes.
const net = graph('blobs_mlp', [
  input([16]),
  dense(32),
  resblock({ branch: preact({ kind: 'mlp', width: 32, norm: 'none' }), init: 'skipinit', count: 4 }),
  activation('relu'),
  head(10),
]);
const recipe = resolveTrainSpec({
  data: { name: 'blobs', batch: 32, limit: 1024 },
  optimizer: { name: 'sgd', lr: 0.05, momentum: 0.9, nesterov: true, weightDecay: 5e-4 },
  schedule: { name: 'cosine', warmup: 10 },
  epochs: 3,
  seed: 0,
});
const runDir = mkdtempSync(join(tmpdir(), 'run-'));
const engine = new Engine(new ReferenceBackend()); // or createGpuJsBackend() from @skipinit/backend-gpujs

// Stop after 40 steps as Ctrl-C would: a checkpoint is written and the run can continue exactly.
const stop = new AbortController();
const first = await train({
  graph: net,
  train: recipe,
  engine,
  runDir,
  signal: stop.signal,
  callbacks: { batchEnd: (e) => void (e.step === 40 && stop.abort()) },
});
console.log(first.status, first.steps, readCheckpoint(join(runDir, 'last.safetensors')).meta.step); // interrupted 40 40
const done = await resumeRun({ runDir, engine });
console.log(done.status, done.steps, done.test_accuracy!.toFixed(3)); // completed 96 0.845
