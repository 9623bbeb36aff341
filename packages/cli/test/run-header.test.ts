// The run header's backend lines: the mode that runs, then one short line per better mode skipped; the
// full reasons under --verbose and in config.json. Auto-selection runs here, so the skipped modes are this
// machine's (webgpu and headlessgl on a machine without a GPU): the test checks the form, not the list.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../src/main';
import { shortReason } from '../src/training/backend-report';
import { trainingIo } from './training-io';

const SPEC = `model tiny {
  input 16
  dense 8
  resblock x 1, kind=mlp, width=8, norm=none, init=skipinit
  head 3
}
train {
  data blobs, batch=16, limit=32
  sgd lr=0.05
  steps 2, seed=0
}
`;

async function header(verbose: boolean) {
  const io = trainingIo();
  writeFileSync(join(io.cwd, 'tiny.arch'), SPEC);
  expect(await main(['train', 'tiny.arch', '--out', 'run', ...(verbose ? ['--verbose'] : [])], io), io.err()).toBe(0);
  const lines = io.out().split('\n');
  const at = lines.findIndex((l) => l.startsWith('  backend  '));
  const rest = lines.slice(at + 1).filter((l) => l.startsWith('           skipped '));
  const config = JSON.parse(readFileSync(join(io.cwd, 'run', 'config.json'), 'utf8'));
  return { head: lines[at], skipped: rest.map((l) => l.trim()), config };
}

describe('the run header', () => {
  it('one line for the mode, one short line per skipped mode; --verbose and config.json keep the full reasons', async () => {
    const short = await header(false);
    const skipped: { mode: string; reason: string }[] = short.config.backend.selection.skipped;
    expect(short.head).toMatch(/^ {2}backend {2}gpu\.js mode '\w+': [^;]+$/);
    expect(short.skipped).toEqual(skipped.map((s) => `skipped ${s.mode}: ${shortReason(s.reason)}`));
    for (const s of skipped) expect(shortReason(s.reason).length).toBeLessThanOrEqual(60);
    expect(short.config.backend.description).toContain(skipped.map((s) => `${s.mode}: ${s.reason}`).join('; '));
    const verbose = await header(true);
    expect(verbose.skipped).toEqual(skipped.map((s) => `skipped ${s.mode}: ${s.reason}`));
  });
});
