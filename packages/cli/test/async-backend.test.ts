// The commands on a backend that reads only asynchronously (WebGPU's kind): `--backend reference-async`,
// the float64 reference backend whose synchronous read throws, must give exactly what `--backend
// reference` gives: train, Ctrl-C and resume, eval, analyze.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../src/main';
import { runTrain } from '../src/commands/train';
import { trainingIo } from './training-io';

const SPEC = `model tiny {
  input 16
  dense 16
  resblock x 2, kind=mlp, width=16, norm=bn, init=skipinit
  relu
  head 10
}
train {
  data blobs, batch=16, limit=64, validation=0.25
  sgd lr=0.05, momentum=0.9
  epochs 3, seed=1
}
`;

function setUp() {
  const io = trainingIo();
  writeFileSync(join(io.cwd, 'tiny.arch'), SPEC);
  return io;
}
const file = (io: { cwd: string }, ...p: string[]) => readFileSync(join(io.cwd, ...p));
const summaryOf = (io: { cwd: string }, dir: string) => {
  const { run_dir: _r, elapsed_s: _e, examples_per_s: _x, checkpoints: _c, ...rest } = JSON.parse(file(io, dir, 'summary.json').toString());
  return rest;
};

describe('--backend reference-async (reads only asynchronously) gives the reference backend results', () => {
  it('train, an interrupted train resumed, and eval', async () => {
    const sync = setUp();
    expect(await main(['train', 'tiny.arch', '--backend', 'reference', '--out', 'run'], sync)).toBe(0);
    const full = setUp();
    expect(await main(['train', 'tiny.arch', '--backend', 'reference-async', '--out', 'run'], full)).toBe(0);
    expect(full.err()).toBe('');
    expect(full.out()).toMatch(/backend {2}reference-async \(float64 plain loops, reading only asynchronously/);
    for (const f of ['metrics.jsonl', 'last.safetensors', 'best.safetensors']) expect(file(full, 'run', f).equals(file(sync, 'run', f)), f).toBe(true);
    expect(summaryOf(full, 'run')).toEqual(summaryOf(sync, 'run'));

    const cut = setUp();
    const abort = new AbortController();
    const code = await runTrain(['tiny.arch', '--backend', 'reference-async', '--out', 'run'], cut, {
      signal: abort.signal,
      callbacks: { batchEnd: (e) => void (e.step === 5 ? abort.abort() : undefined) },
    });
    expect(code).toBe(130);
    const resumed = trainingIo({ cwd: cut.cwd });
    expect(await main(['resume', 'run', '--backend', 'reference-async'], resumed)).toBe(0);
    for (const f of ['metrics.jsonl', 'last.safetensors']) expect(file(cut, 'run', f).equals(file(sync, 'run', f)), f).toBe(true);

    for (const split of ['test', 'validation']) {
      const evals = await Promise.all(
        ['reference', 'reference-async'].map(async (backend) => {
          const io = trainingIo({ cwd: sync.cwd });
          expect(await main(['eval', 'run', '--data', split, '--json', '--backend', backend], io)).toBe(0);
          const { backend: _b, ...rest } = JSON.parse(io.out());
          return rest;
        }),
      );
      expect(evals[1]).toEqual(evals[0]);
    }
  });

  it('analyze', async () => {
    const outputs = [];
    for (const backend of ['reference', 'reference-async']) {
      const io = setUp();
      expect(await main(['analyze', 'tiny.arch', '--backend', backend, '--schemes', 'plain,bn,skipinit', '--json'], io)).toBe(0);
      outputs.push(io.out());
    }
    expect(outputs[1]).toBe(outputs[0]);
    expect(JSON.parse(outputs[0]).reports).toHaveLength(3);
  });
});
