// The outputs of a signal-propagation comparison (`skipinit analyze`): a text summary, an ASCII chart,
// the JSON of every report, and the plots.
import { asciiChart } from '../ascii-chart';
import type { AsciiSeries } from '../ascii-chart';
import { reportLabel } from '../plot/signal-plots';
import type { SignalReport } from '../signal';
import type { SignalSummary } from '../signal-summary';
import { summarizeSignal } from '../signal-summary';
import { formatNumber, toMarkdown } from '../table';
import type { Table } from '../table';

export const SIGNAL_FORMAT = 'skipinit.signal';

/** signal.json: every report, as `skipinit analyze --json` prints it. */
export interface SignalFile {
  readonly format: typeof SIGNAL_FORMAT;
  readonly version: 1;
  readonly reports: readonly SignalReport[];
  readonly summaries: readonly SignalSummary[];
}

export function signalFile(reports: readonly SignalReport[]): SignalFile {
  return { format: SIGNAL_FORMAT, version: 1, reports, summaries: reports.map((r) => summarizeSignal(r)) };
}

const num = (v: number | null, digits = 3): string => (v === null ? '-' : formatNumber(v, digits));
const bandText = (b: { min: number; max: number } | null): string => (b === null ? '-' : `${formatNumber(b.min, 3)} .. ${formatNumber(b.max, 3)}`);

/** One row per scheme: the overflow block, growth and the bands of the paper's laws. */
export function signalSummaryTable(summaries: readonly SignalSummary[]): Table {
  return {
    columns: [
      { key: 'scheme', kind: 'text' },
      { key: 'blocks', kind: 'number' },
      { key: 'overflow', title: 'overflows at block', kind: 'text' },
      { key: 'theory_overflow', title: 'theory: overflow', kind: 'text' },
      { key: 'slope', title: 'ln Var per block', kind: 'text' },
      { key: 'theory_slope', title: 'theory', kind: 'text' },
      { key: 'growth', title: 'max Var(x_l)/Var(x_0)', kind: 'text' },
      { key: 'var_l', title: 'Var(x_l)/l', kind: 'text' },
      { key: 'ratio', title: 'ratio x sqrt(l)', kind: 'text' },
      { key: 'beta', title: 'Var(x_l)/beta_l^2', kind: 'text' },
    ],
    rows: summaries.map((s) => ({
      scheme: s.scheme,
      blocks: s.blocks,
      overflow: s.overflowBlock === null ? 'none' : String(s.overflowBlock),
      theory_overflow: s.theoryOverflowBlock === null ? 'none' : String(s.theoryOverflowBlock),
      slope: num(s.logSlope),
      theory_slope: num(s.theoryLogSlope),
      growth: s.identity ? '1 (identity)' : num(s.maxGrowth),
      var_l: bandText(s.varianceOverDepth),
      ratio: bandText(s.ratioTimesSqrtDepth),
      beta: bandText(s.varianceOverBeta2),
    })),
  };
}

/** The text `skipinit analyze` prints: per scheme its law and overflow, then the summary table. */
export function signalText(reports: readonly SignalReport[]): string {
  const lines: string[] = [];
  const first = reports[0];
  if (first)
    lines.push(
      `${first.graph}: ${first.blocks} residual blocks; forward pass at initialisation in ${first.mode} mode on ${first.batch} ${first.inputs === 'normal' ? 'N(0, 1) inputs' : 'examples'}, seed ${first.seed}`,
      '',
    );
  for (const r of reports) {
    const s = summarizeSignal(r);
    const laws = r.theory.laws.map((l) => (r.theory.laws.length === 1 ? l.law : `blocks ${l.from + 1}-${l.to + 1}: ${l.law}`)).join('; ');
    lines.push(`${reportLabel(r)}: theory ${r.theory.applies ? laws : `does not apply (${r.theory.reason})`}`);
    if (s.overflowBlock !== null)
      lines.push(
        `  values overflow float32 at block ${s.overflowBlock} (${s.overflowName})${r.stoppedAt !== null ? ', where the pass stopped' : ''}; the theory says block ${s.theoryOverflowBlock ?? 'none'}`,
      );
    else lines.push(`  no overflow: Var(x_${s.blocks}) = ${num(s.finalVariance)} (Var(x_0) = ${num(s.inputVariance)})`);
  }
  lines.push('', toMarkdown(signalSummaryTable(reports.map((r) => summarizeSignal(r)))).trimEnd());
  lines.push('', 'Var: average channel variance of the residual stream x_l after l blocks; theory: its second moment E[x^2].');
  lines.push('ratio: |alpha| std(branch) / std(skip path) per block; the bands are over l >= d/10.');
  if (reports.some((r) => r.records.some((b) => b.beta !== null)))
    lines.push('beta_l: an NF block\'s predicted standard deviation of its input (beta^2 += alpha^2 per block, 1 + alpha^2 after a transition).');
  return `${lines.join('\n')}\n`;
}

/** The variance of each scheme against block (log scale), for a terminal. */
export function signalAscii(reports: readonly SignalReport[], options: { width?: number; height?: number } = {}): string {
  const series: AsciiSeries[] = reports.map((r) => ({
    name: reportLabel(r),
    points: [
      ...(r.records[0] ? [{ x: 0, y: r.records[0].input.variance }] : []),
      ...r.records.map((b) => ({ x: b.index + 1, y: b.output.variance })),
    ],
  }));
  return asciiChart(series, { ...options, logY: true, title: 'skip-path variance at initialisation (log scale)', xLabel: 'residual block l' });
}
