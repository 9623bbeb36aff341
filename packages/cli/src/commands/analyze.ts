// skipinit analyze FILE: signal propagation at initialisation, per residual block, for the spec's network
// rewritten to each scheme asked for, with the theory's prediction and the block where values overflow.
import { resolve } from 'node:path';
import type { AnalysisScheme, SignalReport } from '@skipinit/analysis/node';
import {
  AnalysisError,
  ANALYSIS_SCHEMES,
  blockPlan,
  SCHEME_DESCRIPTIONS,
  signalAscii,
  signalFile,
  signalFiles,
  signalPropagation,
  signalText,
  withScheme,
  writeOutputFiles,
} from '@skipinit/analysis/node';
import { closestNames } from '@skipinit/graph';
import { oneFile, parseCommandArgs, parseSets } from '../args';
import type { Command } from '../command';
import { EXIT, UsageError } from '../exit-codes';
import type { Io } from '../io';
import { compileSpec } from '../spec-file';
import { backendLines, checkMode, checkThreads, makeEngine } from '../training/backend';
import { expectedFailure } from '../training/failure';
import { shown } from '../training/run-command';
import { positiveInt, progressLine } from '../analysis/display';

const SCHEME_NAMES = ['spec', ...ANALYSIS_SCHEMES] as const;
const DEFAULT_SCHEMES = ['plain', 'bn', 'skipinit', 'scaled', 'fixup'] as const;

const help = `usage: skipinit analyze FILE [--set name=value]... [--schemes LIST] [--batch N] [--seed N] [--mode train|eval]
                        [--backend MODE] [--threads N] [--out DIR] [--json] [--ascii] [--verbose]

Examples:
  skipinit analyze examples/deep-mlp.arch
  skipinit analyze examples/deep-mlp.arch --set depth=100 --schemes plain,bn --ascii
  skipinit analyze examples/wrn.arch --set depth=1000 --schemes plain,skipinit --out runs/analysis/wrn-1000
  skipinit analyze examples/mnist-resnet-small.arch --schemes spec --json | jq '.summaries'

One forward pass at initialisation on a batch of N(0, 1) inputs, for the network of FILE with its residual
blocks rewritten to each scheme (same widths, depth, stem and head). For every block it records the skip
path's average channel squared mean and variance, the residual branch's variance (before alpha), their
ratio |alpha| std(branch)/std(skip), and the theory's prediction (the second moment E[x^2]: 2^l for plain,
q_0 + l for bn, (1 + alpha^2)^l for skipinit and scaled, beta_l^2 for nf, whose blocks read x / beta_l); it
reports the block where values overflow float32.
Statistics are gathered block by block, so depth 1000 and beyond needs the memory of one block.

Schemes:
  spec       the network as written in FILE
${ANALYSIS_SCHEMES.map((s) => `  ${s}${s.length < 10 ? ' '.repeat(11 - s.length) : `\n${' '.repeat(13)}`}${SCHEME_DESCRIPTIONS[s]}`).join('\n')}

Flags:
  --set name=value   replace a let of the file (or a training setting); repeatable
  --schemes LIST     comma-separated (default ${DEFAULT_SCHEMES.join(',')})
  --batch N          examples in the batch (default 64; 2 when the blocks are convolutional)
  --seed N           seed of the weights and the inputs (default: the spec's train seed, else 0)
  --mode MODE        train (default: batch norm uses batch statistics, as in the paper's analysis) or eval
                     (running statistics, which at initialisation make batch norm an identity)
  --backend MODE     auto (default), webasm, cpu, headlessgl, webgpu (without a GPU: a software
                     renderer, correct, not fast), or reference (float64)
  --threads N|auto   threads that webasm kernels split across (default auto: one per core)
  --out DIR          write signal.json, signal.md and the plots (variance, signal-panels: .svg, .png, .vl.json)
  --json             print every report (per-block statistics, the overflow block, the theory) as JSON
  --ascii            also print the variance against block as a terminal chart
  --verbose          the backend's full selection report (every skipped mode's reason in full)
  -h, --help         show this help

Exit codes: 0 ok, 64 usage, 65 errors in the spec (or a scheme that cannot apply), 66 missing file,
69 backend unavailable, 73 --out cannot be written, 70 internal error.
`;

function parseSchemes(text: string | undefined): (AnalysisScheme | 'spec')[] {
  if (text === undefined) return [...DEFAULT_SCHEMES];
  const names = text.split(',').map((s) => s.trim()).filter((s) => s.length > 0);
  if (names.length === 0) throw new UsageError('--schemes needs at least one name', 'analyze');
  for (const n of names) {
    if (!(SCHEME_NAMES as readonly string[]).includes(n)) {
      const near = closestNames(n, SCHEME_NAMES);
      throw new UsageError(`--schemes: unknown scheme '${n}'${near.length ? `; did you mean '${near[0]}'?` : ''} (known: ${SCHEME_NAMES.join(', ')})`, 'analyze');
    }
  }
  if (new Set(names).size !== names.length) throw new UsageError(`--schemes names a scheme twice: ${text}`, 'analyze');
  return names as (AnalysisScheme | 'spec')[];
}

export async function runAnalyze(argv: string[], io: Io): Promise<number> {
  const { values, positionals } = parseCommandArgs('analyze', argv, {
    set: { type: 'string', multiple: true },
    schemes: { type: 'string' },
    batch: { type: 'string' },
    seed: { type: 'string' },
    mode: { type: 'string' },
    backend: { type: 'string' },
    threads: { type: 'string' },
    out: { type: 'string' },
    json: { type: 'boolean' },
    ascii: { type: 'boolean' },
    verbose: { type: 'boolean' },
    help: { type: 'boolean', short: 'h' },
  });
  if (values.help) {
    io.stdout.write(help);
    return EXIT.ok;
  }
  const file = oneFile('analyze', positionals);
  const schemes = parseSchemes(values.schemes as string | undefined);
  const backend = checkMode('analyze', (values.backend as string | undefined) ?? 'auto');
  const threads = checkThreads('analyze', values.threads as string | undefined, backend);
  const mode = (values.mode as string | undefined) ?? 'train';
  if (mode !== 'train' && mode !== 'eval') throw new UsageError(`--mode must be train or eval, got '${mode}'`, 'analyze');
  const batchFlag = positiveInt('analyze', 'batch', values.batch, 2);
  const seedFlag = positiveInt('analyze', 'seed', values.seed, 0);
  const loaded = await compileSpec(io, 'analyze', file, parseSets('analyze', values.set as string[] | undefined));
  if (!loaded.ok) return loaded.code;
  const { result } = loaded.value;
  const graph = result.graph!;
  const seed = seedFlag ?? result.train?.seed ?? 0;
  // Flat blocks are cheap: 64 examples. Conv blocks get 2: each channel still averages 2 x H x W values (128 on
  // an 8x8 map), and a WRN-1000 pass stays within a minute here.
  const firstBlock = blockPlan(result.inference!).segments[0];
  const batch = batchFlag ?? (firstBlock === undefined || firstBlock.run.inShape.length === 1 ? 64 : 2);
  const json = !!values.json;

  let graphs: { label: string; graph: typeof graph }[];
  try {
    graphs = schemes.map((s) => ({ label: s === 'spec' ? `${graph.name} (as written)` : s, graph: s === 'spec' ? graph : withScheme(graph, s) }));
  } catch (error) {
    if (!(error instanceof AnalysisError)) throw error;
    io.stderr.write(`skipinit analyze: ${file}: ${error.message}\n`);
    return EXIT.spec;
  }

  const reports: SignalReport[] = [];
  try {
    const made = await makeEngine(backend, seed, threads);
    try {
      if (!json) {
        const [head, ...skipped] = backendLines(made, !!values.verbose);
        io.stderr.write(`skipinit analyze: ${file}, ${result.inference!.blocks} residual blocks; backend ${head}\n${skipped.map((l) => `  ${l}\n`).join('')}`);
      }
      for (const g of graphs) {
        const progress = progressLine(io, `  ${g.label}`);
        const t0 = performance.now();
        reports.push(await signalPropagation(g.graph, { engine: made.engine, batch, seed, mode, scheme: g.label, onProgress: progress.update }));
        progress.done(`${((performance.now() - t0) / 1000).toFixed(1)} s`);
      }
    } finally {
      made.engine.destroy();
    }
  } catch (error) {
    if (error instanceof AnalysisError) {
      io.stderr.write(`skipinit analyze: ${error.message}\n`);
      return EXIT.spec;
    }
    const known = expectedFailure(error);
    if (known === null) throw error;
    io.stderr.write(`skipinit analyze: ${known.message}\n`);
    return known.code;
  }

  if (json) io.stdout.write(`${JSON.stringify(signalFile(reports))}\n`);
  else {
    io.stdout.write(signalText(reports));
    if (values.ascii) io.stdout.write(`\n${signalAscii(reports)}`);
  }
  return values.out === undefined ? EXIT.ok : writeOut(io, values.out as string, reports, json);
}

/** --out: the reports and their plots as files. */
async function writeOut(io: Io, out: string, reports: SignalReport[], json: boolean): Promise<number> {
  const dir = resolve(io.cwd, out);
  try {
    const written = writeOutputFiles(dir, await signalFiles(reports));
    if (!json) io.stderr.write(`wrote ${written.length} files to ${shown(io, dir)} (variance.png, signal-panels.png, signal.json, ...)\n`);
  } catch (error) {
    io.stderr.write(`skipinit analyze: cannot write to ${out}: ${(error as Error).message}\n`);
    return EXIT.cantCreate;
  }
  return EXIT.ok;
}

export const analyzeCommand: Command = {
  name: 'analyze',
  summary: 'signal propagation at initialisation per residual block, schemes side by side, with the theory',
  help,
  run: (argv, io) => runAnalyze(argv, io),
};
