// The CLI in-process: every command's output, help and exit codes, and what a new user meets first.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseGraph, parseStudy } from '@skipinit/graph';
import { describe, expect, it } from 'vitest';
import { COMMANDS, EXIT, main } from '../src/index';
import { memoryIo, ROOT } from './memory-io';

async function run(argv: string[], files: Record<string, string> = {}) {
  const c = memoryIo(files);
  const code = await main(argv, c.io);
  return { code, ...c.out, files: c.files };
}

const example = (name: string): string => readFileSync(join(ROOT, 'examples', name), 'utf8');

describe('skipinit', () => {
  it('--help leads with examples, then lists the commands', async () => {
    const r = await run(['--help']);
    expect(r.code).toBe(EXIT.ok);
    const lines = r.stdout.split('\n');
    expect(lines.findIndex((l) => l === 'Examples:')).toBeLessThan(lines.findIndex((l) => l === 'Commands:'));
    for (const c of COMMANDS) expect(r.stdout).toContain(`  ${c.name}`);
  });

  it('without a command prints the help on stderr and exits 64', async () => {
    const r = await run([]);
    expect(r.code).toBe(EXIT.usage);
    expect(r.stderr).toContain('Commands:');
  });

  it('suggests the closest command for a typo (exit 64)', async () => {
    const r = await run(['compil', 'x.arch']);
    expect(r.code).toBe(EXIT.usage);
    expect(r.stderr).toContain("unknown command 'compil'; did you mean 'compile'?");
  });

  // The commands of this file's scope; the training commands have their own tests.
  const SPEC_COMMANDS = COMMANDS.filter((c) => ['compile', 'summary', 'fmt'].includes(c.name));

  it('every command has a help that shows examples before its flags', () => {
    for (const c of COMMANDS) {
      const lines = c.help.split('\n');
      expect(lines[0], c.name).toMatch(new RegExp(`^usage: skipinit ${c.name}`));
      expect(lines.indexOf('Examples:'), c.name).toBeGreaterThan(0);
      expect(lines.indexOf('Examples:'), c.name).toBeLessThan(lines.indexOf('Flags:'));
    }
  });

  for (const c of SPEC_COMMANDS) {
    it(`${c.name} --help: usage line, then examples first`, async () => {
      for (const argv of [[c.name, '--help'], [c.name, '-h'], ['help', c.name]]) {
        const r = await run(argv);
        expect(r.code).toBe(EXIT.ok);
        const lines = r.stdout.split('\n');
        expect(lines[0]).toMatch(new RegExp(`^usage: skipinit ${c.name} `));
        const examples = lines.indexOf('Examples:');
        expect(examples).toBe(2);
        expect(examples).toBeLessThan(lines.indexOf('Flags:'));
        expect(lines[examples + 1]).toMatch(new RegExp(`^  skipinit ${c.name} `));
      }
    });
  }

  it("runs every example of every help text as written (those without pipes, redirections or globs)", async () => {
    const texts = [(await run(['--help'])).stdout, ...SPEC_COMMANDS.map((c) => c.help)];
    const lines = texts
      .flatMap((t) => t.split('\n'))
      .filter((l) => /^ {2}skipinit (compile|summary|fmt) /.test(l))
      .map((l) => l.replace(/\s+#.*$/, '').trim());
    expect(lines.length).toBeGreaterThanOrEqual(10);
    for (const line of lines) {
      if (/[|>*]/.test(line)) continue;
      const r = await run(line.split(/\s+/).slice(1));
      expect(r.code, `${line}\n${r.stderr}`).toBe(EXIT.ok);
    }
  });

  it('prints --version', async () => {
    expect((await run(['--version'])).stdout).toMatch(/^skipinit \d+\.\d+\.\d+\n$/);
  });
});

describe('skipinit compile', () => {
  it('prints a summary line for a valid spec', async () => {
    const r = await run(['compile', 'examples/deep-mlp.arch']);
    expect(r.code).toBe(EXIT.ok);
    expect(r.stderr).toBe('');
    expect(r.stdout.split('\n')[0]).toBe('examples/deep-mlp.arch: ok');
    expect(r.stdout).toContain('1,000 residual blocks');
    expect(r.stdout).toContain('sweep: 8 runs over norm (2) x init (4)');
  });

  it('--json prints the graph document, --study the whole study', async () => {
    const g = await run(['compile', 'examples/wrn.arch', '--json']);
    expect(g.code).toBe(EXIT.ok);
    expect(parseGraph(g.stdout).name).toBe('wrn');
    const s = await run(['compile', 'examples/wrn.arch', '--study', '--set', 'depth=100']);
    const study = parseStudy(s.stdout);
    expect(study.lets.depth).toBe(100);
    expect(study.train?.data.name).toBe('cifar10');
    expect(study.sweep?.axes).toHaveLength(2);
  });

  it('applies --set overrides (lets and training settings)', async () => {
    const r = await run(['compile', 'examples/deep-mlp.arch', '--set', 'depth=10', '--set', 'init=he', '--set', 'lr=0.1', '--json']);
    const graph = parseGraph(r.stdout);
    expect(graph.nodes[3]).toMatchObject({ kind: 'resblock', count: 10, scheme: 'plain' });
  });

  it('reports a bad --set framed in its own text, as a bad command line (exit 64, as train does)', async () => {
    const r = await run(['compile', 'examples/deep-mlp.arch', '--set', 'dpeth=10']);
    expect(r.code).toBe(EXIT.usage);
    expect(r.stderr).toContain("--set dpeth:1:1 error[sem/unknown-override]");
    expect(r.stderr).toContain('  1 | dpeth=10');
  });

  it('exits 64 on usage errors', async () => {
    expect((await run(['compile'])).code).toBe(EXIT.usage);
    expect((await run(['compile', 'a.arch', 'b.arch'])).code).toBe(EXIT.usage);
    const flag = await run(['compile', 'examples/wrn.arch', '--jsno']);
    expect(flag.code).toBe(EXIT.usage);
    expect(flag.stderr).toContain("unknown option '--jsno'");
    expect(flag.stderr).toContain('usage: skipinit compile');
    expect((await run(['compile', 'examples/wrn.arch', '--set', 'depth'])).code).toBe(EXIT.usage);
  });

  it('exits 66 for a missing file or a directory', async () => {
    const r = await run(['compile', 'nope.arch']);
    expect(r.code).toBe(EXIT.noInput);
    expect(r.stderr).toBe("skipinit compile: cannot read 'nope.arch': no such file\n");
    expect((await run(['compile', 'examples'])).code).toBe(EXIT.noInput);
  });

  it('compiles resblock x 100000 in under 5 s, x 1000 in well under a second', async () => {
    for (const [n, ms] of [
      [1000, 1000],
      [100_000, 5000],
    ] as const) {
      const spec = example('deep-mlp.arch').replace('let depth = 1000', `let depth = ${n}`);
      const t0 = performance.now();
      const r = await run(['compile', 'deep.arch'], { 'deep.arch': spec });
      const took = performance.now() - t0;
      expect(r.code).toBe(EXIT.ok);
      expect(r.stdout).toContain(`${n.toLocaleString('en-US')} residual blocks`);
      expect(took, `x ${n}: ${took.toFixed(0)} ms`).toBeLessThan(ms);
    }
  });
});

describe('a new user, one mistake at a time: one clear located message, exit 65', () => {
  const deep = example('deep-mlp.arch');
  const cases: [string, string, string, string][] = [
    ['a typo in an init name', deep.replace('let init = skipinit', 'let init = skipint'), 'sem/unknown-init', "unknown init 'skipint'; did you mean 'skipinit'?"],
    ['a missing comma', deep.replace('resblock x depth, kind=mlp', 'resblock x depth kind=mlp'), 'parse/missing-comma', "missing ',' before option 'kind'"],
    ['an unknown keyword', deep.replace('  flatten', '  flaten'), 'sem/unknown-layer', "unknown layer 'flaten'; did you mean 'flatten'?"],
    ['a shape mismatch', deep.replace('  flatten\n', ''), 'shape/needs-flat', "dense 128 needs a flat input, got 1x28x28: add 'flatten' or 'pool global' before it"],
  ];
  for (const [what, spec, code, message] of cases) {
    it(what, async () => {
      for (const command of ['compile', 'summary']) {
        const r = await run([command, 'deep.arch'], { 'deep.arch': spec });
        expect(r.code).toBe(EXIT.spec);
        expect(r.stdout).toBe('');
        expect(r.stderr.match(/error\[/g)).toHaveLength(1);
        const [head, line, caret] = r.stderr.split('\n');
        expect(head).toMatch(new RegExp(`^deep\\.arch:\\d+:\\d+ error\\[${code.replace('/', '\\/')}\\]: `));
        expect(head.endsWith(message)).toBe(true);
        expect(line).toMatch(/^ +\d+ \| /);
        expect(caret).toMatch(/^ +\| +\^+$/);
      }
    });
  }
});

describe('skipinit summary', () => {
  it('prints the table with totals of parameters and FLOPs per example', async () => {
    const r = await run(['summary', 'examples/mnist-resnet-small.arch']);
    expect(r.code).toBe(EXIT.ok);
    expect(r.stdout).toContain('Model: mnist_resnet_small');
    expect(r.stdout).toMatch(/Total params: [\d,]+/);
    expect(r.stdout).toMatch(/FLOPs per example: [\d,]+/);
  });

  it('--json gives the numbers, --expand lists the layers inside blocks', async () => {
    const j = JSON.parse((await run(['summary', 'examples/deep-mlp.arch', '--json'])).stdout);
    expect(j).toMatchObject({ name: 'deep_mlp', blocks: 1000 });
    expect(j.params).toBeGreaterThan(0);
    const plain = (await run(['summary', 'examples/mnist-resnet-small.arch'])).stdout;
    const expanded = (await run(['summary', 'examples/mnist-resnet-small.arch', '--expand'])).stdout;
    expect(expanded.split('\n').length).toBeGreaterThan(plain.split('\n').length);
  });
});

describe('skipinit fmt', () => {
  const messy = 'let d=2\nmodel m{input 784;resblock x d,width=16\nhead 10}\n';
  it('prints the canonical form', async () => {
    const r = await run(['fmt', 'm.arch'], { 'm.arch': messy });
    expect(r.code).toBe(EXIT.ok);
    expect(r.stdout).toBe('let d = 2\nmodel m {\n  input 784\n  resblock x d, width=16\n  head 10\n}\n');
  });

  it('--check exits 1 for unformatted files and 0 for the examples', async () => {
    const r = await run(['fmt', '--check', 'm.arch', 'examples/wrn.arch'], { 'm.arch': messy });
    expect(r.code).toBe(EXIT.unformatted);
    expect(r.stderr).toBe('m.arch: not formatted (run: skipinit fmt --write m.arch)\n');
    expect((await run(['fmt', '--check', 'examples/deep-mlp.arch', 'examples/wrn.arch', 'examples/mnist-resnet-small.arch'])).code).toBe(EXIT.ok);
  });

  it('--write rewrites the file', async () => {
    const r = await run(['fmt', '--write', 'm.arch'], { 'm.arch': messy });
    expect(r.code).toBe(EXIT.ok);
    expect(r.files.get('m.arch')).toBe('let d = 2\nmodel m {\n  input 784\n  resblock x d, width=16\n  head 10\n}\n');
  });

  it('exits 65 on syntax errors, 66 on a missing file, 64 on --check with --write', async () => {
    const bad = await run(['fmt', 'b.arch'], { 'b.arch': 'model m {\n' });
    expect(bad.code).toBe(EXIT.spec);
    expect(bad.stderr).toContain('b.arch:1:9 error[parse/unclosed]');
    expect((await run(['fmt', 'none.arch'])).code).toBe(EXIT.noInput);
    expect((await run(['fmt', '--check', '--write', 'm.arch'])).code).toBe(EXIT.usage);
  });
});

describe('internal errors', () => {
  it('exit 70 with the stack, never a spec error', async () => {
    const c = memoryIo();
    const broken = { ...c.io, stdout: { write: () => { throw new Error('boom'); }, isTTY: false } };
    expect(await main(['--version'], broken)).toBe(EXIT.internal);
    expect(c.out.stderr).toContain('skipinit: internal error: Error: boom');
  });
});
