// What a user gets from npm: `npm pack` the CLI and every workspace package it depends on, install the
// tarballs into an empty project (third-party dependencies come from the registry or npm's cache), and run
// the installed binary there: compile, a 5-step train, --version. Also checks what the tarballs hold: a
// LICENSE, no tests. Needs the packages built (npm ci builds them), as the published tarballs would be.
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';

const run = promisify(execFile);
const ROOT = join(import.meta.dirname, '..', '..', '..');
const dirOf = (name: string): string => join(ROOT, 'packages', name.slice('@skipinit/'.length));
const manifestOf = (name: string) => JSON.parse(readFileSync(join(dirOf(name), 'package.json'), 'utf8')) as { version: string; dependencies?: Record<string, string> };
/** The CLI and every workspace package it needs, directly or through another (e.g. @skipinit/random under tensor). */
function workspaceClosure(root: string): string[] {
  const seen = new Set<string>([root]);
  for (const name of seen) for (const d of Object.keys(manifestOf(name).dependencies ?? {})) if (d.startsWith('@skipinit/')) seen.add(d);
  return [...seen];
}
const cliPackage = manifestOf('@skipinit/cli');
const workspace = workspaceClosure('@skipinit/cli');
const built = workspace.every((p) => existsSync(join(dirOf(p), 'dist', 'index.js')));

/** npm without the npm_* settings of the `npm test` that runs this (workspace flags and the like). */
const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.toLowerCase().startsWith('npm_')));
const npm = (args: string[], cwd: string) => run('npm', args, { cwd, env: { ...env, npm_config_update_notifier: 'false' }, maxBuffer: 64 * 2 ** 20, timeout: 240_000 });

const SPEC = `model tiny {
  input 1x28x28
  flatten
  dense 32
  resblock x 2, kind=mlp, width=32, norm=none, init=skipinit
  relu
  dense 10
}
train {
  data mnist, batch=32
  adamw lr=0.003, clip_grad_norm=1
  steps 5
}
`;

describe.skipIf(!built)('npm pack and install', () => {
  const scratch = mkdtempSync(join(tmpdir(), 'skipinit-pack-'));
  const project = join(scratch, 'project');
  const bin = join(project, 'node_modules', '@skipinit', 'cli', 'bin', 'skipinit.js');
  const skipinit = (...args: string[]) => run(process.execPath, [bin, ...args], { cwd: project, env: { ...env, NO_COLOR: '1' }, timeout: 120_000 });

  beforeAll(async () => {
    const t0 = performance.now();
    await npm(['pack', '--pack-destination', scratch, ...workspace.flatMap((w) => ['-w', w])], ROOT);
    const tarballs = readdirSync(scratch).filter((f) => f.endsWith('.tgz'));
    expect(tarballs).toHaveLength(workspace.length);
    mkdirSync(project);
    writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'try-skipinit', version: '1.0.0', private: true, type: 'module' }));
    writeFileSync(join(project, 'tiny.arch'), SPEC);
    await npm(['install', '--no-audit', '--no-fund', '--prefer-offline', ...tarballs.map((t) => join(scratch, t))], project);
    console.log(`npm pack + install of ${workspace.length} packages: ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  }, 300_000);

  it('installs every package with a LICENSE and without its tests', () => {
    for (const name of workspace) {
      const dir = join(project, 'node_modules', name);
      expect(existsSync(join(dir, 'LICENSE')), `${name} LICENSE`).toBe(true);
      const files = readdirSync(dir, { recursive: true }) as string[];
      expect(files.filter((f) => /\.test\.ts$/.test(f)), name).toEqual([]);
      const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
      expect(pkg, name).toMatchObject({ license: 'MIT', repository: { type: 'git' }, homepage: expect.any(String), bugs: { url: expect.any(String) }, publishConfig: { access: 'public' } });
    }
  });

  it('the installed binary compiles, prints its version, and trains 5 steps', async () => {
    const compiled = await skipinit('compile', 'tiny.arch');
    expect(compiled.stdout).toMatch(/^tiny\.arch: ok\n {2}model tiny: 1x28x28 -> 10, 2 residual blocks/);
    expect((await skipinit('--version')).stdout).toBe(`skipinit ${cliPackage.version}\n`);
    const trained = await skipinit('train', 'tiny.arch', '--out', 'run', '--json');
    const events = trained.stdout.trim().split('\n').map((l) => JSON.parse(l) as { type: string; steps?: number; status?: string });
    expect(events.at(-1)).toMatchObject({ type: 'end', status: 'completed', steps: 5 });
    expect(readdirSync(join(project, 'run')).sort()).toEqual(['best.safetensors', 'config.json', 'last.safetensors', 'metrics.jsonl', 'spec.arch', 'summary.json', 'timing.jsonl']);
  }, 180_000);
});
