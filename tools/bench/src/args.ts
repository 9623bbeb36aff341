// Command-line arguments of `npm run bench`.

export const USAGE = `usage: npm run bench -- [--json] [--only R1,R3,...] [options]
       npm run bench -- markdown <run.json>      (docs/benchmarks.md from a --json run, on stdout)

Runs each workload on our engine (every gpu.js mode that loads here) and on TensorFlow.js 4.22
(wasm and cpu backends), systems alternating each repetition, and prints medians and the speed-up
of ours over theirs (their time / our time: above 1 means we are faster).

  R1  matmul 256/512/1024 (GFLOP/s)          R2  3x3 conv fwd, and fwd + dx + dw (ms)
  R3  ResNet SGD step, bn and skipinit (images/s)
  R4  residual MLP SGD step, D=100 and 1000 (images/s)
  R5  forward at init + per-block stats, D=1000, batch 256 (ms)

  --json            the report as JSON on stdout (progress goes to stderr)
  --only LIST       groups (R1..R5) or workload ids (R3-resnet-bn, R4-mlp-1000, ...)
  --reps N          timed runs per workload and system (default 5, at least 5)
  --warmup N        untimed runs first (default 1)
  --modes LIST      gpu.js modes (default: every mode that loads here)
  --peers LIST      TensorFlow.js backends: wasm,cpu (default both; 'none' for ours alone)
  --threads N       also run webasm split over N threads (default 1: no split system)
  --include-slow    also run R3 on TF.js cpu (plain-JS conv weight gradients: minutes a step)
  --max-run-s S     a warm-up run longer than S seconds marks the case "too slow" (default 120)`;

export const GROUPS = ['R1', 'R2', 'R3', 'R4', 'R5'] as const;

export interface BenchOptions {
  readonly command: 'run';
  readonly json: boolean;
  readonly reps: number;
  readonly warmup: number;
  readonly only?: readonly string[];
  readonly modes?: readonly string[];
  readonly peers: readonly ('wasm' | 'cpu')[];
  readonly threads: number;
  readonly includeSlow: boolean;
  readonly maxRunS: number;
}

export interface MarkdownOptions {
  readonly command: 'markdown';
  readonly file: string;
}

export type CliOptions = BenchOptions | MarkdownOptions;

export class UsageError extends Error {}

const list = (v: string): string[] => v.split(',').map((s) => s.trim()).filter((s) => s.length > 0);

export function parseArgs(argv: readonly string[]): CliOptions {
  const positional: string[] = [];
  let json = false;
  let reps = 5;
  let warmup = 1;
  let only: string[] | undefined;
  let modes: string[] | undefined;
  let peers: ('wasm' | 'cpu')[] = ['wasm', 'cpu'];
  let threads = 1;
  let includeSlow = false;
  let maxRunS = 120;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    const value = (): string => {
      const v = argv[++i];
      if (v === undefined || v.startsWith('--')) throw new UsageError(`${a} needs a value`);
      return v;
    };
    const number = (): number => {
      const raw = value();
      const v = Number(raw);
      if (!Number.isFinite(v)) throw new UsageError(`${a} needs a number, got '${raw}'`);
      return v;
    };
    if (a === '--json') json = true;
    else if (a === '--reps') reps = number();
    else if (a === '--warmup') warmup = number();
    else if (a === '--only') only = list(value());
    else if (a === '--modes') modes = list(value());
    else if (a === '--peers') {
      const v = list(value());
      const bad = v.filter((p) => p !== 'wasm' && p !== 'cpu' && p !== 'none');
      if (bad.length > 0) throw new UsageError(`--peers: unknown TensorFlow.js backend '${bad[0]}' (known: wasm, cpu, none)`);
      peers = v.filter((p): p is 'wasm' | 'cpu' => p !== 'none');
    } else if (a === '--threads') threads = number();
    else if (a === '--no-threads') threads = 1;
    else if (a === '--include-slow') includeSlow = true;
    else if (a === '--max-run-s') maxRunS = number();
    else if (a === '--help' || a === '-h') throw new UsageError('');
    else if (a.startsWith('-')) throw new UsageError(`unknown option ${a}`);
    else positional.push(a);
  }
  if (positional[0] === 'markdown') {
    if (positional.length !== 2) throw new UsageError('markdown needs exactly one file: the output of a --json run');
    return { command: 'markdown', file: positional[1]! };
  }
  if (positional[0] === 'tensor' && positional.length === 1) only ??= ['R1', 'R2']; // the suite's name before issue 7
  else if (positional.length > 0) throw new UsageError(`unexpected argument '${positional[0]}'`);
  if (!Number.isInteger(reps) || reps < 5) throw new UsageError(`--reps must be an integer >= 5 (a median of fewer is noise), got ${reps}`);
  if (!Number.isInteger(warmup) || warmup < 1) throw new UsageError(`--warmup must be an integer >= 1, got ${warmup}`);
  if (!Number.isInteger(threads) || threads < 1 || threads > 64) throw new UsageError(`--threads must be an integer from 1 to 64, got ${threads}`);
  if (!(maxRunS > 0)) throw new UsageError(`--max-run-s must be > 0, got ${maxRunS}`);
  return { command: 'run', json, reps, warmup, peers, threads, includeSlow, maxRunS, ...(only ? { only } : {}), ...(modes ? { modes } : {}) };
}

/** Whether a workload is selected by --only (a group such as R3, or its id). */
export function selected(only: readonly string[] | undefined, w: { id: string; group: string }): boolean {
  return only === undefined || only.includes(w.group) || only.includes(w.id);
}

/** --only names that select nothing among `workloads`. */
export function unknownSelections(only: readonly string[] | undefined, workloads: readonly { id: string; group: string }[]): string[] {
  return (only ?? []).filter((o) => !workloads.some((w) => w.group === o || w.id === o));
}
