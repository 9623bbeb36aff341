import { mkdtempSync, readdirSync, readFileSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { writeFileAtomic } from './atomic-write';
import { CheckpointError, readCheckpoint, writeCheckpoint } from './checkpoint';
import type { Checkpoint } from './checkpoint';

const dir = mkdtempSync(join(tmpdir(), 'skipinit-ckpt-'));

const sample = (step: number): Checkpoint => ({
  tensors: new Map([
    ['stem.weight', { shape: [2, 3], data: new Float32Array([1, 2, 3, 4, 5, 6].map((v) => v * step)) }],
    ['optim.velocity.stem.weight', { shape: [2, 3], data: new Float32Array(6).fill(0.5) }],
    ['bn.running_var', { shape: [2], data: new Float64Array([0.1, 0.2]) }],
  ]),
  meta: {
    step,
    epoch: 1,
    configHash: 'sha256:abc',
    rng: { dropout: { algorithm: 'xoshiro128**', s: [1, 2, 3, 4], spare: null } },
    loader: { epoch: 1, batch: 3 },
    progress: { sums: { loss: 1.5 } },
    graph: { name: 'g', nodes: [] },
  },
});

describe('checkpoints', () => {
  it('round-trip tensors (F32 and F64) and metadata', () => {
    const path = join(dir, 'a.safetensors');
    writeCheckpoint(path, sample(3));
    const c = readCheckpoint(path);
    expect(c.meta).toEqual(sample(3).meta);
    expect(c.tensors.get('stem.weight')).toEqual({ shape: [2, 3], data: new Float32Array([3, 6, 9, 12, 15, 18]) });
    expect(c.tensors.get('bn.running_var')!.data).toBeInstanceOf(Float64Array);
    expect(Array.from(c.tensors.get('bn.running_var')!.data)).toEqual([0.1, 0.2]);
  });

  it('refuse a truncated file, naming it and saying what is wrong', () => {
    const path = join(dir, 'truncated.safetensors');
    writeCheckpoint(path, sample(1));
    const size = readFileSync(path).length;
    truncateSync(path, size - 10);
    expect(() => readCheckpoint(path)).toThrow(CheckpointError);
    expect(() => readCheckpoint(path)).toThrow(new RegExp(`^${path.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: not a valid safetensors file: .*truncated file`));
    truncateSync(path, 5);
    expect(() => readCheckpoint(path)).toThrow(/fewer than the 8-byte header length/);
  });

  it('refuse a missing file and a safetensors file that is not a skipinit checkpoint', () => {
    expect(() => readCheckpoint(join(dir, 'nope.safetensors'))).toThrow(/nope.safetensors: no such checkpoint file/);
    try {
      readCheckpoint(join(dir, 'nope.safetensors'));
    } catch (e) {
      expect((e as CheckpointError).code).toBe('checkpoint/missing');
    }
    const other = join(dir, 'other.safetensors');
    writeFileSync(other, readFileSync(new URL('../test/fixtures/reference-0.8.0.safetensors', import.meta.url)));
    expect(() => readCheckpoint(other)).toThrow(/not a skipinit checkpoint: metadata 'format' is null/);
  });

  it('are replaced atomically: a write that fails part-way leaves the previous file intact and no temporary file', () => {
    const path = join(dir, 'last.safetensors');
    writeCheckpoint(path, sample(1));
    const before = readFileSync(path);
    // A chunk list whose third chunk cannot be produced: the write fails after the first bytes went out.
    const failing = new Proxy([new Uint8Array(64), new Uint8Array(64), new Uint8Array(64)], {
      get(target, key, receiver) {
        if (key === '2') throw new Error('disk full (simulated)');
        return Reflect.get(target, key, receiver);
      },
    });
    expect(() => writeFileAtomic(path, failing)).toThrow(/disk full/);
    expect(readFileSync(path).equals(before)).toBe(true);
    expect(readCheckpoint(path).meta.step).toBe(1);
    expect(readdirSync(dir).filter((f) => f.includes('.tmp-'))).toEqual([]);
    writeCheckpoint(path, sample(2));
    expect(readCheckpoint(path).meta.step).toBe(2);
  });
});
