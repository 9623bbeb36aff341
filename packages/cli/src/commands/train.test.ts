import { existsSync, readFileSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { trainingIo } from '../../test/training-io';
import { main } from '../main';
import { runEval } from './eval';
import { runResume } from './resume';
import { runTrain } from './train';

// A tiny residual MLP on synthetic gaussian blobs: quick on the float64 reference backend.
const SPEC = `let init = skipinit
let lr = 0.05
model tiny {
  input 16
  dense 16
  resblock x 2, kind=mlp, width=16, norm=none, init=init
  relu
  head 10
}
train {
  data blobs, batch=16, limit=96
  sgd lr=lr, momentum=0.9, nesterov=true
  epochs 3, seed=0
}
`;

function setUp(spec = SPEC) {
  const io = trainingIo();
  writeFileSync(join(io.cwd, 'tiny.arch'), spec);
  return io;
}

const lines = (text: string) => text.trim().split('\n');

describe('skipinit train', () => {
  it('trains into runs/<model>/1 with one line per epoch and evaluation off a terminal', async () => {
    const io = setUp();
    const code = await main(['train', 'tiny.arch', '--backend', 'reference'], io);
    expect(io.err()).toBe('');
    expect(code).toBe(0);
    const dir = join(io.cwd, 'runs', 'tiny', '1');
    for (const f of ['spec.arch', 'config.json', 'metrics.jsonl', 'timing.jsonl', 'summary.json', 'last.safetensors', 'best.safetensors']) {
      expect(existsSync(join(dir, f)), f).toBe(true);
    }
    expect(readFileSync(join(dir, 'spec.arch'), 'utf8')).toBe(SPEC);
    const out = io.out();
    expect(out).toContain('skipinit train tiny.arch -> runs/tiny/1');
    expect(out).toMatch(/backend {2}reference \(float64/);
    expect(out).toMatch(/model {4}tiny: [\d,]+ parameters/);
    expect(out.match(/^epoch \d\/3 /gm)).toHaveLength(3);
    expect(out.match(/^eval {2}step \d+ {2}test /gm)).toHaveLength(3);
    expect(out).toMatch(/^done: test accuracy \d+\.\d\d% /m);
    expect(out).not.toContain('\r'); // no progress bar off a terminal
    // a second run takes the next number
    expect(await main(['train', 'tiny.arch', '--backend', 'reference', '--set', 'epochs=1'], io)).toBe(0);
    expect(existsSync(join(io.cwd, 'runs', 'tiny', '2', 'summary.json'))).toBe(true);
  });

  it('draws a progress bar with loss, accuracy, examples/s and ETA on a terminal', async () => {
    const io = trainingIo({ tty: true });
    writeFileSync(join(io.cwd, 'tiny.arch'), SPEC);
    expect(await main(['train', 'tiny.arch', '--backend', 'reference', '--set', 'epochs=1'], io)).toBe(0);
    const frames = io.out().split('\r\x1b[K'); // each redraw: carriage return, clear line, the bar
    expect(frames.length).toBeGreaterThan(1);
    expect(frames[1]).toMatch(/^\[[=> ]+\] +\d+% {2}step \d+\/6 {2}epoch 1\/1 {2}loss \d\.\d{4} {2}acc \d+\.\d\d% {2}[\d.]+ ex\/s {2}ETA \d+s/);
  });

  it('--json prints only JSON events on stdout; the last has the final metrics', async () => {
    const io = setUp();
    expect(await main(['train', 'tiny.arch', '--backend', 'reference', '--json', '--out', 'r'], io)).toBe(0);
    const events = lines(io.out()).map((l) => JSON.parse(l));
    expect(events[0].type).toBe('trainBegin');
    expect(events[0].config.backend.mode).toBe('reference');
    const end = events.at(-1);
    expect(end).toMatchObject({ type: 'end', status: 'completed', diverged: false, steps: 18 });
    expect(end.test_accuracy).toBeGreaterThan(0);
    expect(new Set(events.map((e) => e.type))).toEqual(new Set(['trainBegin', 'batchEnd', 'epochEnd', 'eval', 'checkpoint', 'end']));
    expect(io.err()).toMatch(/^skipinit train tiny.arch -> r; backend reference/);
  });

  it('Ctrl-C saves a checkpoint and exits 130; resume finishes with the uninterrupted metrics', async () => {
    const full = setUp();
    expect(await main(['train', 'tiny.arch', '--backend', 'reference', '--out', 'full'], full)).toBe(0);
    const io = setUp();
    const abort = new AbortController();
    // Ctrl-C during step 8 (epoch 2, batch 2): the loop stops at the end of the step.
    const code = await runTrain(['tiny.arch', '--backend', 'reference', '--out', 'run'], io, {
      signal: abort.signal,
      callbacks: { batchEnd: (e) => void (e.step === 8 ? abort.abort() : undefined) },
    });
    expect(code).toBe(130);
    expect(io.out()).toMatch(/interrupted at step 8 of 18; checkpoint saved\. Continue with: skipinit resume run\n/);
    const resumed = trainingIo({ cwd: io.cwd });
    expect(await runResume(['run'], resumed)).toBe(0);
    expect(resumed.out()).toMatch(/skipinit resume run -> run \(resuming at step 8\)/);
    expect(readFileSync(join(io.cwd, 'run', 'metrics.jsonl'), 'utf8')).toBe(readFileSync(join(full.cwd, 'full', 'metrics.jsonl'), 'utf8'));
  });

  it('a diverged run exits 3 with the message', async () => {
    const io = setUp();
    const code = await main(['train', 'tiny.arch', '--backend', 'reference', '--set', 'init=plain', '--set', 'lr=5000', '--out', 'd'], io);
    expect(code).toBe(3);
    expect(io.out()).toMatch(/training diverged at step \d+ \(epoch 1\): the loss .*Try a lower learning rate/);
    expect(JSON.parse(readFileSync(join(io.cwd, 'd', 'summary.json'), 'utf8')).diverged).toBe(true);
  });

  it('bad input is a clear error with its exit code, never a stack trace', async () => {
    const io = setUp();
    expect(await main(['train', 'nope.arch'], io)).toBe(66);
    expect(io.err()).toContain("cannot read 'nope.arch': no such file");
    const bad = setUp(SPEC.replace('init=init', 'init=skipnit'));
    expect(await main(['train', 'tiny.arch'], bad)).toBe(65);
    expect(bad.err()).toMatch(/tiny\.arch:\d+:\d+ error\[sem\/unknown-init\].*did you mean 'skipinit'/s);
    for (const [args, message] of [
      [['--set', 'lr'], /--set takes name=value/],
      [['--set', 'lrr=0.1'], /--set lrr.*did you mean 'lr'/s],
      [['--backend', 'tpu'], /--backend must be one of auto, webasm, cpu, headlessgl, webgpu, reference, reference-async, got 'tpu'/],
      [['--checkpoint-every', '0'], /--checkpoint-every takes a whole number >= 1/],
      [['--threads', 'two'], /--threads takes 'auto' or a whole number from 1 to 64, got 'two'/],
      [['--backend', 'cpu', '--threads', '2'], /--threads 2 splits webasm kernels; --backend cpu runs on one thread/],
      [['--frobnicate'], /unknown option '--frobnicate'/],
    ] as const) {
      const u = setUp();
      expect(await main(['train', 'tiny.arch', ...args], u), args.join(' ')).toBe(64);
      expect(u.err()).toMatch(message);
    }
    const cifar = setUp(SPEC.replace('input 16', 'input 3x32x32\n  flatten').replace('data blobs, batch=16, limit=96', 'data cifar10, batch=16'));
    expect(await main(['train', 'tiny.arch', '--backend', 'reference'], cifar)).toBe(65);
    expect(cifar.err()).toMatch(/data cifar10 needs path=DIR/);
    expect(existsSync(join(cifar.cwd, 'runs', 'tiny', '1'))).toBe(false); // nothing left behind
    const missing = setUp(SPEC.replace('input 16', 'input 3x32x32\n  flatten').replace('data blobs, batch=16, limit=96', 'data cifar10, batch=16, path="no/such/dir"'));
    expect(await main(['train', 'tiny.arch', '--backend', 'reference'], missing)).toBe(66);
    expect(missing.err()).toMatch(/no\/such\/dir/);
    const out = setUp();
    expect(await main(['train', 'tiny.arch', '--backend', 'reference', '--set', 'epochs=1', '--out', 'o'], out)).toBe(0);
    expect(await main(['train', 'tiny.arch', '--backend', 'reference', '--out', 'o'], out)).toBe(73);
    expect(out.err()).toMatch(/already holds a run/);
    for (const io2 of [io, bad, cifar, missing, out]) expect(io2.err()).not.toMatch(/\n\s+at /);
  });
});

describe('skipinit eval and resume', () => {
  it('evaluates the best checkpoint; refuses a truncated one naming the file', async () => {
    const io = setUp();
    expect(await main(['train', 'tiny.arch', '--backend', 'reference', '--out', 'r'], io)).toBe(0);
    const summary = JSON.parse(readFileSync(join(io.cwd, 'r', 'summary.json'), 'utf8'));
    const e1 = trainingIo({ cwd: io.cwd });
    expect(await runEval(['r', '--backend', 'reference', '--json'], e1)).toBe(0);
    const r = JSON.parse(e1.out());
    expect(r).toMatchObject({ type: 'eval', split: 'test', step: summary.best.step, accuracy: summary.best.accuracy });
    const e2 = trainingIo({ cwd: io.cwd });
    expect(await runEval(['r', '--backend', 'reference', '--checkpoint', 'last', '--data', 'train'], e2)).toBe(0);
    expect(e2.out()).toMatch(/^train accuracy \d+\.\d\d% \(\d+\/96\), loss \d\.\d{4}\n {2}checkpoint r\/last\.safetensors \(step 18\)/);
    truncateSync(join(io.cwd, 'r', 'last.safetensors'), 100);
    const e3 = trainingIo({ cwd: io.cwd });
    expect(await runEval(['r', '--backend', 'reference', '--checkpoint', 'last'], e3)).toBe(65);
    expect(e3.err()).toMatch(/last\.safetensors: not a valid safetensors file: .*truncated/);
    const e4 = trainingIo({ cwd: io.cwd });
    expect(await runResume(['r'], e4)).toBe(65);
    expect(e4.err()).toMatch(/last\.safetensors: not a valid safetensors file/);
    const e5 = trainingIo({ cwd: io.cwd });
    expect(await runEval(['nowhere'], e5)).toBe(66);
    expect(e5.err()).toMatch(/nowhere: not a run directory \(no config.json\)/);
    const e6 = trainingIo({ cwd: io.cwd });
    expect(await main(['eval', 'r', '--data', 'validation', '--backend', 'reference'], e6)).toBe(66);
    expect(e6.err()).toMatch(/holds out no validation split/);
  });
});
