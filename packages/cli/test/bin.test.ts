// The real binary, as `npx skipinit` runs it: it loads the BUILT packages (dist), so this runs only where
// they are built (npm ci builds them; so does `npx nx run-many -t build`). The in-process tests cover the rest.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from './memory-io';

// The binary loads the whole CLI, so every @skipinit package it depends on must be built.
const deps = Object.keys(JSON.parse(readFileSync(join(ROOT, 'packages', 'cli', 'package.json'), 'utf8')).dependencies ?? {});
const built = ['cli', ...deps.filter((d) => d.startsWith('@skipinit/')).map((d) => d.slice('@skipinit/'.length))].every((p) =>
  existsSync(join(ROOT, 'packages', p, 'dist', 'index.js')),
);
const bin = join(ROOT, 'packages', 'cli', 'bin', 'skipinit.js');

const skipinit = (...args: string[]) => spawnSync(process.execPath, [bin, ...args], { cwd: ROOT, encoding: 'utf8', timeout: 60_000 });

describe.skipIf(!built)('bin/skipinit.js (built packages)', () => {
  it('compiles an example (exit 0) and reports a broken one (exit 65), a missing one (exit 66)', () => {
    const ok = skipinit('compile', 'examples/deep-mlp.arch');
    expect(ok.status).toBe(0);
    expect(ok.stdout).toContain('examples/deep-mlp.arch: ok');
    const bad = skipinit('compile', 'packages/dsl/test/golden/invalid/sem-unknown-init.arch');
    expect(bad.status).toBe(65);
    expect(bad.stderr).toContain("error[sem/unknown-init]: unknown init 'skipint'; did you mean 'skipinit'?");
    expect(skipinit('compile', 'missing.arch').status).toBe(66);
    expect(skipinit('frobnicate').status).toBe(64);
  });

  it('analyzes on a backend that reads only asynchronously (reference-async) exactly as on the reference backend', () => {
    const args = ['analyze', 'examples/deep-mlp.arch', '--set', 'depth=6', '--set', 'width=16', '--schemes', 'plain,bn,skipinit', '--batch', '8', '--json'];
    const [sync, async_] = ['reference', 'reference-async'].map((backend) => skipinit(...args, '--backend', backend));
    expect(async_.status, async_.stderr).toBe(0);
    expect(sync.status, sync.stderr).toBe(0);
    expect(async_.stdout).toBe(sync.stdout);
    expect(JSON.parse(async_.stdout).reports).toHaveLength(3);
  });

  it("on auto, Dawn is asked for an adapter in a child process: its native messages stay off the command's stderr", () => {
    const out = join(tmpdir(), `skipinit-bin-auto-${process.pid}`);
    const r = skipinit('analyze', 'examples/deep-mlp.arch', '--set', 'depth=6', '--set', 'width=16', '--schemes', 'plain', '--batch', '8', '--out', out);
    rmSync(out, { recursive: true, force: true });
    expect(r.status, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/backend gpu\.js mode '\w+'/);
    expect(r.stderr).not.toMatch(/XDG_RUNTIME_DIR|^Warning: |While initializing adapter|artificially reduced/m);
  });

  it('ships no chevrotain type in the dsl package declarations', () => {
    expect(readFileSync(join(ROOT, 'packages', 'dsl', 'dist', 'index.d.ts'), 'utf8')).not.toMatch(/chevrotain|IToken|CstNode/);
  });
});
