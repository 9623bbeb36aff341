// The engine's losses on webasm, bit for bit, against perf/losses.json: a refactor of the engine must not
// change one bit of a training run. `PERF_ENTRY=losses.ts node packages/backend-gpujs/perf/run.mjs
// [--record] [--only r3bn,r4-100,mnist,...]` (about 3 minutes on two quiet cores; exit 1 on any difference).
//
// - r3bn, r3skip, r4-100, r4-1000: the first 3 SGD steps of perf/models.ts's R3 and R4 (the bench's shapes,
//   built from tensor ops), on 1 and on 2 threads;
// - mnist: the first 20 steps of `skipinit train examples/mnist-resnet-small.arch --json` (default settings),
//   --threads 2 and --threads 1: the user's path (layers, trainer, the data, the built CLI: build first).
// Losses are float32 values, recorded as the hex of their bits.

import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { Engine } from '@skipinit/tensor';
import { createGpuJsBackend } from '../src/index';
import { preactResnet, residualMlp, type Step } from './models';

const root = process.cwd();
const fixture = resolve(root, 'packages/backend-gpujs/perf/losses.json');
const args = process.argv.slice(2);
const record = args.includes('--record');
const onlyAt = args.indexOf('--only');
const only = onlyAt >= 0 ? new Set(args[onlyAt + 1]!.split(',')) : null;

const hex = (v: number): string => {
  if (Math.fround(v) !== v) throw new Error(`loss ${v} is not a float32 value`);
  return new Uint32Array(new Float32Array([v]).buffer)[0]!.toString(16).padStart(8, '0');
};

const MODELS: Record<string, (e: Engine) => Step> = {
  r3bn: (e) => preactResnet(e, 'bn'),
  r3skip: (e) => preactResnet(e, 'skipinit'),
  'r4-100': (e) => residualMlp(e, 100),
  'r4-1000': (e) => residualMlp(e, 1000),
};

function modelLosses(name: string, threads: number, steps: number): string[] {
  const backend = createGpuJsBackend({ mode: 'webasm', threads });
  const step = MODELS[name]!(new Engine(backend));
  try {
    return Array.from({ length: steps }, () => hex(step.run()));
  } finally {
    step.dispose();
    backend.destroy();
  }
}

/** The first `steps` losses of the MNIST example through the built CLI, then Ctrl-C. */
async function mnistLosses(threads: number, steps: number): Promise<string[]> {
  const dir = mkdtempSync(join(tmpdir(), 'skipinit-losses-'));
  const child = spawn(process.execPath, ['packages/cli/bin/skipinit.js', 'train', 'examples/mnist-resnet-small.arch', '--json', '--threads', String(threads), '--out', join(dir, 'run')], {
    cwd: root,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const exited = new Promise<number | null>((done) => child.on('exit', (code) => done(code)));
  const losses: string[] = [];
  try {
    for await (const line of createInterface({ input: child.stdout! })) {
      const event = JSON.parse(line) as { type: string; loss?: number };
      if (event.type !== 'batchEnd') continue;
      losses.push(hex(event.loss!));
      if (losses.length === steps) break;
    }
  } finally {
    child.kill('SIGINT');
    await exited;
    rmSync(dir, { recursive: true, force: true });
  }
  if (losses.length < steps) throw new Error(`mnist: the CLI ended after ${losses.length} steps`);
  return losses;
}

const cases: { id: string; run: () => Promise<string[]> | string[] }[] = [];
for (const name of Object.keys(MODELS)) {
  if (only && !only.has(name)) continue;
  for (const threads of [1, 2]) cases.push({ id: `${name} threads=${threads}`, run: () => modelLosses(name, threads, 3) });
}
if (!only || only.has('mnist')) for (const threads of [2, 1]) cases.push({ id: `mnist threads=${threads}`, run: () => mnistLosses(threads, 20) });

const want = JSON.parse(readFileSync(fixture, 'utf8').toString() || '{}') as Record<string, string[]>;
const got: Record<string, string[]> = {};
let differ = 0;
for (const c of cases) {
  const t0 = performance.now();
  const losses = await c.run();
  got[c.id] = losses;
  const same = want[c.id] !== undefined && want[c.id]!.join() === losses.join();
  if (!same && !record) differ++;
  console.log(`${c.id.padEnd(20)} ${same ? 'same' : record ? 'recorded' : 'DIFFERS'} ${((performance.now() - t0) / 1000).toFixed(1)} s  ${losses.join(' ')}`);
  if (!same && !record && want[c.id]) console.log(`${''.padEnd(20)} want ${want[c.id]!.join(' ')}`);
}
if (record) {
  const all = { ...want, ...got };
  writeFileSync(fixture, `{\n${Object.keys(all).map((k) => `  ${JSON.stringify(k)}: ${JSON.stringify(all[k]).replaceAll('","', '", "')}`).join(',\n')}\n}\n`);
  console.log(`wrote ${fixture}`);
} else if (differ > 0) {
  console.log(`${differ} of ${cases.length} cases differ from ${fixture}`);
  process.exitCode = 1;
}
