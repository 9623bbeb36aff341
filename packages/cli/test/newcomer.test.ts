// A newcomer's first hour (issue 16), through the installed binary as they run it: each finding of the
// issue, reproduced as a command and the answer it must give. Runs where the packages are built (npm ci
// builds them; so does `npx nx run-many -t build`).
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { COMMANDS, main } from '../src/index';
import { memoryIo, ROOT } from './memory-io';

const deps = Object.keys(JSON.parse(readFileSync(join(ROOT, 'packages', 'cli', 'package.json'), 'utf8')).dependencies ?? {});
const built = ['cli', ...deps.filter((d) => d.startsWith('@skipinit/')).map((d) => d.slice('@skipinit/'.length))].every((p) => existsSync(join(ROOT, 'packages', p, 'dist', 'index.js')));
const bin = join(ROOT, 'packages', 'cli', 'bin', 'skipinit.js');

interface Ran {
  code: number | null;
  stdout: string;
  stderr: string;
  ms: number;
}

/** Runs the binary without blocking this process (a test's HTTP server must keep answering). */
function skipinit(args: string[], options: { input?: string; env?: Record<string, string>; cwd?: string } = {}): Promise<Ran> {
  return new Promise((resolve) => {
    const t0 = performance.now();
    const child = spawn(process.execPath, [bin, ...args], { cwd: options.cwd ?? ROOT, env: { ...process.env, NO_COLOR: '1', ...options.env } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => void (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => void (stderr += d.toString()));
    child.on('close', (code) => resolve({ code, stdout, stderr, ms: performance.now() - t0 }));
    child.stdin.end(options.input ?? '');
  });
}

const temp = (p: string) => mkdtempSync(join(tmpdir(), `skipinit-newcomer-${p}-`));

const BIG = `model big {
  input 1x28x28
  flatten
  dense 60000
  relu
  dense 60000
  relu
  dense 10
}
train {
  data mnist, batch=64
  sgd lr=0.01, momentum=0.9
  steps 10
}
`;

describe.skipIf(!built)('a newcomer at the command line (the built binary)', () => {
  it('an unknown --set key exits 64 from compile, summary and train alike', async () => {
    for (const cmd of ['compile', 'summary', 'train']) {
      const r = await skipinit([cmd, 'examples/deep-mlp.arch', '--set', 'dpeth=3', ...(cmd === 'train' ? ['--out', join(temp('set'), 'run')] : [])]);
      expect(r.code, `${cmd}: ${r.stderr}`).toBe(64);
      expect(r.stderr).toContain("--set dpeth:1:1 error[sem/unknown-override]: --set dpeth: the file has no let 'dpeth'");
    }
  });

  it("--set without a value says what it needs, not parseArgs's message", async () => {
    const r = await skipinit(['compile', 'examples/deep-mlp.arch', '--set']);
    expect(r.code).toBe(64);
    expect(r.stderr).toContain('skipinit compile: --set needs a value, as in --set depth=100');
    expect(r.stderr).not.toMatch(/Option '--set <value>'/);
  });

  it('--set path=/tmp/x needs no quotes; --set data=fashion-mnist means fashion_mnist', async () => {
    const r = await skipinit(['compile', 'examples/deep-mlp.arch', '--study', '--set', 'path=/tmp/x', '--set', 'data=fashion-mnist']);
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout).study.train.data).toMatchObject({ name: 'fashion_mnist', path: '/tmp/x' });
  });

  it('compile --json prints the diagnostics as JSON on stdout when the spec has errors', async () => {
    const r = await skipinit(['compile', 'packages/dsl/test/golden/invalid/sem-unknown-init.arch', '--json']);
    expect(r.code).toBe(65);
    const doc = JSON.parse(r.stdout);
    expect(doc).toMatchObject({ format: 'skipinit-diagnostics', version: 1, ok: false, warnings: [] });
    expect(doc.errors[0]).toMatchObject({ code: 'sem/unknown-init', severity: 'error', suggestions: ['skipinit'] });
    expect(doc.errors[0].line).toBeGreaterThan(0);
    expect(r.stderr).toContain('error[sem/unknown-init]'); // people still get the framed message
  });

  it("'-' reads the spec from standard input", async () => {
    const r = await skipinit(['compile', '-'], { input: readFileSync(join(ROOT, 'examples', 'deep-mlp.arch'), 'utf8') });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout.split('\n')[0]).toBe('<stdin>: ok');
    const bad = await skipinit(['compile', '-'], { input: 'model m { input 4; dense 3 x }\n' });
    expect(bad.stderr).toMatch(/^<stdin>:1:/);
  });

  it('eval --checkpoint worst lists the choices', async () => {
    const r = await skipinit(['eval', 'runs/none/1', '--checkpoint', 'worst']);
    expect(r.code).toBe(64);
    expect(r.stderr).toContain("--checkpoint takes best, last, or the path of a checkpoint file (such as runs/NAME/1/last.safetensors), got 'worst'");
  });

  it('resume of a spec file says it is a file and points at train', async () => {
    const r = await skipinit(['resume', 'examples/deep-mlp.arch']);
    expect(r.code).toBe(66);
    expect(r.stderr).toContain('is a file, not a run directory');
    expect(r.stderr).toContain("'skipinit train");
    expect(r.stderr).not.toContain('ENOTDIR');
  });

  it("norm=batchnorm (and kaiming, glorot, ...) get a did-you-mean with our name", async () => {
    const r = await skipinit(['compile', 'examples/deep-mlp.arch', '--set', 'norm=batchnorm', '--set', 'init=kaiming']);
    expect(r.stderr).toContain("unknown norm 'batchnorm'; did you mean 'bn'?");
    expect(r.stderr).toContain("unknown init 'kaiming'; did you mean 'he'?");
  });

  it('two dense 60000 layers are refused at once, before anything is allocated, with what to change', async () => {
    const dir = temp('big');
    writeFileSync(join(dir, 'big.arch'), BIG);
    const r = await skipinit(['train', 'big.arch'], { cwd: dir });
    expect(r.code).toBe(65);
    expect(r.stderr).toMatch(/^skipinit train: this model cannot train here: its largest tensor, the weight of dense 60000, has 3,600,000,000 elements/);
    expect(r.stderr).toMatch(/training needs about 4\d\.\d GiB: parameters 13\.6 GiB, gradients 13\.6 GiB, optimizer state 13\.6 GiB/);
    expect(r.stderr).toContain('To fit: make dense 60000 narrower or use fewer layers');
    expect(r.stderr).toContain('--no-memory-check');
    expect(existsSync(join(dir, 'runs'))).toBe(false); // no run directory either
    console.log(`refusal of the two-dense-60000 model: ${r.ms.toFixed(0)} ms wall for the whole process (node start and imports included)`);
    const summary = await skipinit(['summary', 'big.arch'], { cwd: dir });
    expect(summary.stdout).toMatch(/^Training memory \(batch 64, mnist; float32; sgd with momentum\): about 4\d\.\d GiB: parameters 13\.6 GiB/m);
  });

  it('the CLI version is the package version', async () => {
    const version = JSON.parse(readFileSync(join(ROOT, 'packages', 'cli', 'package.json'), 'utf8')).version as string;
    expect((await skipinit(['--version'])).stdout).toBe(`skipinit ${version}\n`);
  });
});

describe('help texts', () => {
  it("point at the docs by the repository's URL (package.json), never by a path in a checkout", async () => {
    const repo = (JSON.parse(readFileSync(join(ROOT, 'packages', 'cli', 'package.json'), 'utf8')).repository.url as string).replace(/^git\+/, '').replace(/\.git$/, '');
    const top = memoryIo();
    await main(['--help'], top.io);
    const texts = [top.out.stdout, ...COMMANDS.map((c) => c.help)];
    for (const t of texts) expect(t).not.toMatch(/(^|[\s(])docs\/[\w-]+\.md/m);
    expect(top.out.stdout).toContain(`${repo}/blob/main/docs/dsl.md`);
    const links = texts.join('\n').match(/https:\/\/\S+\/docs\/[\w-]+\.md/g) ?? [];
    expect(links.length).toBeGreaterThanOrEqual(3);
    for (const l of links) {
      expect(l.startsWith(repo)).toBe(true);
      expect(existsSync(join(ROOT, 'docs', l.split('/docs/')[1])), l).toBe(true);
    }
  });
});

describe("the README's Quick start", () => {
  it('leads with the one-minute variant, then says how long the full run takes', async () => {
    const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
    const quick = readme.slice(readme.indexOf('## Quick start'), readme.indexOf('\n## ', readme.indexOf('## Quick start') + 5));
    const trains = [...quick.matchAll(/^npx skipinit train (.*)$/gm)].map((m) => m[1].trim().split(/\s+/));
    const first = trains[0];
    expect(first.join(' ')).toBe('examples/mnist-resnet-small.arch --set epochs=1 --set limit=1920');
    expect(trains[1]).toEqual(['examples/mnist-resnet-small.arch']);
    expect(quick.slice(quick.indexOf(first.join(' ')), quick.indexOf('npx skipinit train examples/mnist-resnet-small.arch\n'))).toMatch(/The full run, .*takes \*\*\d+ minutes\*\*/s);
    // the short variant is a valid command line for that spec: 30 steps
    const c = memoryIo();
    expect(await main(['compile', ...first], c.io), c.out.stderr).toBe(0);
    expect(c.out.stdout).toContain('1 epoch');
  });
});

describe('the memory refusal, in-process', () => {
  it('answers within 2 s of the command starting (the binary adds node start and imports)', async () => {
    const c = memoryIo({ 'big.arch': BIG });
    const t0 = performance.now();
    expect(await main(['train', 'big.arch'], c.io)).toBe(65);
    const ms = performance.now() - t0;
    expect(ms).toBeLessThan(2000);
    expect(c.out.stderr).toContain('this model cannot train here');
  });
});

/** One file over loopback, with `Range` and a connection cut once, as the official servers would be. */
async function fileServer(path: string, body: Uint8Array): Promise<{ base: string; ranges: (string | undefined)[]; close: () => Promise<void> }> {
  const ranges: (string | undefined)[] = [];
  let cut = true;
  const server = createServer((req, res) => {
    if (req.url !== path) return void res.writeHead(404).end();
    ranges.push(req.headers.range);
    const start = Number(/^bytes=(\d+)-$/.exec(req.headers.range ?? '')?.[1] ?? 0);
    const slice = body.subarray(start);
    res.writeHead(start > 0 ? 206 : 200, { 'content-length': slice.length, ...(start > 0 ? { 'content-range': `bytes ${start}-${body.length - 1}/${body.length}` } : {}) });
    if (cut) {
      cut = false;
      res.write(slice.subarray(0, slice.length >> 1), () => setTimeout(() => res.socket?.destroy(), 100));
    } else res.end(slice);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { base: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, ranges, close: () => new Promise((r) => server.close(() => r())) };
}

describe.skipIf(!built)('skipinit data fetch (a loopback server in place of the official one)', () => {
  it('downloads through a dropped connection (resuming with Range), checks the SHA-256, decompresses, and says what path= to use', async () => {
    // a Fashion-MNIST-format catalogue entry whose four .gz files are small and made here
    const names = ['train-images-idx3-ubyte', 'train-labels-idx1-ubyte', 't10k-images-idx3-ubyte', 't10k-labels-idx1-ubyte'];
    const raw = names.map((_, i) => Buffer.from(Array.from({ length: 40_000 }, (_, j) => (j * (i + 7) * 2654435761) >>> 24)));
    const gz = raw.map((b) => gzipSync(b, { level: 0 }));
    const servers = await Promise.all(names.map((n, i) => fileServer(`/${n}.gz`, gz[i])));
    try {
      const dir = temp('fetch');
      const catalog = join(dir, 'catalog.json');
      const files = names.map((n, i) => ({ url: `${servers[i].base}/${n}.gz`, bytes: gz[i].length, sha256: createHash('sha256').update(gz[i]).digest('hex'), format: 'gz' }));
      writeFileSync(catalog, JSON.stringify({ fashion_mnist: { files } }));
      const r = await skipinit(['data', 'fetch', 'fashion-mnist', '--dir', 'datasets'], { cwd: dir, env: { SKIPINIT_DATA_CATALOG: catalog } });
      expect(r.code, r.stderr).toBe(0);
      expect(r.stdout).toContain('fetched into datasets/fashion_mnist');
      expect(r.stdout).toContain('--set path=datasets/fashion_mnist');
      names.forEach((n, i) => expect(readFileSync(join(dir, 'datasets', 'fashion_mnist', n))).toEqual(raw[i]));
      for (const s of servers) expect(s.ranges).toEqual([undefined, expect.stringMatching(/^bytes=\d+-$/)]);
      const again = await skipinit(['data', 'fetch', 'fashion_mnist', '--dir', 'datasets', '--json'], { cwd: dir, env: { SKIPINIT_DATA_CATALOG: catalog } });
      expect(JSON.parse(again.stdout)).toMatchObject({ type: 'data', name: 'fashion_mnist', status: 'present' });
      // a catalogue that promises another digest: the download is refused as not the published archive
      writeFileSync(catalog, JSON.stringify({ fashion_mnist: { files: files.map((f) => ({ ...f, sha256: 'f'.repeat(64) })) } }));
      mkdirSync(join(dir, 'other'));
      const bad = await skipinit(['data', 'fetch', 'fashion_mnist', '--dir', 'other'], { cwd: dir, env: { SKIPINIT_DATA_CATALOG: catalog } });
      expect(bad.code).toBe(65);
      expect(bad.stderr).toMatch(/the published archive has \d+ bytes and f{64}/);
    } finally {
      await Promise.all(servers.map((s) => s.close()));
    }
  });

  it('a missing CIFAR path names the command that downloads it', async () => {
    const dir = temp('cifar');
    writeFileSync(join(dir, 'c.arch'), 'model m { input 3x32x32; flatten; dense 10 }\ntrain { data cifar10; steps 1 }\n');
    const r = await skipinit(['train', 'c.arch'], { cwd: dir });
    expect(r.code).toBe(65);
    expect(r.stderr).toContain('needs path=DIR');
    expect(r.stderr).toContain('to download it: skipinit data fetch cifar10');
  });
});
