// The paper, reproduced at laptop scale: runs every experiment through `skipinit` (analyze, train, sweep),
// reads the results back, draws the figures and writes docs/reproduction.md with the measured numbers, a
// verdict per claim (by the criteria stated in the doc) and an account of where the measurements differ
// from the paper. Results are kept under runs/reproduce/: running again reuses finished work (--fresh
// recomputes the signal and training steps; sweeps always skip their finished cells).
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { batchStep } from './batch-step';
import { deepStep } from './deep-step';
import { writeDoc } from './doc';
import { machine } from './machine';
import { paths, Timings } from './outputs';
import { FULL, QUICK } from './settings';
import { signalStep } from './signal-step';

const USAGE = `usage: node tools/reproduce/run.mjs [--quick] [--fresh] [--only signal,deep,batch] [--docs DIR]

  --quick        small sizes (a few minutes), runs in runs/reproduce-quick, doc in runs/reproduce-quick/docs
  --fresh        recompute the analysis and training steps instead of reusing their results
  --only LIST    run only these steps (the doc needs all three: it is written only when all ran)
  --docs DIR     where reproduction.md and its figures go (default docs, or the quick run's directory)
`;

export async function main(argv: string[]): Promise<number> {
  const flags = new Set(argv.filter((a) => a.startsWith('--') && !['--only', '--docs'].includes(a)));
  const value = (name: string): string | undefined => {
    const i = argv.indexOf(name);
    return i >= 0 ? argv[i + 1] : undefined;
  };
  if (flags.has('--help')) {
    process.stdout.write(USAGE);
    return 0;
  }
  const unknown = [...flags].filter((f) => !['--quick', '--fresh'].includes(f));
  if (unknown.length > 0) {
    process.stderr.write(`unknown flag ${unknown[0]}\n${USAGE}`);
    return 64;
  }
  const s = flags.has('--quick') ? QUICK : FULL;
  const only = new Set((value('--only') ?? 'signal,deep,batch').split(','));
  const p = paths(s.runs, value('--docs') ?? (s.name === 'quick' ? `${s.runs}/docs` : 'docs'));
  mkdirSync(p.runs, { recursive: true });
  const where = machine();
  const timings = new Timings(p.runs, where);
  const save = (): void =>
    timings.save((path, text) => {
      mkdirSync(dirname(path), { recursive: true });
      writeFileSync(path, text);
    });
  const t0 = performance.now();
  const fresh = flags.has('--fresh');
  try {
    const signal = only.has('signal') ? await signalStep(s, p, timings, fresh) : null;
    save();
    const deep = only.has('deep') ? await deepStep(s, p, timings, fresh) : null;
    save();
    const batch = only.has('batch') ? await batchStep(s, p, timings) : null;
    save();
    if (signal && deep && batch) {
      const doc = writeDoc({ settings: s, paths: p, timings, signal, deep, batch, thisRun: (performance.now() - t0) / 1000 });
      process.stderr.write(`\nwrote ${doc}\n`);
    } else process.stderr.write('\n(the doc is written when all three steps run)\n');
    return 0;
  } catch (error) {
    save();
    process.stderr.write(`\nreproduce: ${error instanceof Error ? error.message : String(error)}\n`);
    return 1;
  }
}

