// `npm run bench -- <suite> [--json] [--reps N] [--modes webasm,cpu] [--no-threads]`

import { availableParallelism, cpus } from 'node:os';
import { performance } from 'node:perf_hooks';
import { formatTable, type Report } from './report';
import { runWorkload } from './runner';
import { GpuJsThreadsSystem, gpuJsSystems } from './systems/gpujs';
import type { Measurement, SystemAdapter } from './types';
import { tensorSuite } from './workloads/tensor';

export interface CliOptions {
  readonly suite: string;
  readonly json: boolean;
  readonly reps: number;
  readonly warmup: number;
  readonly modes?: readonly string[];
  readonly threads: boolean;
  readonly only?: readonly string[];
}

export const USAGE = `usage: npm run bench -- tensor [--json] [--reps N] [--warmup N] [--modes webasm,cpu] [--only matmul-256,conv-fwd] [--no-threads]

  tensor      matmul 256/512/1024 (GFLOP/s) and a 3x3 conv (batch 32, 16->16, 32x32, pad 1),
              forward and forward+backward, on every gpu.js mode that runs here
  --json      machine-readable output on stdout (progress goes to stderr)
  --reps N    timed runs per workload and system (default 5, at least 5)
  --modes     gpu.js modes to run (default: every mode that runs here)
  --no-threads  only single-threaded rows (default adds webasm split across all cores, and the
              gpu.js async worker-pool matmul investigation)`;

export function parseArgs(argv: readonly string[]): CliOptions {
  let suite: string | null = null;
  let json = false;
  let reps = 5;
  let warmup = 2;
  let modes: string[] | undefined;
  let only: string[] | undefined;
  let threads = true;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    const value = () => {
      const v = argv[++i];
      if (v === undefined) throw new Error(`${a} needs a value\n${USAGE}`);
      return v;
    };
    if (a === '--json') json = true;
    else if (a === '--reps') reps = Number(value());
    else if (a === '--warmup') warmup = Number(value());
    else if (a === '--modes') modes = value().split(',');
    else if (a === '--only') only = value().split(',');
    else if (a === '--no-threads') threads = false;
    else if (a === '--help' || a === '-h') throw new Error(USAGE);
    else if (a.startsWith('-')) throw new Error(`unknown option ${a}\n${USAGE}`);
    else if (suite === null) suite = a;
    else throw new Error(`unexpected argument ${a}\n${USAGE}`);
  }
  if (suite === null) suite = 'tensor';
  if (suite !== 'tensor') throw new Error(`unknown suite '${suite}' (known: tensor)\n${USAGE}`);
  if (!Number.isInteger(reps) || reps < 5) throw new Error(`--reps must be an integer >= 5 (a median of fewer is noise), got ${reps}`);
  if (!Number.isInteger(warmup) || warmup < 1) throw new Error(`--warmup must be an integer >= 1, got ${warmup}`);
  return { suite, json, reps, warmup, threads, ...(modes ? { modes } : {}), ...(only ? { only } : {}) };
}

export async function runCli(options: CliOptions, log: (line: string) => void): Promise<Report> {
  const { systems, skipped } = gpuJsSystems(options.modes, options.threads ? Math.min(availableParallelism(), 8) : 1);
  const all: SystemAdapter[] = [...systems];
  if (options.threads && (!options.modes || options.modes.includes('webasm'))) all.push(new GpuJsThreadsSystem());
  const results: Measurement[] = [];
  try {
    for (const w of tensorSuite()) {
      if (options.only && !options.only.includes(w.id)) continue;
      results.push(...(await runWorkload(w, all, { reps: options.reps, warmup: options.warmup, seed: 1, now: () => performance.now(), onProgress: log })));
    }
  } finally {
    all.forEach((s) => s.dispose());
  }
  const cpu = cpus()[0];
  return {
    suite: options.suite,
    date: new Date().toISOString(),
    machine: { cpus: cpus().length, cpu: cpu?.model ?? 'unknown', node: process.version, platform: `${process.platform}-${process.arch}` },
    reps: options.reps,
    systems: all.map((s) => ({ id: s.id, label: s.label, details: s.details })),
    skipped,
    results,
  };
}

export async function main(argv: readonly string[]): Promise<number> {
  let options: CliOptions;
  try {
    options = parseArgs(argv);
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n`);
    return argv.includes('--help') || argv.includes('-h') ? 0 : 64;
  }
  const log = (line: string) => process.stderr.write(`${line}\n`);
  const report = await runCli(options, log);
  process.stdout.write(options.json ? `${JSON.stringify(report, null, 2)}\n` : `${formatTable(report)}\n`);
  return 0;
}
