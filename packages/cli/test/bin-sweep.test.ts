// `npx skipinit sweep` through the real binary (bin/skipinit.js over the BUILT packages), as a new user runs
// it. The binary only sets process.exitCode, so a worker that keeps a handle open (its stdin) never exits and
// the sweep hangs after its first cell; the launchers of the other tests call process.exit and hid that.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ROOT } from './memory-io';

const deps = Object.keys(JSON.parse(readFileSync(join(ROOT, 'packages', 'cli', 'package.json'), 'utf8')).dependencies ?? {});
const built = ['cli', ...deps.filter((d) => d.startsWith('@skipinit/')).map((d) => d.slice('@skipinit/'.length))].every((p) =>
  existsSync(join(ROOT, 'packages', p, 'dist', 'index.js')),
);
const bin = join(ROOT, 'packages', 'cli', 'bin', 'skipinit.js');
const spec = join(ROOT, 'packages', 'cli', 'test', 'fixtures', 'tiny-sweep.arch');
const scratch = mkdtempSync(join(tmpdir(), 'skipinit-bin-sweep-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

interface Ran {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
  readonly hung: boolean;
}

/** Runs the binary; a run still going after `limitMs` is killed and reported as hung. */
function skipinit(args: string[], limitMs: number): Promise<Ran> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [bin, ...args], { cwd: scratch, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    let hung = false;
    child.stdout.on('data', (c) => (stdout += c));
    child.stderr.on('data', (c) => (stderr += c));
    const timer = setTimeout(() => {
      hung = true;
      child.kill('SIGKILL');
    }, limitMs);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr, hung });
    });
  });
}

describe.skipIf(!built)('skipinit sweep through bin/skipinit.js (built packages)', () => {
  it('runs every cell and exits 0 on its own; run again, it skips them and exits', async () => {
    const out = join(scratch, 'tiny');
    const first = await skipinit(['sweep', spec, '--out', out, '--threads', '1'], 50_000);
    expect(first.hung, `the sweep did not exit; stderr:\n${first.stderr}`).toBe(false);
    expect(first.code, first.stderr).toBe(0);
    expect(first.stderr).toMatch(/\[2\/2\] init=plain: completed/);
    expect(first.stdout).toContain('2 of 2 cells finished');
    expect(existsSync(join(out, 'results', 'results.csv'))).toBe(true);

    const again = await skipinit(['sweep', spec, '--out', out, '--threads', '1'], 30_000);
    expect(again.hung).toBe(false);
    expect(again.code).toBe(0);
    expect(again.stderr).not.toContain('starting');
  }, 90_000);
});
