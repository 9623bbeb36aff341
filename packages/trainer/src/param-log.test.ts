import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { blobs, convGraph, mlpGraph, recipe, referenceEngine, tempDir } from '../test/fixtures';
import { readCheckpoint } from './checkpoint';
import { resumeRun } from './resume';
import { train } from './train';

const records = (dir: string) =>
  readFileSync(join(dir, 'metrics.jsonl'), 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l));

describe("log_params_every: the blocks' scalars, gradient norms and weight norms in metrics.jsonl", () => {
  it("at SkipInit's first step the branch weights get no gradient, so |alpha_1| = lr * grad_norm (plain SGD)", async () => {
    const dir = tempDir('params');
    const spec = recipe({ steps: 4, logParamsEvery: 1, optimizer: { name: 'sgd', lr: 0.05 }, schedule: { name: 'constant' } });
    await train({ graph: mlpGraph('skipinit', 3), train: spec, engine: referenceEngine(), runDir: dir, data: blobs([16]) });
    const all = records(dir);
    expect(all[0]).toEqual({ type: 'params_layout', blocks: ['block1', 'block2', 'block3'], alpha_learnable: [true, true, true], scalars: [[], [], []], stages: ['stem', 'blocks', 'head'] });
    const params = all.filter((r) => r.type === 'params');
    expect(params.map((r) => r.step)).toEqual([1, 2, 3, 4]);
    const first = params[0];
    for (let b = 0; b < 3; b++) {
      expect(first.grad_norm[b]).toBeGreaterThan(0);
      expect(Math.abs(first.alpha[b])).toBeCloseTo(0.05 * first.grad_norm[b], 6);
    }
    expect(Object.keys(first.weight_norm)).toEqual(['stem', 'blocks', 'head']);
    // The last record's alphas are the checkpoint's.
    const last = readCheckpoint(join(dir, 'last.safetensors'));
    expect(params[3].alpha).toEqual([1, 2, 3].map((b) => Math.fround(last.tensors.get(`block${b}.alpha`)!.data[0])));
    const w = last.tensors.get('head.weight')!.data;
    expect(params[3].weight_norm.head).toBeCloseTo(Math.sqrt(Array.from(w).reduce((a, v) => a + v * v, 0)), 5);
  });

  it("records Fixup's scalar biases per block, and nothing when log_params_every is 0", async () => {
    const dir = tempDir('fixup');
    await train({ graph: mlpGraph('fixup', 2), train: recipe({ steps: 4, logParamsEvery: 2 }), engine: referenceEngine(), runDir: dir, data: blobs([16]) });
    const [layout, ...rest] = records(dir);
    expect(layout.scalars[0]).toEqual(['block1.bias1', 'block1.bias2', 'block1.bias3', 'block1.bias4', 'block1.bias5']);
    const p = rest.find((r) => r.type === 'params');
    expect(p.scalars[0]).toHaveLength(5);
    expect(p.scalars[0].some((v: number) => v !== 0)).toBe(true);
    const off = tempDir('off');
    await train({ graph: mlpGraph('skipinit', 2), train: recipe({ steps: 4, logParamsEvery: 0 }), engine: referenceEngine(), runDir: off, data: blobs([16]) });
    expect(records(off).filter((r) => r.type.startsWith('params'))).toEqual([]);
  });

  it('keeps exact resume: interrupted at step 5 and resumed, metrics.jsonl is byte for byte the uninterrupted one', async () => {
    const spec = recipe({ epochs: 2, seed: 4, logParamsEvery: 3 });
    const data = blobs([1, 8, 8]);
    const full = tempDir('pfull');
    await train({ graph: convGraph(), train: spec, engine: referenceEngine(), runDir: full, data, checkpointEvery: 2 });
    const dir = tempDir('pcut');
    const abort = new AbortController();
    await train({ graph: convGraph(), train: spec, engine: referenceEngine(), runDir: dir, data, checkpointEvery: 2, signal: abort.signal, callbacks: { batchEnd: (e) => void (e.step === 5 ? abort.abort() : undefined) } });
    await resumeRun({ runDir: dir, engine: referenceEngine(), data });
    const text = readFileSync(join(dir, 'metrics.jsonl'), 'utf8');
    expect(text).toBe(readFileSync(join(full, 'metrics.jsonl'), 'utf8'));
    expect(records(dir).filter((r) => r.type === 'params').map((r) => r.step)).toEqual([3, 6, 9, 12]);
  });
});
