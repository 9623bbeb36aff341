// docs/benchmarks.md from a Report (a `--json` run): `npm run bench -- markdown run.json`. Everything
// in it comes from the report, so the page can be regenerated from any run.

import { formatDiff, formatValue, shortNote, type Report } from './report';
import { formatSpeedup } from './speedup';
import type { Measurement } from './types';

const cell = (s: string): string => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');

function row(cells: readonly string[]): string {
  return `| ${cells.map(cell).join(' | ')} |`;
}

function mdTable(head: readonly string[], rows: readonly (readonly string[])[], right: (i: number) => boolean): string[] {
  return [row(head), `|${head.map((_, i) => (right(i) ? '---:' : '---')).join('|')}|`, ...rows.map(row)];
}

const WORKLOADS = [
  '- **R1** matmul C = A B, square 256, 512 and 1024, N(0, 1) inputs: GFLOP/s (2n³ / time).',
  '- **R2** 3x3 convolution, batch 32, 16 -> 16 channels, 32x32, padding 1: forward, and forward + both gradients (dx, dw) for a given dy, in ms.',
  '- **R3** one SGD step (momentum 0.9, lr 0.01) of a CIFAR-shaped pre-activation ResNet, batch 64, input 3x32x32: stem conv 3->16, stages of widths 16/32/64 with 2 blocks each (stride 2 and a 1x1 projection at the first block of stages 2 and 3), global average pool, dense 64->10. Variants: *batchnorm* (bn in every branch and before the head, He init) and *skipinit* (no norm, conv biases, a learnable alpha = 0 per block). images/s.',
  '- **R4** one SGD step (momentum 0.9, lr 0.01) of a residual MLP, batch 64: dense 784->128, D blocks of x + alpha * dense(relu(dense(relu(x)))) at width 128 (SkipInit: alpha learnable from 0), relu, dense 128->10; D = 100 and 1000. images/s.',
  '- **R5** one forward pass at initialisation (no gradients) through R4\'s network with D = 1000 and batch 256, recording for every block the skip path\'s average channel squared mean and variance and the branch\'s average channel variance: ms. Ours gathers them as `skipinit analyze` does (`@skipinit/analysis`: each block\'s skip and branch read back in the block hook and reduced on the host in float64); TF.js reduces on the device with `tf.moments`, its idiom, and reads all blocks\' statistics back once.',
  '',
  'A step is what a training loop does: the batch is uploaded from host memory, forward in training mode, softmax cross-entropy, the loss read back, backward, the SGD update. Ours builds the network with `@skipinit/layers` (`build(graph, { seed })`) and updates it with `@skipinit/trainer`\'s `Sgd`; TensorFlow.js runs the same network written from tfjs-core ops (NHWC, `tf.moments` + `tf.batchNorm`, `tf.train.momentum`, `tf.losses.softmaxCrossEntropy`) with the weights our model was initialised with, converted to its layouts. Both sides start from the same weights and see the same batches, so their losses must agree.',
];

/**
 * The report in the text of a `--json` run's output. Lines before the JSON are skipped: `npm run bench --
 * --json > file` (without npm's --silent) puts npm's "> skipinit-workspace bench" banner first.
 */
export function parseReportText(text: string): Report {
  const start = text.startsWith('{') ? 0 : text.indexOf('\n{') + 1;
  if (start < 0 || text[start] !== '{') throw new Error('no JSON object in it (expected the output of `npm run bench -- --json`)');
  return asReport(JSON.parse(text.slice(start)));
}

/** `value` as a Report, or an error naming what is missing (a file that is not a --json run). */
export function asReport(value: unknown): Report {
  const need = ['date', 'command', 'machine', 'versions', 'systems', 'skipped', 'workloads', 'results', 'speedup', 'agreement'];
  if (value === null || typeof value !== 'object' || Array.isArray(value)) throw new Error('expected the JSON object a `npm run bench -- --json` run prints');
  const missing = need.filter((k) => !(k in value));
  if (missing.length > 0) throw new Error(`not a bench report (made by \`npm run bench -- --json\`): no ${missing.join(', ')}`);
  return value as Report;
}

/** The three tables of a run: each system's numbers, our speed-ups over each peer, and the agreement checks. */
function resultTables(report: Report): { results: string[]; speedups: string[]; checks: string[] } {
  const systems = report.systems;
  const ours = systems.filter((s) => s.side === 'ours');
  const peers = systems.filter((s) => s.side === 'peer');
  const workloads = report.workloads;
  const find = (w: string, s: string) => report.results.find((r) => r.workload === w && r.system === s);

  const results = mdTable(
    ['workload', 'unit', ...systems.map((s) => s.label)],
    workloads.map((w) => [
      w.id,
      w.unit,
      ...systems.map((s) => {
        const r = find(w.id, s.id);
        if (!r) return '-';
        if (r.value === null) return shortNote(r);
        return `${formatValue(r.value, r.unit)}${r.agrees === false ? ' (DISAGREES)' : ''}`;
      }),
    ]),
    (i) => i >= 2,
  );
  const pairs = ours.flatMap((o) => peers.map((p) => ({ o, p })));
  const speedups = mdTable(
    ['workload', ...pairs.map(({ o, p }) => `${o.id} vs ${p.id}`)],
    workloads.map((w) => [w.id, ...pairs.map(({ o, p }) => formatSpeedup(report.speedup[w.id]?.[o.id]?.[p.id] ?? null))]),
    (i) => i >= 1,
  );
  const checks = mdTable(
    ['workload', 'compared', 'tolerance', 'largest difference'],
    workloads.map((w) => {
      const diffs = report.results.filter((r) => r.workload === w.id && r.maxDiff !== null);
      const worst = diffs.reduce<Measurement | null>((a, r) => (a === null || r.maxDiff! > a.maxDiff! ? r : a), null);
      return [w.id, w.compared, String(w.tolerance), worst === null ? 'not compared (one system ran)' : `${formatDiff(worst)} (${diffs.length} systems)`];
    }),
    () => false,
  );
  return { results, speedups, checks };
}

export function formatMarkdown(report: Report): string {
  const m = report.machine;
  const systems = report.systems;
  const { results, speedups, checks } = resultTables(report);
  const notes = report.results.filter((r) => r.note !== undefined).map((r) => `- ${r.workload} on ${r.label}: ${r.note}`);

  return [
    '# Benchmarks: our engine side by side with TensorFlow.js',
    '',
    'Generated by `tools/bench` (issue 7) from one `npm run bench -- --json` run (kept in `docs/benchmarks.json`), in which every system ran every workload in the',
    'same process, the systems alternating each repetition. Do not edit by hand; to regenerate (when `uptime` shows a low load):',
    '',
    '```sh',
    'npm run --silent bench -- --json > docs/benchmarks.json    # the run (progress on stderr)',
    'npm run --silent bench -- markdown docs/benchmarks.json > docs/benchmarks.md',
    '```',
    '',
    '## The run',
    '',
    ...mdTable(
      ['', ''],
      [
        ['date', report.date],
        ['command', `\`${report.command}\``],
        ['commit', report.commit ?? 'unknown'],
        ['machine', `${m.cpu}, ${m.cores} cores, ${m.memoryGiB} GiB, ${m.platform}`],
        ['load average (1, 5, 15 min)', `${m.loadStart.map((x) => x.toFixed(2)).join(', ')} at the start; ${m.loadEnd.map((x) => x.toFixed(2)).join(', ')} at the end`],
        ['Node', m.node],
        ['versions', Object.entries(report.versions).map(([k, v]) => `${k} ${v}`).join(', ')],
        ['timing', `median of ${report.reps} timed runs per system after ${report.warmup} warm-up run(s); a warm-up run over ${report.maxRunS} s marks the case "too slow"`],
      ],
      () => false,
    ),
    '',
    '## Results',
    '',
    'GFLOP/s and images/s: higher is better; ms: lower is better.',
    '',
    ...results,
    '',
    '## Speed-ups of ours over TensorFlow.js',
    '',
    'Their median time / our median time on the same workload: above 1 means we are faster.',
    '',
    ...speedups,
    '',
    '## Did both compute the same thing?',
    '',
    'Each system\'s output is compared with the first system\'s (largest |a - b| / max(1, |b|)).',
    report.agreement.ok ? 'Every comparison was within its tolerance.' : `**Agreement failed:** ${report.agreement.failures.join('; ')}.`,
    '',
    ...checks,
    '',
    '## Systems',
    '',
    ...systems.map((s) => `- **${s.label}** (\`${s.id}\`): ${s.details.selection ?? s.details.note ?? ''}`),
    ...report.skipped.map((s) => `- not run: ${s}`),
    '',
    ...(notes.length > 0 ? ['Cases without a number (none is dropped):', '', ...notes, ''] : []),
    '## Workloads',
    '',
    ...WORKLOADS,
    '',
  ].join('\n');
}
