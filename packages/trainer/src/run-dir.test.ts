import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { JsonLines } from './json-lines';
import { claimRunDirectory, createRunDirectory, safeRunName } from './run-dir';

describe('run directories', () => {
  it('take the next free integer under runs/<name>/', () => {
    const root = mkdtempSync(join(tmpdir(), 'skipinit-runs-'));
    expect(createRunDirectory(root, 'mnist_resnet')).toBe(join(root, 'mnist_resnet', '1'));
    expect(createRunDirectory(root, 'mnist_resnet')).toBe(join(root, 'mnist_resnet', '2'));
    expect(createRunDirectory(root, 'other')).toBe(join(root, 'other', '1'));
  });

  it('make names safe as a path component', () => {
    expect(safeRunName('a/b c')).toBe('a_b_c');
    expect(safeRunName('..')).toBe('_');
    expect(safeRunName('')).toBe('run');
  });

  it('refuse an --out directory that already holds a run', () => {
    const dir = mkdtempSync(join(tmpdir(), 'skipinit-out-'));
    expect(claimRunDirectory(join(dir, 'x'))).toBe(join(dir, 'x'));
    writeFileSync(join(dir, 'x', 'config.json'), '{}');
    expect(() => claimRunDirectory(join(dir, 'x'))).toThrow(/already holds a run .*skipinit resume/);
  });
});

describe('JsonLines', () => {
  it('appends one object per line and truncates to a recorded length', () => {
    const path = join(mkdtempSync(join(tmpdir(), 'skipinit-jl-')), 'metrics.jsonl');
    const log = new JsonLines(path);
    log.append({ step: 1, loss: 2.5 });
    const mark = log.size;
    log.append({ step: 2, loss: 2.25 });
    log.close();
    expect(readFileSync(path, 'utf8')).toBe('{"step":1,"loss":2.5}\n{"step":2,"loss":2.25}\n');
    const resumed = new JsonLines(path, { truncateTo: mark });
    resumed.append({ step: 2, loss: 2.0 });
    resumed.close();
    expect(readFileSync(path, 'utf8')).toBe('{"step":1,"loss":2.5}\n{"step":2,"loss":2}\n');
    expect(() => new JsonLines(path, { truncateTo: 10_000 })).toThrow(/cut short/);
    expect(existsSync(path)).toBe(true);
  });
});
