import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { blobs, convGraph, recipe, referenceEngine, tempDir } from '../test/fixtures';
import { CheckpointError, readCheckpoint, writeCheckpoint } from './checkpoint';
import { evaluateRun } from './evaluate-run';
import type { ModelIo } from './model-io';
import { predict } from './predict';
import { readRunConfig } from './run-config';
import { checkpointFile, loadRunModel } from './run-model';
import { train } from './train';

const data = blobs([1, 8, 8]);

async function trainedRun(): Promise<string> {
  const dir = tempDir('io');
  await train({ graph: convGraph(), train: recipe({ steps: 6, seed: 2 }), engine: referenceEngine(), runDir: dir, data });
  return dir;
}

describe('what a run records to reuse its model', () => {
  it('config.json and the checkpoint hold the layout, the normalisation, the class names and every padding', async () => {
    const dir = await trainedRun();
    const io = readRunConfig(dir).io as ModelIo;
    expect(io).toMatchObject({ layout: 'NCHW', input_shape: [1, 8, 8], value_range: null, class_names: ['0', '1', '2'] });
    expect(io.normalization!.mean).toHaveLength(1);
    expect(io.normalization!.std[0]).toBeGreaterThan(0);
    expect(io.padding.rule).toMatch(/as TensorFlow does/);
    expect(io.padding.layers.map((l) => `${l.name} ${l.kernel}/${l.stride} ${l.padding} [${l.pads.join(',')}]`)).toEqual([
      'conv1 3/1 same [1,1,1,1]',
      'block1.conv1 3/1 same [1,1,1,1]',
      'block1.conv2 3/1 same [1,1,1,1]',
    ]);
    for (const name of ['best.safetensors', 'last.safetensors']) expect(readCheckpoint(join(dir, name)).meta.io).toEqual(io);
  });

  it('loadRunModel + predict on raw test examples give what evaluate gives on the normalised test set', async () => {
    const dir = await trainedRun();
    const run = loadRunModel({ runDir: dir, engine: referenceEngine() });
    try {
      const predictions = await predict(run, data.test.x);
      const correct = predictions.filter((p, i) => p.class === data.test.y[i]).length;
      const ev = await evaluateRun({ runDir: dir, engine: referenceEngine(), data });
      expect(correct).toBe(ev.correct);
      const p = predictions[0];
      expect(p.probabilities.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
      expect(p.probability).toBe(Math.max(...p.probabilities));
      expect(p.label).toBe(String(p.class));
    } finally {
      run.model.dispose();
    }
  });

  it('a run without a checkpoint is a clear error', () => {
    const dir = tempDir('nockpt');
    mkdirSync(dir, { recursive: true });
    expect(() => checkpointFile(dir)).toThrow(CheckpointError);
    expect(() => checkpointFile(dir)).toThrow(/the run has no checkpoint \(neither best.safetensors nor last.safetensors\)/);
    rmSync(dir, { recursive: true });
  });

  it('a run from before the contract was recorded gets it fitted again from its data', async () => {
    const dir = await trainedRun();
    const path = join(dir, 'config.json');
    const config = JSON.parse(readFileSync(path, 'utf8'));
    const io = config.io;
    delete config.io;
    writeFileSync(path, JSON.stringify(config));
    // Old checkpoints have no io metadata either.
    for (const name of ['best.safetensors', 'last.safetensors']) {
      const c = readCheckpoint(join(dir, name));
      const { io: _io, ...meta } = c.meta;
      writeCheckpoint(join(dir, name), { tensors: c.tensors, meta });
      expect(readCheckpoint(join(dir, name)).meta.io).toBeUndefined();
    }
    const run = loadRunModel({ runDir: dir, engine: referenceEngine(), data });
    try {
      expect(run.io).toEqual(io);
    } finally {
      run.model.dispose();
    }
  });
});
