// skipinit analyze, sweep and plot, in-process on small specs (the float64 reference backend; the sweep's
// workers are this CLI again, bundled from the sources).
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { bundleFromSource, cachePath } from '@skipinit/devtools/bundle';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXIT, main } from '../src/index';
import type { Io } from '../src/index';
import { runSweepCli } from '../src/commands/sweep';
import { defaultSweepDir } from '../src/analysis/sweep-dir';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');

/** The CLI's Io with captured output, reading real files, in the repository root. */
function memoryIo(): { io: Io; out: { stdout: string; stderr: string } } {
  const out = { stdout: '', stderr: '' };
  const io: Io = {
    stdout: { write: (t) => void (out.stdout += t), isTTY: false },
    stderr: { write: (t) => void (out.stderr += t), isTTY: false },
    env: {},
    cwd: ROOT,
    readFile: async (path) => {
      const full = resolve(ROOT, path);
      if (!existsSync(full)) throw Object.assign(new Error(`ENOENT: ${path}`), { code: 'ENOENT' });
      return readFileSync(full, 'utf8');
    },
    writeFile: async (path, text) => writeFileSync(resolve(ROOT, path), text),
  };
  return { io, out };
}

const SPEC = `# a tiny residual MLP on gaussian blobs
let init = skipinit
let depth = 3

model tiny {
  input 16
  dense 16
  resblock x depth, kind=mlp, width=16, norm=none, init=init
  relu
  head 10
}

train {
  data blobs, batch=32, limit=640
  sgd lr=0.05, momentum=0.9
  steps 30, eval_every=10, seed=1
}

sweep {
  init = [skipinit, plain]
  lr = [0.02, 0.2]
}
`;

const scratch = mkdtempSync(join(tmpdir(), 'cli-analysis-'));
const spec = join(scratch, 'tiny.arch');
writeFileSync(spec, SPEC);
let worker = '';

beforeAll(async () => {
  worker = await bundleFromSource({
    entry: join(import.meta.dirname, 'fixtures/cli-worker.ts'),
    outfile: cachePath('skipinit-cli-test', `cli-worker-${process.pid}.mjs`),
  });
});
afterAll(() => {
  rmSync(scratch, { recursive: true, force: true });
  rmSync(worker, { force: true });
});

async function run(argv: string[]) {
  const c = memoryIo();
  const code = await main(argv, c.io);
  return { code, ...c.out };
}

describe('skipinit analyze', () => {
  it('compares the schemes on the spec network: laws, overflow, a summary table; --ascii draws the chart', async () => {
    const r = await run(['analyze', spec, '--backend', 'reference', '--set', 'depth=40', '--ascii']);
    expect(r.code, r.stderr).toBe(EXIT.ok);
    expect(r.stdout).toContain('tiny: 40 residual blocks; forward pass at initialisation in train mode on 64 N(0, 1) inputs, seed 1');
    expect(r.stdout).toContain('plain: theory q_{l+1} = 2 q_l');
    expect(r.stdout).toContain('bn: theory q_{l+1} = q_l + 1');
    expect(r.stdout).toMatch(/\| skipinit +\| +40 \| none +\| none +\| 0 +\| 0 +\| 1 \(identity\)/);
    expect(r.stdout).toContain('skip-path variance at initialisation (log scale)');
    expect(r.stderr).toContain('backend reference');
  });

  it('reports where the plain network overflows float32 (and where the pass stopped)', async () => {
    const r = await run(['analyze', spec, '--backend', 'reference', '--set', 'depth=400', '--schemes', 'plain', '--batch', '4']);
    expect(r.code, r.stderr).toBe(EXIT.ok);
    expect(r.stdout).toMatch(/plain: theory q_\{l\+1\} = 2 q_l\n {2}values overflow float32 at block \d+ \(block\d+\), where the pass stopped; the theory says block \d+/);
  });

  it('--json: every report with per-block statistics, the overflow block and the theory; --out writes the plots', async () => {
    const out = join(scratch, 'analysis');
    const r = await run(['analyze', spec, '--backend', 'reference', '--schemes', 'spec,scaled', '--json', '--out', out]);
    expect(r.code, r.stderr).toBe(EXIT.ok);
    const f = JSON.parse(r.stdout);
    expect(f.format).toBe('skipinit.signal');
    expect(f.reports.map((x: { scheme: string }) => x.scheme)).toEqual(['tiny (as written)', 'scaled']);
    expect(f.reports[1].records).toHaveLength(3);
    expect(Object.keys(f.reports[1].records[0]).sort()).toEqual(['alpha', 'beta', 'branch', 'index', 'input', 'name', 'output', 'ratio', 'skip', 'theory']);
    expect(f.reports[1].theory.laws[0].law).toBe('q_{l+1} = 1.333 q_l');
    expect(f.summaries[0].identity).toBe(true);
    for (const name of ['signal.json', 'signal.md', 'variance.png', 'variance.svg', 'variance.vl.json', 'signal-panels.png']) expect(existsSync(join(out, name)), name).toBe(true);
  });

  it('usage and spec errors: unknown scheme (with a suggestion), bad mode, bad batch', async () => {
    const bad = await run(['analyze', spec, '--schemes', 'plain,skipint']);
    expect(bad.code).toBe(EXIT.usage);
    expect(bad.stderr).toContain("--schemes: unknown scheme 'skipint'; did you mean 'skipinit'?");
    expect((await run(['analyze', spec, '--mode', 'test'])).stderr).toContain("--mode must be train or eval, got 'test'");
    expect((await run(['analyze', spec, '--batch', '1'])).stderr).toContain("--batch takes a whole number >= 2, got '1'");
    expect((await run(['analyze', join(scratch, 'missing.arch')])).code).toBe(EXIT.noInput);
  });
});

/** An Io whose stdout calls `onLine` for every line (to react to --json events). */
function watchingIo(onLine: (line: string) => void): { io: Io; out: { stdout: string; stderr: string } } {
  const c = memoryIo();
  let buffer = '';
  const io: Io = {
    ...c.io,
    cwd: scratch,
    stdout: {
      isTTY: false,
      write: (t) => {
        c.out.stdout += t;
        buffer += t;
        let nl: number;
        while ((nl = buffer.indexOf('\n')) >= 0) {
          onLine(buffer.slice(0, nl));
          buffer = buffer.slice(nl + 1);
        }
      },
    },
  };
  return { io, out: c.out };
}

describe('skipinit sweep and plot', () => {
  const dir = join(scratch, 'sweep');
  const workerCommand = () => ({ command: process.execPath, args: [worker, 'sweep', '--worker', '--backend', 'reference'] });

  it('interrupted (Ctrl-C) it exits 130 with checkpoints; run again it resumes, finishes, and writes the tables and plots', async () => {
    const controller = new AbortController();
    const first = watchingIo((line) => {
      const e = JSON.parse(line);
      if (e.type === 'cellMessage' && e.message.type === 'eval' && e.message.step === 20) controller.abort();
    });
    const stopped = await runSweepCli([spec, '--parallel', '2', '--out', dir, '--json'], first.io, { worker: workerCommand(), signal: controller.signal });
    expect(stopped, first.out.stderr).toBe(130);
    const end = JSON.parse(first.out.stdout.trim().split('\n').pop()!);
    expect(end).toMatchObject({ type: 'sweepEnd', complete: false, interrupted: true });

    const second = watchingIo(() => undefined);
    const code = await runSweepCli([spec, '--parallel', '2', '--out', dir, '--ascii'], { ...second.io, stdout: { ...second.io.stdout } }, { worker: workerCommand() });
    expect(code, second.out.stderr).toBe(EXIT.ok);
    expect(second.out.stderr).toMatch(/skipinit sweep: 4 cells in sweep: .*to resume/);
    expect(second.out.stderr).toMatch(/continues at step (10|20) of 30/);
    expect(second.out.stdout).toContain('# Sweep tiny.arch: 4 of 4 cells finished');
    expect(second.out.stdout).toContain('## Per batch size: optimal and largest stable learning rate of each scheme');
    expect(second.out.stdout).toContain('final test accuracy vs learning rate, batch 32 (diverged = 0)');
    const csv = readFileSync(join(dir, 'results', 'results.csv'), 'utf8').trim().split('\n');
    expect(csv[0]).toBe('cell,init,lr,batch,blocks,status,test_accuracy,best_test_accuracy,train_loss,diverged,steps');
    expect(csv).toHaveLength(5);
    for (const f of ['accuracy-vs-lr.png', 'lr-vs-batch.svg', 'curves.png', 'by-batch.md', 'by-depth.csv']) expect(existsSync(join(dir, 'results', f)), f).toBe(true);
  });

  it('on workers whose backend reads only asynchronously (reference-async) it gives the same results', async () => {
    const small = join(scratch, 'small.arch');
    writeFileSync(small, SPEC.replace('steps 30, eval_every=10', 'steps 6, eval_every=3').replace('init = [skipinit, plain]', 'init = [skipinit]').replace('lr = [0.02, 0.2]', 'lr = [0.2]'));
    const csv: string[] = [];
    for (const backend of ['reference', 'reference-async']) {
      const out = join(scratch, `small-${backend}`);
      const r = watchingIo(() => undefined);
      const worker = { command: process.execPath, args: [workerCommand().args[0], 'sweep', '--worker', '--backend', backend] };
      expect(await runSweepCli([small, '--out', out, '--json'], r.io, { worker }), r.out.stderr).toBe(EXIT.ok);
      csv.push(readFileSync(join(out, 'results', 'results.csv'), 'utf8'));
    }
    expect(csv[1]).toBe(csv[0]);
    expect(csv[0].trim().split('\n')).toHaveLength(2);
  });

  it('the default directory names the --set overrides; a directory that holds another sweep is refused, untouched', async () => {
    const small = join(scratch, 'one-cell.arch');
    writeFileSync(small, SPEC.replace('steps 30, eval_every=10', 'steps 4, eval_every=2').replace('init = [skipinit, plain]', 'init = [skipinit]').replace('lr = [0.02, 0.2]', 'lr = [0.2]'));
    const first = watchingIo(() => undefined);
    expect(await runSweepCli([small, '--set', 'depth=2', '--json'], first.io, { worker: workerCommand() }), first.out.stderr).toBe(EXIT.ok);
    const dir = join(scratch, 'runs', 'tiny-sweep-depth=2');
    const manifest = readFileSync(join(dir, 'sweep.json'), 'utf8');
    expect(JSON.parse(manifest).name).toBe('one-cell.arch (depth=2)');

    const other = watchingIo(() => undefined);
    expect(await runSweepCli([small, '--set', 'depth=1', '--out', dir], other.io, { worker: workerCommand() })).toBe(EXIT.cantCreate);
    expect(other.out.stderr).toContain('skipinit sweep: runs/tiny-sweep-depth=2 holds another sweep, one-cell.arch (depth=2); this one is one-cell.arch (depth=1). Give it a directory of its own with --out DIR');
    expect(readFileSync(join(dir, 'sweep.json'), 'utf8')).toBe(manifest);
    expect(defaultSweepDir('m', { data: 'a/b c', lr: '0.1' })).toBe('runs/m-sweep-data=a_b_c-lr=0.1');
  });

  it('plot re-draws a sweep, a run (one of its cells) and an analysis directory; says what a directory lacks', async () => {
    rmSync(join(dir, 'results'), { recursive: true });
    const s = await run(['plot', dir]);
    expect(s.code, s.stderr).toBe(EXIT.ok);
    expect(s.stdout).toContain('# Sweep tiny.arch: 4 of 4 cells finished');
    expect(existsSync(join(dir, 'results', 'accuracy-vs-lr.png'))).toBe(true);

    const cell = JSON.parse(readFileSync(join(dir, 'sweep.json'), 'utf8')).cells[0].dir;
    const r = await run(['plot', join(dir, cell), '--ascii']);
    expect(r.code, r.stderr).toBe(EXIT.ok);
    expect(r.stdout).toContain('training loss (log scale)');
    expect(existsSync(join(dir, cell, 'curves.png'))).toBe(true);

    const a = await run(['plot', join(scratch, 'analysis'), '--out', join(scratch, 'replot')]);
    expect(a.code, a.stderr).toBe(EXIT.ok);
    expect(existsSync(join(scratch, 'replot', 'variance.png'))).toBe(true);

    const empty = await run(['plot', scratch]);
    expect(empty.code).toBe(EXIT.noInput);
    expect(empty.stderr).toContain('holds no results: expected sweep.json (a sweep), config.json (a training run) or signal.json');
    expect((await run(['plot', join(scratch, 'nope')])).code).toBe(EXIT.noInput);
  });

  it('a spec without a sweep section is a clear error', async () => {
    const noSweep = join(scratch, 'nosweep.arch');
    writeFileSync(noSweep, SPEC.slice(0, SPEC.indexOf('sweep {')));
    const r = await run(['sweep', noSweep]);
    expect(r.code).toBe(EXIT.spec);
    expect(r.stderr).toContain('has no sweep section');
  });
});
