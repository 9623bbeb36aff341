import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { blobs, convGraph, mlpGraph, recipe, referenceEngine, tempDir } from '../test/fixtures';
import { readCheckpoint } from './checkpoint';
import type { TrainEvent } from './events';
import { resumeRun } from './resume';
import { train } from './train';

const metricsOf = (dir: string): string => readFileSync(join(dir, 'metrics.jsonl'), 'utf8');
const lossesOf = (text: string): number[] =>
  text
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l))
    .filter((r) => r.type === 'step')
    .map((r) => r.loss);

// Conv net with batch norm, dropout (branch and head) and crop+flip augmentation; 6 batches per epoch.
const convSpec = recipe({ epochs: 3, seed: 5, augment: ['crop', 'flip'] });
const convData = blobs([1, 8, 8]);

async function uninterrupted(): Promise<string> {
  const dir = tempDir('full');
  const summary = await train({ graph: convGraph(), train: convSpec, engine: referenceEngine(), runDir: dir, data: convData, checkpointEvery: 4 });
  expect(summary.status).toBe('completed');
  expect(summary.steps).toBe(18);
  return dir;
}

describe('exact resume (reference backend, batch norm + dropout + augmentation)', () => {
  it('an interrupted (Ctrl-C) run resumed mid-epoch gives the same losses, step for step, and the same metrics.jsonl', async () => {
    const full = await uninterrupted();
    const dir = tempDir('ctrlc');
    const abort = new AbortController();
    const first = await train({
      graph: convGraph(),
      train: convSpec,
      engine: referenceEngine(),
      runDir: dir,
      data: convData,
      checkpointEvery: 4,
      signal: abort.signal,
      callbacks: { batchEnd: (e) => void (e.step === 7 ? abort.abort() : undefined) },
    });
    expect(first.status).toBe('interrupted');
    expect(first.steps).toBe(7); // mid-epoch: batch 1 of epoch 1
    expect(readCheckpoint(join(dir, 'last.safetensors')).meta.step).toBe(7);
    const second = await resumeRun({ runDir: dir, engine: referenceEngine(99), data: convData });
    expect(second.status).toBe('completed');
    expect(lossesOf(metricsOf(dir))).toEqual(lossesOf(metricsOf(full)));
    expect(lossesOf(metricsOf(dir))).toHaveLength(18);
    expect(metricsOf(dir)).toBe(metricsOf(full));
    expect(readFileSync(join(dir, 'last.safetensors')).equals(readFileSync(join(full, 'last.safetensors')))).toBe(true);
    // Resuming a finished run only repeats its final evaluation: nothing changes.
    const again = await resumeRun({ runDir: dir, engine: referenceEngine(), data: convData });
    expect(again).toMatchObject({ status: 'completed', steps: 18, test_accuracy: second.test_accuracy });
    expect(metricsOf(dir)).toBe(metricsOf(full));
  });

  it('a killed run resumes from its last periodic checkpoint, dropping the log lines after it', async () => {
    const full = await uninterrupted();
    const dir = tempDir('killed');
    // A hook that throws stands for the process dying after step 10: no checkpoint is written for it.
    await expect(
      train({
        graph: convGraph(),
        train: convSpec,
        engine: referenceEngine(),
        runDir: dir,
        data: convData,
        checkpointEvery: 4,
        callbacks: { batchEnd: (e) => { if (e.step === 10) throw new Error('killed'); } },
      }),
    ).rejects.toThrow('killed');
    expect(readCheckpoint(join(dir, 'last.safetensors')).meta.step).toBe(8);
    expect(lossesOf(metricsOf(dir))).toHaveLength(10); // steps 9 and 10 were logged after the checkpoint
    await resumeRun({ runDir: dir, engine: referenceEngine(), data: convData });
    expect(metricsOf(dir)).toBe(metricsOf(full));
  });

  for (const name of ['adam', 'adamw'] as const) {
    it(`${name} with gradient clipping: an interrupted run resumes to the same losses, metrics and checkpoint bytes`, async () => {
      const spec = recipe({ epochs: 2, seed: 3, optimizer: { name, lr: 0.01, weightDecay: 0.01, clipGradNorm: 0.5 } });
      const data = blobs([1, 8, 8]);
      const full = tempDir(`${name}-full`);
      await train({ graph: convGraph(), train: spec, engine: referenceEngine(), runDir: full, data, checkpointEvery: 3 });
      const dir = tempDir(`${name}-ctrlc`);
      const abort = new AbortController();
      const first = await train({
        graph: convGraph(),
        train: spec,
        engine: referenceEngine(),
        runDir: dir,
        data,
        checkpointEvery: 3,
        signal: abort.signal,
        callbacks: { batchEnd: (e) => void (e.step === 5 ? abort.abort() : undefined) },
      });
      expect(first.steps).toBe(5);
      const ckpt = readCheckpoint(join(dir, 'last.safetensors'));
      expect(ckpt.meta.optimizer).toMatchObject({ name, steps: expect.arrayContaining([5]) });
      expect([...ckpt.tensors.keys()].filter((k) => k.startsWith('optim.exp_avg_sq.')).length).toBeGreaterThan(0);
      await resumeRun({ runDir: dir, engine: referenceEngine(), data });
      expect(metricsOf(dir)).toBe(metricsOf(full));
      expect(metricsOf(full)).toMatch(/"grad_norm":/);
      expect(readFileSync(join(dir, 'last.safetensors')).equals(readFileSync(join(full, 'last.safetensors')))).toBe(true);
    });
  }

  it('refuses to resume with another configuration, naming the run directory', async () => {
    const dir = tempDir('mismatch');
    const abort = new AbortController();
    abort.abort();
    await train({ graph: convGraph(), train: convSpec, engine: referenceEngine(), runDir: dir, data: convData, signal: abort.signal });
    await expect(
      train({ graph: convGraph(), train: { ...convSpec, seed: 6 }, engine: referenceEngine(), runDir: dir, data: convData, resume: true }),
    ).rejects.toThrow(/the configuration differs from the run's config.json/);
  });
});

describe('determinism', () => {
  it('the same seed gives a byte-identical metrics.jsonl; another seed does not', async () => {
    const run = async (seed: number): Promise<string> => {
      const dir = tempDir('seed');
      await train({ graph: mlpGraph(), train: recipe({ epochs: 2, seed }), engine: referenceEngine(), runDir: dir, data: blobs([16]) });
      return metricsOf(dir);
    };
    const a = await run(1);
    expect(await run(1)).toBe(a);
    expect(await run(2)).not.toBe(a);
    expect(a).not.toMatch(/examples_per_s|elapsed|time/);
  });
});

describe('divergence detection', () => {
  it('a huge learning rate stops the run with a message naming the step; the last finite checkpoint is intact', async () => {
    const dir = tempDir('diverge');
    const saved = new Map<number, Buffer>();
    const events: TrainEvent[] = [];
    const summary = await train({
      graph: mlpGraph('plain'),
      train: recipe({ steps: 40, seed: 0, optimizer: { name: 'sgd', lr: 30, momentum: 0.9 }, schedule: { name: 'warmup', warmup: 10 } }),
      engine: referenceEngine(),
      runDir: dir,
      data: blobs([16]),
      checkpointEvery: 1,
      callbacks: {
        checkpoint: (e) => void saved.set(e.step, readFileSync(e.path)),
        onEvent: (e) => void events.push(e),
      },
    });
    expect(summary.status).toBe('diverged');
    expect(summary.diverged).toBe(true);
    const at = summary.divergence!.step;
    expect(at).toBeGreaterThan(1);
    expect(summary.steps).toBe(at - 1);
    expect(summary.message).toMatch(new RegExp(`^training diverged at step ${at} \\(epoch \\d+\\): the loss (is NaN|is \\+Infinity|.* exceeds the explosion threshold)`));
    expect(summary.message).toMatch(/lower learning rate.*init=skipinit.*norm=bn/);
    expect(summary.message).toContain(`The last finite checkpoint (step ${at - 1}) is kept`);
    // last.safetensors is the one written after step at - 1, byte for byte, and every value in it is finite.
    const last = readFileSync(join(dir, 'last.safetensors'));
    expect(last.equals(saved.get(at - 1)!)).toBe(true);
    const ckpt = readCheckpoint(join(dir, 'last.safetensors'));
    expect(ckpt.meta.step).toBe(at - 1);
    for (const [, t] of ckpt.tensors) expect(t.data.every(Number.isFinite)).toBe(true);
    const lines = metricsOf(dir).trim().split('\n').map((l) => JSON.parse(l));
    expect(lines.at(-1)).toMatchObject({ type: 'diverged', step: at });
    expect(events.at(-1)).toMatchObject({ type: 'end', summary: { diverged: true, test_accuracy: null } });
    expect(JSON.parse(readFileSync(join(dir, 'summary.json'), 'utf8')).status).toBe('diverged');
  });
});

describe('the loop', () => {
  it('trains a small network well, evaluates, keeps best and last, and calls every hook in order', async () => {
    const dir = tempDir('loop');
    const types: string[] = [];
    const summary = await train({
      graph: mlpGraph(),
      train: recipe({ epochs: 4, seed: 0, evalEvery: 3 }),
      engine: referenceEngine(),
      runDir: dir,
      data: blobs([16], 192, 96),
      callbacks: { onEvent: (e) => void types.push(e.type) },
    });
    expect(types[0]).toBe('trainBegin');
    expect(types.at(-1)).toBe('end');
    expect(types.filter((t) => t === 'batchEnd')).toHaveLength(48);
    expect(types.filter((t) => t === 'epochEnd')).toHaveLength(4);
    expect(types.filter((t) => t === 'eval')).toHaveLength(16); // every 3 steps, 48 steps
    expect(summary.test_accuracy).toBeGreaterThan(0.9);
    expect(summary.train_loss).toBeLessThan(0.5);
    expect(existsSync(join(dir, 'best.safetensors'))).toBe(true);
    expect(readCheckpoint(join(dir, 'best.safetensors')).meta.step).toBe(summary.best!.step);
    for (const f of ['config.json', 'metrics.jsonl', 'timing.jsonl', 'summary.json', 'last.safetensors']) expect(existsSync(join(dir, f))).toBe(true);
    // last.safetensors, read by a minimal safetensors reader written here (no code shared with the writer)
    const bytes = readFileSync(join(dir, 'last.safetensors'));
    const n = Number(bytes.readBigUInt64LE(0));
    const header = JSON.parse(bytes.subarray(8, 8 + n).toString('utf8'));
    expect(header.__metadata__).toMatchObject({ format: 'skipinit.checkpoint', format_version: '1', step: '48', epoch: '4' });
    expect(JSON.parse(header.__metadata__.loader)).toMatchObject({ epoch: 4, batch: 0, batchSize: 16 });
    expect(JSON.parse(header.__metadata__.rng).dropout.algorithm).toBe('xoshiro128**');
    const names = Object.keys(header).filter((k) => k !== '__metadata__');
    expect(names).toContain('head.weight');
    expect(names).toContain('optim.velocity.head.weight');
    let end = 0;
    for (const k of names) {
      const { dtype, shape, data_offsets: [a, b] } = header[k];
      expect(dtype).toBe('F64'); // the reference backend's precision
      expect(b - a).toBe(8 * shape.reduce((x: number, y: number) => x * y, 1));
      end = Math.max(end, b);
    }
    expect(8 + n + end).toBe(bytes.length);
    const [hw0] = header['head.weight'].data_offsets;
    const stored = readCheckpoint(join(dir, 'last.safetensors')).tensors.get('head.weight')!.data;
    expect(bytes.readDoubleLE(8 + n + hw0)).toBe(stored[0]);
    expect(stored.every(Number.isFinite)).toBe(true);
    const config = JSON.parse(readFileSync(join(dir, 'config.json'), 'utf8'));
    expect(config).toMatchObject({ format: 'skipinit.run', seed: 0, backend: { name: 'reference', mode: 'reference', precision: 'float64' } });
    expect(config.versions['@skipinit/trainer']).toBe('0.1.0');
    expect(config.versions.node).toBe(process.version);
  });

  it('holds out a validation split when asked, and reports the test set at the end', async () => {
    const summary = await train({
      graph: mlpGraph(),
      train: recipe({ epochs: 2, data: { validation: 0.25 } }),
      engine: referenceEngine(),
      data: blobs([16], 128, 64),
    });
    expect(summary.best?.split).toBe('validation');
    expect(summary.validation_accuracy).not.toBeNull();
    expect(summary.test_accuracy).not.toBeNull();
    expect(summary.run_dir).toBeNull();
  });

  it('keeps memory flat over a long run', async () => {
    const engine = referenceEngine();
    const seen = new Map<number, ReturnType<typeof engine.memory>>();
    await train({
      graph: convGraph(),
      train: recipe({ steps: 60, augment: ['crop', 'flip'] }),
      engine,
      data: blobs([1, 8, 8]),
      callbacks: { batchEnd: (e) => void (e.step % 20 === 0 ? seen.set(e.step, engine.memory()) : undefined) },
    });
    const first = seen.get(20)!;
    for (const [, m] of seen) {
      expect(m.numTensors).toBe(first.numTensors);
      expect(m.numDataBuffers).toBe(first.numDataBuffers);
      expect(m.backend.numDataIds).toBe(first.backend.numDataIds);
    }
    // and everything is freed at the end
    expect(engine.memory().numDataBuffers).toBe(0);
  });

  it('refuses data that does not fit the model', async () => {
    await expect(train({ graph: convGraph(), train: recipe({ steps: 2 }), engine: referenceEngine(), data: blobs([16]) })).rejects.toThrow(
      /the model's input is 1x8x8 but blobs examples are 16: change the model's input line to `input 16`/,
    );
  });
});
