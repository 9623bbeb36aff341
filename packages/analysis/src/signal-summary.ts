// The numbers a signal-propagation report comes down to, for the CLI's summary, the reproduction and the
// tests of the paper's laws (claims P1-P3 of docs/reproduction.md). Blocks are counted from 1 here: block l's output is x_l, the
// residual stream after l blocks (x_0 is the first block's input).
import type { SignalReport } from './signal';

export interface Band {
  readonly min: number;
  readonly max: number;
}

export interface SignalSummary {
  readonly scheme: string;
  readonly blocks: number;
  /** Average channel variance of x_0. */
  readonly inputVariance: number | null;
  /** Average channel variance of x_d (null when it overflowed). */
  readonly finalVariance: number | null;
  /** The first l whose x_l is not finite in float32 (null: none); and its module name. */
  readonly overflowBlock: number | null;
  readonly overflowName: string | null;
  /** The l where the theory puts x_l beyond float32 (null: not within the network). */
  readonly theoryOverflowBlock: number | null;
  /** Least-squares slope of ln(variance of x_l) against l over the finite blocks (ln 2 = 0.693 for doubling). */
  readonly logSlope: number | null;
  /** The same slope of the theory's ln(second moment). */
  readonly theoryLogSlope: number | null;
  /** max over l of Var(x_l) / Var(x_0). */
  readonly maxGrowth: number | null;
  /** Var(x_l) / l over l >= `from` (bn's law: about constant). */
  readonly varianceOverDepth: Band | null;
  /** ratio_l * sqrt(l) over l >= `from` (bn's law: about constant). */
  readonly ratioTimesSqrtDepth: Band | null;
  /** Var(x_l) / beta_l^2 over the NF blocks' inputs (NF-ResNet's law: about 1); null without NF blocks. */
  readonly varianceOverBeta2: Band | null;
  /** Every block's output statistics equal its input's exactly (an identity at initialisation). */
  readonly identity: boolean;
  /** The first l of the bands (default max(2, ceil(d / 10))). */
  readonly from: number;
}

function slope(points: readonly { x: number; y: number }[]): number | null {
  if (points.length < 2) return null;
  const n = points.length;
  const mx = points.reduce((a, p) => a + p.x, 0) / n;
  const my = points.reduce((a, p) => a + p.y, 0) / n;
  let sxy = 0;
  let sxx = 0;
  for (const p of points) {
    sxy += (p.x - mx) * (p.y - my);
    sxx += (p.x - mx) * (p.x - mx);
  }
  return sxx > 0 ? sxy / sxx : null;
}

function band(values: readonly number[]): Band | null {
  const finite = values.filter((v) => Number.isFinite(v));
  if (finite.length === 0) return null;
  return { min: Math.min(...finite), max: Math.max(...finite) };
}

const same = (a: SignalReport['records'][number]['input'], b: SignalReport['records'][number]['input']): boolean =>
  a.variance === b.variance && a.squaredMean === b.squaredMean && a.finite === b.finite;

export function summarizeSignal(report: SignalReport, options: { from?: number } = {}): SignalSummary {
  const rs = report.records;
  const d = report.blocks;
  const from = options.from ?? Math.max(2, Math.ceil(d / 10));
  const v0 = rs[0]?.input.variance ?? null;
  const measured: { x: number; y: number }[] = [];
  const theory: { x: number; y: number }[] = [];
  const overD: number[] = [];
  const ratioD: number[] = [];
  let maxGrowth: number | null = null;
  const overBeta2: number[] = [];
  for (const r of rs) {
    if (r.beta !== null && r.input.variance !== null) overBeta2.push(r.input.variance / (r.beta * r.beta));
    const l = r.index + 1;
    const v = r.output.variance;
    if (v !== null && v > 0) {
      measured.push({ x: l, y: Math.log(v) });
      if (r.theory && r.theory.output > 0 && Number.isFinite(r.theory.output)) theory.push({ x: l, y: Math.log(r.theory.output) });
      if (v0 !== null && v0 > 0) maxGrowth = Math.max(maxGrowth ?? 0, v / v0);
      if (l >= from) overD.push(v / l);
    }
    if (r.ratio !== null && l >= from) ratioD.push(r.ratio * Math.sqrt(l));
  }
  return {
    scheme: report.scheme ?? report.graph,
    blocks: d,
    inputVariance: v0,
    finalVariance: rs.length === d ? (rs[d - 1]?.output.variance ?? null) : null,
    overflowBlock: report.overflow ? report.overflow.index + 1 : null,
    overflowName: report.overflow?.name ?? null,
    theoryOverflowBlock: report.theory.overflowBlock === null ? null : report.theory.overflowBlock + 1,
    logSlope: slope(measured),
    theoryLogSlope: slope(theory),
    maxGrowth,
    varianceOverDepth: band(overD),
    ratioTimesSqrtDepth: band(ratioD),
    varianceOverBeta2: band(overBeta2),
    identity: d > 0 && rs.length === d && rs.every((r) => same(r.input, r.output)),
    from,
  };
}
