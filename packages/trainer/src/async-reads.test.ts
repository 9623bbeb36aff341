// Training, resume, evaluation and divergence on a backend that reads only asynchronously (WebGPU's
// kind), with the float64 reference backend wrapped so that `read` throws (AsyncReferenceBackend): every
// file and number must equal the plain reference backend's, byte for byte.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { asyncReferenceEngine, blobs, convGraph, mlpGraph, recipe, referenceEngine, tempDir } from '../test/fixtures';
import type { Engine } from '@skipinit/tensor';
import { evaluateRun } from './evaluate-run';
import type { TrainSummary } from './events';
import { resumeRun } from './resume';
import { train } from './train';

const convSpec = recipe({ epochs: 2, seed: 5, augment: ['crop', 'flip'] });
const convData = blobs([1, 8, 8]);
const FILES = ['metrics.jsonl', 'last.safetensors', 'best.safetensors', 'config.json'];

const files = (dir: string): Record<string, string> =>
  Object.fromEntries(FILES.map((f) => [f, readFileSync(join(dir, f)).toString('base64')]));
const results = (s: TrainSummary) => {
  const { run_dir: _dir, elapsed_s: _e, examples_per_s: _x, checkpoints: _c, ...rest } = s;
  return rest;
};

async function run(engine: Engine, abortAt: number | null = null): Promise<{ dir: string; summary: TrainSummary }> {
  const dir = tempDir('async');
  const abort = new AbortController();
  const summary = await train({
    graph: convGraph(),
    train: convSpec,
    engine,
    runDir: dir,
    data: convData,
    checkpointEvery: 4,
    signal: abort.signal,
    callbacks: { batchEnd: (e) => void (e.step === abortAt ? abort.abort() : undefined) },
  });
  return { dir, summary };
}

describe('on a backend that reads only asynchronously (the reference backend with read() throwing)', () => {
  it('a run, an interrupted run resumed, and evaluation give exactly the reference backend results', async () => {
    expect(() => asyncReferenceEngine().backend.read(asyncReferenceEngine().backend.fill(1, 0))).toThrow(/only asynchronously/);
    const plain = await run(referenceEngine());
    const onAsync = await run(asyncReferenceEngine());
    expect(onAsync.summary.status).toBe('completed');
    expect(results(onAsync.summary)).toEqual(results(plain.summary));
    expect(files(onAsync.dir)).toEqual(files(plain.dir));

    const cut = await run(asyncReferenceEngine(), 5);
    expect(cut.summary).toMatchObject({ status: 'interrupted', steps: 5 });
    const resumed = await resumeRun({ runDir: cut.dir, engine: asyncReferenceEngine(7), data: convData });
    expect(results(resumed)).toEqual(results(plain.summary));
    expect(files(cut.dir)).toEqual(files(plain.dir));

    for (const split of ['test', 'train'] as const) {
      const a = await evaluateRun({ runDir: plain.dir, engine: asyncReferenceEngine(), data: convData, split });
      const b = await evaluateRun({ runDir: plain.dir, engine: referenceEngine(), data: convData, split });
      expect({ ...a, checkpoint: '', config: null }).toEqual({ ...b, checkpoint: '', config: null });
      expect(a.examples).toBeGreaterThan(0);
    }
  });

  it('detects divergence at the same step, with the same message and records', async () => {
    const diverging = async (engine: Engine) => {
      const dir = tempDir('async-diverge');
      const spec = recipe({ steps: 40, seed: 0, optimizer: { name: 'sgd', lr: 30, momentum: 0.9 }, schedule: { name: 'warmup', warmup: 10 } });
      const summary = await train({ graph: mlpGraph('plain'), train: spec, engine, runDir: dir, data: blobs([16]), checkpointEvery: 1 });
      return { summary: results(summary), metrics: readFileSync(join(dir, 'metrics.jsonl'), 'utf8'), last: readFileSync(join(dir, 'last.safetensors')) };
    };
    const a = await diverging(asyncReferenceEngine());
    const b = await diverging(referenceEngine());
    expect(a.summary.status).toBe('diverged');
    expect({ ...a.summary, message: a.summary.message?.replace(/\/tmp\S+/g, '') }).toEqual({ ...b.summary, message: b.summary.message?.replace(/\/tmp\S+/g, '') });
    expect(a.metrics).toBe(b.metrics);
    expect(a.last.equals(b.last)).toBe(true);
  });
});
