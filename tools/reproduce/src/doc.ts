// docs/reproduction.md, written from the measurements: every number below comes from the run's results,
// and every verdict from the criterion printed next to it.
import { writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import type { SignalSummary } from '@skipinit/analysis';
import { formatNumber, signalSummaryTable, toMarkdown } from '@skipinit/analysis';
import type { BatchOutcome } from './batch-step';
import type { DeepRun } from './deep-step';
import type { Paths, Timings } from './outputs';
import type { Settings } from './settings';
import type { SignalRun } from './signal-step';

interface DocInput {
  readonly settings: Settings;
  readonly paths: Paths;
  readonly timings: Timings;
  readonly signal: { readonly mlp: SignalRun; readonly wrn: SignalRun };
  readonly deep: { readonly runs: readonly DeepRun[]; readonly curves: string; readonly recipe: string };
  readonly batch: BatchOutcome;
  /** Seconds this invocation took (less than the total when results were reused). */
  readonly thisRun: number;
}

type Verdict = 'reproduced' | 'partly reproduced' | 'not reproduced';

const n = (x: number | null | undefined, digits = 3): string => (x === null || x === undefined ? 'n/a' : formatNumber(x, digits));
const pct = (x: number | null | undefined): string => (x === null || x === undefined ? 'n/a' : `${(x * 100).toFixed(2)}%`);
const minutes = (s: number | null): string => (s === null ? 'n/a' : s < 90 ? `${s.toFixed(0)} s` : `${(s / 60).toFixed(1)} min`);
const bySchemes = (run: SignalRun, scheme: string): SignalSummary | undefined => run.summaries.find((x) => x.scheme === scheme);
const verdict = (all: boolean, some: boolean): Verdict => (all ? 'reproduced' : some ? 'partly reproduced' : 'not reproduced');

/** The bullet on NF-ResNets (Brock, De & Smith 2021), the paper's successor, drawn beside its schemes. */
function nfLines(nf: SignalSummary | undefined): string[] {
  if (nf === undefined) return [];
  return [
    `- **The successor, NF-ResNets (nf)** (Brock, De & Smith 2021; not one of the paper's claims): x + 0.2 f(x / beta_l) with`,
    '  Scaled Weight Standardisation instead of batch norm, beta_l the predicted standard deviation (beta_{l+1}^2 =',
    `  beta_l^2 + 0.04). The skip path grows linearly by design, as with batch norm (which adds 1 per block, NF alpha^2 = 0.04 of beta^2): Var(x_l)/beta_l^2 stays in`,
    `  [${n(nf.varianceOverBeta2?.min)}, ${n(nf.varianceOverBeta2?.max)}] (the stem's He dense hands the first block Var(x_0) = ${n(nf.inputVariance)}, not the 1 that beta_0 = 1`,
    `  assumes, and the ratio carries through), Var(x_${nf.blocks}) = ${n(nf.finalVariance)}.`,
  ];
}

/** The Wide-ResNet's note on NF-ResNets, when the run drew them. */
function wrnNfLines(wrnNf: SignalSummary | undefined): string[] {
  if (wrnNf === undefined) return [];
  return [
    '',
    `NF-ResNet's transitions put the shortcut on x / beta_l too, so its stream restarts at every stage as batch norm's does;`,
    `here Var(x_l)/beta_l^2 stays in [${n(wrnNf.varianceOverBeta2?.min)}, ${n(wrnNf.varianceOverBeta2?.max)}] over the whole network (the stem's He convolution hands the first block twice a unit variance, which beta_0 = 1 assumes, and the projections keep that ratio).`,
  ];
}

/** What the load after each experiment says about the times: their own processes, or other work too (then upper bounds). */
function loadNote(range: [number, number] | null, cores: number): string {
  if (range === null) return '';
  const [low, high] = range;
  // the experiments keep every core busy themselves (and their parent process wakes now and then)
  if (high > 1.5 * cores) return `, on a machine shared with other work (1-minute load average ${low}-${high} on ${cores} cores after the experiments), so these are upper bounds`;
  return `; the 1-minute load average after them was ${low}-${high} on ${cores} cores, their own processes included`;
}

export function writeDoc(input: DocInput): string {
  const { settings: s, signal } = input;
  const out: string[] = [];
  const w = (...lines: string[]): void => void out.push(...lines);
  const mlp = signal.mlp;
  const sig = signalFacts(mlp);
  const { plain, bn, skip, scaled, fixup, p1Slope, band, rband, share } = sig;
  const nf = bySchemes(mlp, 'nf');
  const wrnNf = bySchemes(signal.wrn, 'nf');
  const deep = deepFacts(input.deep);
  const batch = batchFacts(input.batch);
  w(...intro(input, sig, deep, batch));

  // ---- P1-P3 details
  w(
    '## P1-P3: signal propagation at initialisation',
    '',
    'One forward pass at initialisation on a batch of N(0, 1) inputs, in training mode (batch norm normalises',
    "with the batch's statistics, as in the paper's analysis), recording per residual block the average channel",
    'squared mean and variance of the skip path, the variance of the residual branch before alpha, and the ratio',
    "|alpha| std(branch) / std(skip). The theory's prediction is the second moment E[x^2] block by block",
    '(`packages/analysis/src/theory.ts` states the rules and their assumptions). The pass stops at the block where',
    'values overflow float32: every later block would only see Inf and NaN.',
    '',
    `### A ${mlp.reports[0]?.blocks ?? ''}-block residual MLP (width 128)`,
    '',
    '```',
    mlp.command,
    '```',
    '',
    `![variance of the skip path against block, measured and theory](${mlp.variance})`,
    '',
    `![signal propagation plots: channel squared mean, channel variance, branch variance, ratio](${mlp.panels})`,
    '',
    toMarkdown(signalSummaryTable(mlp.summaries)).trimEnd(),
    '',
    `- **P1 (plain)**: ln Var(x_l) grows by ${n(p1Slope)} per block (least squares over the ${plain?.overflowBlock ? plain.overflowBlock - 1 : plain?.blocks} finite blocks;`,
    `  the theory's second moment grows by exactly ln 2 = 0.693), and values overflow float32 at block ${plain?.overflowBlock ?? 'none'}`,
    `  (\`${plain?.overflowName ?? '-'}\`) where the theory says block ${plain?.theoryOverflowBlock ?? 'none'}. A network of a few hundred such blocks cannot even`,
    '  compute its loss at initialisation.',
    `- **P2 (bn)**: Var(x_l)/l stays in [${n(band?.min)}, ${n(band?.max)}] for l >= ${bn?.from}: the skip path grows linearly. The theory's E[x_l^2] =`,
    `  q_0 + l; the average channel variance is ${share === null ? 'a part' : `${(share * 100).toFixed(0)}%`} of it (measured), the rest being per-channel means (after the`,
    `  last dense layer of a branch the means of relu outputs do not cancel). ratio x sqrt(l) stays in`,
    `  [${n(rband?.min)}, ${n(rband?.max)}]: the branch is downscaled relative to the skip path like 1/sqrt(l), so deep blocks are close`,
    '  to the identity.',
    `- **P3 (skipinit, scaled, fixup)**: with alpha = 0 ${skip?.identity ? 'every block output has exactly the statistics of its input' : 'blocks were NOT exact identities'}`,
    `  (Var = ${n(skip?.inputVariance)} throughout); Fixup's zero-initialised last layer gives the same${fixup?.identity ? '' : ' (NOT observed here)'}.`,
    `  With alpha = 1/sqrt(d) the variance grows to at most ${n(scaled?.maxGrowth)} times the input's, below e = 2.718 ((1 + 1/d)^d).`,
    ...nfLines(nf),
    '',
    `### A Wide-ResNet of depth ${s.signal.wrnDepth} (${signal.wrn.reports[0]?.blocks ?? ''} blocks in 3 stages, width factor 2)`,
    '',
    '```',
    signal.wrn.command,
    '```',
    '',
    `![variance against block for the Wide-ResNet](${signal.wrn.variance})`,
    '',
    toMarkdown(signalSummaryTable(signal.wrn.summaries)).trimEnd(),
    '',
    'The first block of each stage projects (a 1x1 convolution of the pre-activated input) instead of adding the',
    "identity; with batch norm the projection reads the normalised input, so the stream's variance resets to about",
    '2 there and grows linearly again through the stage (the zoomed panel). Var(x_l)/l and ratio x sqrt(l) in the',
    'table count l over the whole network, so for batch norm they are constant only within a stage (counting l from',
    "the stage's first block). The theory counts the taps a 3x3 convolution loses to zero padding at the image border",
    '(on average 4% on 32x32, 16% on 8x8), assuming every position has the same variance.',
    ...wrnNfLines(wrnNf),
    '',
  );

  w(...deepSection(input, deep), ...batchSection(input, batch), ...differences(input, sig, deep, batch), ...runAgain(input));
  const path = join(input.paths.docs, 'reproduction.md');
  writeFileSync(path, out.join('\n'));
  return path;
}

/** P1-P3 from the MLP's signal propagation: the schemes' summaries, the laws' numbers and the verdicts. */
function signalFacts(mlp: SignalRun) {
  const plain = bySchemes(mlp, 'plain');
  const bn = bySchemes(mlp, 'bn');
  const skip = bySchemes(mlp, 'skipinit');
  const scaled = bySchemes(mlp, 'scaled');
  const fixup = bySchemes(mlp, 'fixup');

  const p1Slope = plain?.logSlope ?? null;
  const p1ok = p1Slope !== null && Math.abs(p1Slope - Math.LN2) < 0.1;
  const p1over = plain?.overflowBlock !== null && plain?.overflowBlock !== undefined && plain.theoryOverflowBlock !== null && Math.abs(plain.overflowBlock / plain.theoryOverflowBlock - 1) < 0.15;
  const p1 = verdict(p1ok && p1over, p1ok || p1over);
  const band = bn?.varianceOverDepth ?? null;
  const rband = bn?.ratioTimesSqrtDepth ?? null;
  const p2a = band !== null && band.max / band.min < 2;
  const p2b = rband !== null && rband.max / rband.min < 1.5;
  const p2 = verdict(p2a && p2b, p2a || p2b);
  // The share of the channel variance in E[x^2] for bn, averaged over the blocks of the band.
  const bnReport = mlp.reports.find((r) => r.scheme === 'bn');
  const shares = (bnReport?.records ?? [])
    .filter((r) => r.index + 1 >= (bn?.from ?? 1) && r.output.variance !== null && r.output.secondMoment)
    .map((r) => r.output.variance! / r.output.secondMoment!);
  const share = shares.length > 0 ? shares.reduce((a, b) => a + b, 0) / shares.length : null;
  const p3a = skip?.identity === true;
  const p3b = scaled?.maxGrowth !== null && scaled?.maxGrowth !== undefined && scaled.maxGrowth < Math.E;
  const p3 = verdict(p3a && p3b, p3a || p3b);

  return { plain, bn, skip, scaled, fixup, p1Slope, p1, band, rband, p2, share, p3 };
}
type SignalFacts = ReturnType<typeof signalFacts>;

/** P4 from the deep runs: each scheme's run and the verdict. */
function deepFacts(deep: DocInput['deep']) {
  const run = (k: string): DeepRun | undefined => deep.runs.find((r) => r.scheme === k);
  const dPlain = run('plain')!;
  const dSkip = run('skipinit')!;
  const dBn = run('bn')!;
  const plainFails = dPlain.summary.diverged || (dPlain.summary.test_accuracy ?? 0) < 0.2;
  const skipAcc = dSkip.summary.test_accuracy;
  const bnAcc = dBn.summary.test_accuracy;
  const skipMatches = skipAcc !== null && bnAcc !== null && skipAcc >= bnAcc - 0.02;
  const p4 = verdict(plainFails && skipMatches, plainFails || skipMatches);

  return { ...deep, dPlain, dSkip, dBn, plainFails, skipAcc, bnAcc, skipMatches, p4 };
}
type DeepFacts = ReturnType<typeof deepFacts>;

/** P5-P6 from the batch-size sweeps: the rows, the gaps between the schemes, stability and the verdicts. */
function batchFacts(batch: BatchOutcome) {
  const rows = batch.rows;
  const batches = [...new Set(rows.map((r) => r.batch))].sort((a, b) => a - b);
  const row = (scheme: string, b: number) => rows.find((r) => r.scheme === scheme && r.batch === b);
  const gap = (b: number): number | null => {
    const x = row('bn', b)?.optimalAccuracy;
    const y = row('skipinit', b)?.optimalAccuracy;
    return x === null || x === undefined || y === null || y === undefined ? null : x - y;
  };
  const small = batches.filter((b) => b <= 128);
  const p5ok = small.length > 0 && small.every((b) => gap(b) !== null && Math.abs(gap(b)!) <= 0.015);
  const p5some = small.some((b) => gap(b) !== null && Math.abs(gap(b)!) <= 0.015);
  const p5 = verdict(p5ok, p5some);
  const stable = (scheme: string, b: number): number => row(scheme, b)?.largestStableLr ?? 0;
  const p6a = batches.every((b) => stable('bn', b) >= stable('skipinit', b));
  const p6aStrict = batches.some((b) => stable('bn', b) > stable('skipinit', b));
  const gLarge = gap(batches[batches.length - 1]);
  const gSmall = gap(batches[0]);
  const p6b = gLarge !== null && gSmall !== null && gLarge > gSmall && gLarge > 0;
  const p6 = verdict(p6a && p6aStrict && p6b, (p6a && p6aStrict) || p6b);

  return { ...batch, batches, row, gap, small, p5ok, p5, stable, p6a, p6aStrict, gLarge, gSmall, p6b, p6 };
}
type BatchFacts = ReturnType<typeof batchFacts>;

/** The title, how it was run, the summary table of the six claims and their criteria. */
function intro(input: DocInput, sig: SignalFacts, deep: DeepFacts, batch: BatchFacts): string[] {
  const { settings: s, timings: t } = input;
  const { plain, bn, skip, scaled, p1Slope, p1, band, rband, p2, p3 } = sig;
  const { dPlain, skipAcc, bnAcc, p4 } = deep;
  const { batches, gap, small, p5, stable, gLarge, gSmall, p6 } = batch;
  const total = t.total();
  const timeOf = (prefix: string): number => {
    let sum = 0;
    for (const k of ['deep-mlp', 'wrn', 'plain', 'skipinit', 'bn']) sum += t.get(`${prefix} ${k}`) ?? 0;
    return sum;
  };

  return [
    '# The paper, reproduced at laptop scale',
    '',
    '<!-- Generated by tools/reproduce/run.mjs from its measurements; edit the script, not this file. -->',
    '',
    'De & Smith, "Batch Normalization Biases Residual Blocks Towards the Identity Function in Deep Networks"',
    "(NeurIPS 2020, arXiv 2002.10444): its claims P1-P6 (the table below states each), measured with this repository's own tools:",
    '`skipinit analyze` (signal propagation at initialisation), `skipinit train` and `skipinit sweep`. Every number',
    `and figure below comes from one run of \`node tools/reproduce/run.mjs${s.name === 'quick' ? ' --quick' : ''}\`; run it again to check them.`,
    '',
    `- **Machine**: ${t.machineText}. Engine: gpu.js in 'webasm' mode with the CLI's \`--threads auto\` (one thread per core in a single process; the sweeps ran ${s.parallel} worker processes sharing the cores out).`,
    `- **Run time**: the experiments took ${minutes(total)} in all (P1-P3 ${minutes(timeOf('p1-p3'))}, P4 ${minutes(timeOf('p4'))}, P5-P6 ${minutes(timeOf('p5-p6'))})${loadNote(t.loadRange, availableParallelism())}.`,
    `- **Scale**: MNIST and residual MLPs / Wide-ResNets at initialisation instead of CIFAR-10 and ImageNet training runs of 200 epochs (see [the differences](#where-the-measurements-differ-from-the-paper-and-why)).`,
    '',
    '## Summary',
    '',
    '| # | claim | measured here | verdict |',
    '|---|---|---|---|',
    `| P1 | unnormalised, He init: skip-path variance grows ~2^l and overflows | ln Var grows ${n(p1Slope)} per block (ln 2 = 0.693); overflow at block ${plain?.overflowBlock ?? 'none'} of ${plain?.blocks ?? '?'} (theory: ${plain?.theoryOverflowBlock ?? 'none'}) | ${p1} |`,
    `| P2 | batch norm: variance grows ~l, branch/skip ratio ~1/sqrt(l) | Var(x_l)/l in [${n(band?.min)}, ${n(band?.max)}], ratio x sqrt(l) in [${n(rband?.min)}, ${n(rband?.max)}] for l >= ${bn?.from ?? '?'} | ${p2} |`,
    `| P3 | SkipInit alpha=0 is the identity; alpha=1/sqrt(d) stays below e | alpha=0: ${skip?.identity ? 'every block output equals its input exactly' : 'NOT an exact identity'}; scaled: max Var(x_l)/Var(x_0) = ${n(scaled?.maxGrowth)} | ${p3} |`,
    `| P4 | a deep unnormalised net does not train; with SkipInit it does, as well as batch norm | ${s.deep.depth} blocks: plain ${dPlain.summary.diverged ? `diverged at step ${dPlain.summary.divergence?.step ?? '?'}` : `reached ${pct(dPlain.summary.test_accuracy)}`}; SkipInit ${pct(skipAcc)}; batch norm ${pct(bnAcc)} | ${p4} |`,
    `| P5 | SkipInit matches batch norm at small and moderate batch sizes | best test accuracy, batch norm - SkipInit: ${small.map((b) => `${gap(b) === null ? 'n/a' : `${((gap(b) ?? 0) * 100).toFixed(2)} points`} at batch ${b}`).join(', ')} | ${p5} |`,
    `| P6 | batch norm tolerates larger learning rates; its benefit appears only at large batch | largest stable lr (bn / SkipInit): ${batches.map((b) => `${n(stable('bn', b))} / ${n(stable('skipinit', b))} at batch ${b}`).join('; ')}; accuracy gap ${gSmall === null ? 'n/a' : `${(gSmall * 100).toFixed(2)}`} points at batch ${batches[0]}, ${gLarge === null ? 'n/a' : `${(gLarge * 100).toFixed(2)}`} at batch ${batches[batches.length - 1]} | ${p6} |`,
    '',
    'Criteria: P1 reproduced when the slope is within 0.1 of ln 2 and the overflow block within 15% of the',
    "theory's; P2 when Var(x_l)/l varies by less than a factor 2 and ratio x sqrt(l) by less than 1.5 over the",
    'bands; P3 when alpha = 0 gives exactly the identity and scaled stays below e; P4 when plain diverges (or stays',
    'below 20%) and SkipInit comes within 2 points of batch norm; P5 when the two are within 1.5 points at every',
    "batch size <= 128; P6 when batch norm's largest stable learning rate (neither diverged nor stalled near chance) is at least SkipInit's at every batch size",
    '(and larger at one) and its accuracy advantage is larger at the largest batch than at the smallest.',
    '',
  ];
}

/** P4: the deep network trained three ways, side by side. */
function deepSection(input: DocInput, d: DeepFacts): string[] {
  const { settings: s } = input;
  const deep = d;
  const { dPlain, skipAcc, bnAcc } = d;
  return [
    `## P4: training a ${s.deep.depth}-block network without normalisation`,
    '',
    `The residual MLP of \`examples/deep-mlp.arch\` at width ${s.deep.width}, trained on MNIST by one recipe: ${deep.recipe}.`,
    '',
    '```',
    ...deep.runs.map((r) => r.command),
    '```',
    '',
    '| scheme | outcome | first training loss | final training loss | test accuracy | steps |',
    '|---|---|---:|---:|---:|---:|',
    ...deep.runs.map(
      (r) =>
        `| ${r.scheme} | ${r.summary.status}${r.summary.divergence ? ` (step ${r.summary.divergence.step}: ${r.summary.divergence.reason})` : ''} | ${n(r.firstLoss, 4)} | ${n(r.summary.train_loss, 4)} | ${pct(r.summary.test_accuracy)} | ${r.summary.steps} |`,
    ),
    '',
    `![training curves](${deep.curves})`,
    '',
    dPlain.summary.diverged
      ? `The plain network (x + f(x)) diverges at step ${dPlain.summary.divergence?.step}: ${dPlain.summary.divergence?.reason}. Its forward pass at initialisation already carries a variance of about 2^${s.deep.depth} (P1), so the loss of the very first batch is ${dPlain.firstLoss === null ? 'not finite' : n(dPlain.firstLoss)}; the trainer stops it before any update.`
      : `The plain network did not diverge (test accuracy ${pct(dPlain.summary.test_accuracy)}).`,
    `With SkipInit (alpha = 0 at the start, no normalisation) the same network trains to ${pct(skipAcc)} test accuracy; with batch norm, ${pct(bnAcc)}.`,
    '',
  ];
}

/** P5-P6: accuracy and stability against learning rate and batch size. */
function batchSection(input: DocInput, b: BatchFacts): string[] {
  const { settings: s } = input;
  const batch = b;
  const { batches, row } = b;
  return [
    '## P5-P6: learning rate and batch size',
    '',
    `A ${s.batch.depth}-block residual MLP (width 64) on ${s.batch.limit} MNIST training examples for ${s.batch.epochs} epochs at every batch size (so a`,
    `batch of ${batches[batches.length - 1]} takes ${batches[batches.length - 1] / batches[0]} times fewer steps than one of ${batches[0]}), SGD with momentum 0.9 and a constant learning rate,`,
    `evaluated on the 10,000 test images: ${batch.cells} runs, one sweep per scheme (\`${batch.spec}\`).`,
    '',
    '```',
    ...batch.commands,
    '```',
    '',
    toMarkdown(batch.table).trimEnd(),
    '',
    `![accuracy against learning rate, per batch size](${batch.accuracy})`,
    '',
    `![optimal and largest stable learning rate against batch size](${batch.lrs})`,
    '',
    ...batches.map((b) => {
      const x = row('bn', b);
      const y = row('skipinit', b);
      return `- batch ${b}: batch norm ${pct(x?.optimalAccuracy)} at lr ${n(x?.optimalLr)} (stable up to ${n(x?.largestStableLr)}), SkipInit ${pct(y?.optimalAccuracy)} at lr ${n(y?.optimalLr)} (stable up to ${n(y?.largestStableLr)}).`;
    }),
    '',
  ];
}

/** Where the measurements differ from the paper, and why: a note for each difference the numbers show. */
function differences(input: DocInput, sig: SignalFacts, deep: DeepFacts, b: BatchFacts): string[] {
  const { settings: s, signal } = input;
  const { plain, p1Slope, share } = sig;
  const { plainFails, skipAcc, bnAcc, skipMatches } = deep;
  const batch = b;
  const { rows, batches, gap, small, p5ok, stable, p6a, p6aStrict, gLarge, gSmall, p6b } = b;
  const notes: string[] = [
    "**Scale and data.** The paper trains Wide-ResNets on CIFAR-10 for 200 epochs (94.3% with SkipInit at depth 1000) and ResNet-50 on ImageNet. Here the signal-propagation claims (P1-P3) are measured at the paper's depth, but the training claims (P4-P6) use MNIST, residual MLPs and runs of minutes on two CPU cores. The accuracies are not comparable with the paper's; the comparisons between schemes under one recipe are what is tested.",
  ];
  if (p1Slope !== null && p1Slope < Math.LN2 - 0.01)
    notes.push(
      `**P1's slope is ${n(p1Slope)}, not ln 2 = 0.693.** The theory predicts the expected second moment, E[Var(x_{l+1})] = 2 Var(x_l) over the random weights; the measured log-variance averages the logarithm of the per-block growth factor, which is below the logarithm of its mean at finite width (Jensen's inequality; the deficit shrinks as the width grows, see \`packages/analysis/src/signal.test.ts\`). The overflow block ${plain?.overflowBlock} against the theory's ${plain?.theoryOverflowBlock} is the same effect, accumulated.`,
    );
  notes.push(
    `**Variance or second moment.** The paper's argument is about Var(x_l) over the weights' distribution, which is the second moment E[x_l^2]; what signal-propagation plots measure is the average channel variance, which leaves out the per-channel means. At initialisation the means carry a sizeable part of the second moment (relu outputs have a positive mean that the next dense layer turns into a per-channel offset): ${share === null ? '' : `for batch norm the channel variance is ${(share * 100).toFixed(0)}% of E[x^2], `}so the channel variance sits below the theory's curve while following its shape. The variance plot draws E[x^2] for both; the panels plot shows the two parts apart.`,
  );
  const wrnPlain = bySchemes(signal.wrn, 'plain');
  if (wrnPlain?.overflowBlock && wrnPlain.theoryOverflowBlock)
    notes.push(
      `**Convolutions at the image border.** In the Wide-ResNet, plain overflows at block ${wrnPlain.overflowBlock}, the theory says ${wrnPlain.theoryOverflowBlock}: zero padding removes taps at the border, and the deficit compounds from layer to layer (the border of the stream stays smaller than its interior), which the theory's per-layer average (assuming a uniform variance over positions) only approximates; at width 32-128 the finite-width effect of P1 adds to it.`,
    );
  if (!plainFails) notes.push('**P4: the plain network trained.** Not what the paper reports at this depth; see the table above.');
  if (skipAcc !== null && bnAcc !== null && skipAcc > bnAcc + 0.02)
    notes.push(
      `**P4: SkipInit is ahead of batch norm** (${pct(skipAcc)} against ${pct(bnAcc)}) after ${s.deep.steps} steps; the paper finds them comparable after full training. A run this short measures how fast each starts: at the same learning rate, the ${s.deep.depth}-block batch-norm network${bnAcc < 0.9 ? ' had not caught up yet' : ' trails'} (its loss curve above), and it might well with a longer run or its own learning rate.`,
    );
  if (!skipMatches)
    notes.push(
      `**P4: SkipInit stays ${skipAcc !== null && bnAcc !== null ? ((bnAcc - skipAcc) * 100).toFixed(2) : 'n/a'} points below batch norm** after ${s.deep.steps} steps. The paper's claim is about training to convergence (200 epochs); a run this short compares the speed of the first few hundred steps, where batch norm's normalised gradients help.`,
    );
  if (!p5ok)
    notes.push(
      `**P5 only partly: at small batch sizes the best accuracies differ by more than 1.5 points** (${small.map((b) => `${((gap(b) ?? 0) * 100).toFixed(2)} at batch ${b}`).join(', ')}). With a fixed epoch budget and a grid of learning rates a factor of about 3 apart, the best cell of each scheme can land on different grid points; the paper's claim is at the optimal learning rate, tuned finely, and trained to convergence.`,
    );
  if (!p6b)
    notes.push(
      `**P6: batch norm's advantage does not grow with the batch size here** (gap ${gSmall === null ? 'n/a' : (gSmall * 100).toFixed(2)} points at batch ${batches[0]}, ${gLarge === null ? 'n/a' : (gLarge * 100).toFixed(2)} at batch ${batches[batches.length - 1]}). The paper's effect appears when the epoch budget forces large learning rates at large batch sizes on a deep network; a ${s.batch.depth}-block MLP on MNIST reaches similar accuracy at moderate learning rates with either scheme, so the regime where only batch norm can use the learning rate it needs is not reached.`,
    );
  if (!(p6a && p6aStrict))
    notes.push(
      `**P6: batch norm's largest stable learning rate is not above SkipInit's at every batch size** (${batches.map((b) => `${n(stable('bn', b))} vs ${n(stable('skipinit', b))} at ${b}`).join('; ')}). The grid's factor-of-about-3 steps bound how finely this is resolved.`,
    );
  const top = Math.max(...batch.points.map((x) => x.lr));
  const bottom = Math.min(...batch.points.map((x) => x.lr));
  const atTop = rows.filter((r) => r.largestStableLr === top).map((r) => `${r.scheme} at batch ${r.batch}`);
  const atBottom = rows.filter((r) => r.optimalLr === bottom).map((r) => `${r.scheme} at batch ${r.batch}`);
  if (atTop.length > 0 || atBottom.length > 0)
    notes.push(
      `**The learning-rate grid bounds some answers.** ${atTop.length > 0 ? `The largest stable learning rate is the grid's largest (${n(top)}) for ${atTop.join(', ')}: it is at least ${n(top)}, not exactly. ` : ''}${atBottom.length > 0 ? `The optimal learning rate is the grid's smallest (${n(bottom)}) for ${atBottom.join(', ')}, so the true optimum may lie lower.` : ''}`,
    );
  const stalled = batch.points.filter((x) => x.stalled);
  notes.push(
    `**Stable, diverged, stalled.** A run diverges when its training loss is not finite or exceeds 100 ln(10) = 230 (the trainer's explosion threshold; it stops there). The paper counts a learning rate as unstable when training fails; here a learning rate is stable when its run neither diverged nor stalled, a stalled run being one that completed at no more than twice chance accuracy (20% on MNIST). ${stalled.length === 0 ? 'No run of the sweeps stalled.' : `${stalled.length} run(s) stalled: ${stalled.map((x) => `${x.scheme} at batch ${x.batch}, lr ${n(x.lr)} (${pct(x.accuracy)})`).join('; ')}; batch norm's scale invariance keeps the loss finite at learning rates where the weights no longer improve.`}`,
  );
  return ['## Where the measurements differ from the paper, and why', '', ...notes.flatMap((note) => [`- ${note}`, ''])];
}

/** How to run it again. */
function runAgain(input: DocInput): string[] {
  const { settings: s } = input;
  return [
    '## Running it again',
    '',
    '```',
    `node tools/reproduce/run.mjs${s.name === 'quick' ? ' --quick' : ''}            # everything; reuses finished results under ${s.runs}/`,
    `node tools/reproduce/run.mjs${s.name === 'quick' ? ' --quick' : ''} --fresh    # recompute the analysis and training steps`,
    ...(s.name === 'quick' ? [] : ['node tools/reproduce/run.mjs --quick    # small sizes, a few minutes, into runs/reproduce-quick/']),
    '```',
    '',
    `This invocation took ${minutes(input.thisRun)}; the experiments' own times are listed at the top. Each experiment is`,
    'an ordinary `skipinit` command (shown above), so any of them can be re-run, resumed or plotted on its own',
    '(`skipinit plot DIR`).',
    '',
  ];
}
