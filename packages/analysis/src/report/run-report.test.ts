// `skipinit plot RUN_DIR` of a short run: one evaluation must not stretch the axes (an accuracy past 100%,
// a step axis of 99-101), and the title names the run, not its number alone.
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { runAscii, runFiles, runLabel } from './run-report';

function runDir(records: object[], config: object | null): string {
  const dir = join(mkdtempSync(join(tmpdir(), 'skipinit-run-report-')), 'runs', 'tiny', '1');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'metrics.jsonl'), records.map((r) => `${JSON.stringify(r)}\n`).join(''));
  if (config) writeFileSync(join(dir, 'config.json'), JSON.stringify(config));
  return dir;
}

describe('run plots', () => {
  const records = [
    ...[98, 99, 100].map((step) => ({ type: 'step', step, epoch: 0, batch: step - 1, loss: 2 - step / 100, accuracy: 0.5, lr: 0.1 })),
    { type: 'eval', step: 100, epoch: 0, split: 'test', loss: 0.9, accuracy: 0.91, correct: 91, examples: 100 },
  ];

  test('one evaluation: the accuracy axis runs from 0% to 100% and the step axis from 0', () => {
    const text = runAscii(runDir(records, { name: 'tiny_mlp' }), { width: 20, height: 5 });
    const [, accuracy] = text.split('tiny_mlp/1: evaluation accuracy');
    const ticks = accuracy.split('\n').filter((l) => /^\s+\S+ \+/.test(l)).map((l) => l.trim().split(' ')[0]);
    expect(ticks).toEqual(['1', '0.5', '0']);
    const xAxis = accuracy.split('\n').find((l) => /^\s+0\s+50\s+100$/.test(l));
    expect(xAxis, accuracy).toBeDefined();
    expect(text).not.toMatch(/\b99\b|\b101\b|1\.5\b/);
  });

  test("titles name the run by its model and number (config.json's name), else by its directories", async () => {
    const dir = runDir(records, { name: 'tiny_mlp' });
    expect(runLabel(dir)).toBe('tiny_mlp/1');
    expect(runLabel(runDir(records, null))).toBe('tiny/1');
    const files = await runFiles(dir);
    const spec = files.find((f) => f.name.endsWith('.vl.json'));
    expect(spec && String(spec.content)).toContain('Training curves: tiny_mlp/1');
  });
});
