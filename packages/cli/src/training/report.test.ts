// Off a terminal (a log file, CI), a long epoch still shows progress: a line whenever PROGRESS_EVERY_MS pass
// without one. On a terminal the bar does that job and no such lines are written.
import type { BatchEndEvent } from '@skipinit/trainer';
import { describe, expect, it } from 'vitest';
import type { Io } from '../io';
import { PROGRESS_EVERY_MS, reporter } from './report';

function captured(tty: boolean): { io: Io; text: () => string } {
  let text = '';
  const out = { write: (t: string) => void (text += t), isTTY: tty };
  return { io: { stdout: out, stderr: out, env: {}, cwd: '/', readFile: async () => '', writeFile: async () => {} }, text: () => text };
}

const batch = (step: number): BatchEndEvent => ({
  type: 'batchEnd',
  step,
  total_steps: 1000,
  epoch: 0,
  batch: step - 1,
  loss: 2,
  accuracy: 0.25,
  lr: 0.1,
  examples_per_s: 80,
  elapsed_s: step,
  eta_s: 1000 - step,
});

function drive(tty: boolean): string {
  const c = captured(tty);
  let clock = 0;
  const r = reporter(c.io, { json: false, backend: ['reference'], command: 'train', target: 'x.arch', now: () => clock });
  // one step per second of the fake clock, 25 steps
  for (let step = 1; step <= 25; step++) {
    clock = step * 1000;
    void r.callbacks.onEvent!(batch(step));
  }
  return c.text();
}

describe('progress off a terminal', () => {
  it(`writes a progress line every ${PROGRESS_EVERY_MS / 1000} s without other output`, () => {
    const lines = drive(false).split('\n').filter(Boolean);
    expect(lines).toEqual([
      '  1%  step 10/1000  epoch 1/1  loss 2.0000  acc 25.00%  80.0 ex/s  ETA 16m30s',
      '  2%  step 20/1000  epoch 1/1  loss 2.0000  acc 25.00%  80.0 ex/s  ETA 16m20s',
    ]);
  });

  it('on a terminal draws the bar instead', () => {
    const text = drive(true);
    expect(text).toContain('\r\x1b[K[');
    expect(text.split('\n').filter(Boolean)).toHaveLength(1); // the bar is redrawn in place, no line ends
  });
});
