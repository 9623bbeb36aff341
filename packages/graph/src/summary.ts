// A model summary like Keras's model.summary(): one row per node with its output shape, parameters
// and FLOPs per example, then the totals. Repetition stays compact: `resblock x 1000` is one row
// (the total) followed by an "each" row (one block); `expand: true` also lists every block's layers.

import type { BlockRun, Inference, NodeInfo } from './infer';
import { inferGraph } from './infer';
import { GraphError } from './issues';
import type { LayerRun } from './expand';
import { describeLayer, formatShape } from './layer-shape';
import { nfBeta } from './nf';
import type { Graph, LayerNode, Node, ResblockNode, Shape } from './types';

export interface SummaryRow {
  /** Nesting level (0: top level). */
  depth: number;
  label: string;
  /** Output shape per example, '' for rows that only annotate (the "each" row). */
  output: string;
  params: number;
  flops: number;
}

export interface Summary {
  name: string;
  rows: SummaryRow[];
  input: Shape;
  output: Shape;
  /** Trainable parameters. */
  params: number;
  /** Non-trainable values (batch norm running statistics). */
  buffers: number;
  /** FLOPs per example, forward pass, a multiply-add counted as 2. */
  flops: number;
  /** d, the residual blocks in the network. */
  blocks: number;
}

export interface SummaryOptions {
  /** List the layers inside blocks and heads too. Default false. */
  expand?: boolean;
}

/** The summary of a graph (inferring it first). Throws GraphError (with the issues) if the graph has errors. */
export function summarize(graph: Graph, options: SummaryOptions = {}): Summary {
  return summarizeInference(graph, inferGraph(graph), options);
}

/** The summary from an inference already made. */
export function summarizeInference(graph: Graph, inf: Inference, options: SummaryOptions = {}): Summary {
  if (!inf.ok || inf.output === null || inf.input === null) {
    const errors = inf.issues.filter((i) => i.severity === 'error');
    throw new GraphError(`cannot summarize '${graph.name}': ${errors.map((i) => `${i.where}: ${i.message}`).join('; ')}`, errors);
  }
  const rows: SummaryRow[] = [];
  for (const n of inf.nodes) nodeRows(n, 0, rows, options.expand ?? false);
  return { name: graph.name, rows, input: inf.input, output: inf.output, params: inf.params, buffers: inf.buffers, flops: inf.flops, blocks: inf.blocks };
}

function layerLabel(n: LayerNode): string {
  switch (n.kind) {
    case 'activation':
      return n.fn;
    case 'dropout':
      return `dropout ${n.p}`;
    case 'bias':
      return 'bias (scalar)';
    case 'scale':
      return `scale ${round(n.init)}${n.learnable ? ' (learnable)' : ''}`;
    case 'conv': {
      const pad = typeof n.padding === 'number' ? `pad ${n.padding}` : n.padding;
      return `${describeLayer(n)} ${pad}${n.bias ? '' : ' no-bias'}${n.gain !== undefined ? ` gain ${round(n.gain)}` : ''}${n.init === 'zeros' ? ' zeros' : ''}`;
    }
    case 'dense':
      return `${describeLayer(n)}${n.bias ? '' : ' no-bias'}${n.gain !== undefined ? ` gain ${round(n.gain)}` : ''}${n.init === 'zeros' ? ' zeros' : ''}`;
    default:
      return describeLayer(n);
  }
}

const round = (x: number): string => String(Number(x.toPrecision(4)));

function blockLabel(n: ResblockNode): string {
  const b = n.branch;
  const what =
    b.kind === 'custom'
      ? `${b.name}${b.args ? `(${Object.values(b.args).join(', ')})` : ''}`
      : `${b.kind} ${b.width}${b.stride > 1 ? `/${b.stride}` : ''}, norm ${b.norm}${b.act !== 'relu' ? `, ${b.act}` : ''}${b.dropout > 0 ? `, dropout ${b.dropout}` : ''}`;
  const alpha = n.alpha !== undefined ? `, alpha ${n.alpha}` : '';
  return `resblock${n.count > 1 ? ` x ${n.count}` : ''} (${what}, ${n.scheme}${n.weights !== 'he' ? `/${n.weights}` : ''}${alpha})`;
}

function nodeLabel(n: Node): string {
  switch (n.kind) {
    case 'input':
      return 'input';
    case 'resblock':
      return blockLabel(n);
    case 'stage':
      return `stage (width ${n.width}, ${n.blocks} blocks, stride ${n.stride})`;
    case 'repeat':
      return `repeat x ${n.count}`;
    case 'head':
      return `head ${n.classes}${n.dropout > 0 ? ` (dropout ${n.dropout})` : ''}`;
    default:
      return layerLabel(n);
  }
}

function layerRows(runs: readonly LayerRun[], depth: number, rows: SummaryRow[], prefix = ''): void {
  for (const r of runs) rows.push({ depth, label: prefix + layerLabel(r.node), output: formatShape(r.outShape), params: r.params, flops: r.flops });
}

/** An NF run's beta_l, "1.02" or "1.02 .. 1.18" over its repetitions ('' for other schemes). */
export function nfBetaText(run: BlockRun): string {
  if (run.nf === null) return '';
  const first = round(nfBeta(run.nf, 0));
  const last = round(nfBeta(run.nf, run.reps - 1));
  return first === last ? first : `${first} .. ${last}`;
}

function runRows(run: BlockRun, depth: number, rows: SummaryRow[]): void {
  if (run.nf !== null) rows.push({ depth, label: `x / beta, beta ${nfBetaText(run)} (NF; identity shortcut reads x)`, output: formatShape(run.inShape), params: 0, flops: size(run.inShape) });
  layerRows(run.pre, depth, rows, 'pre: ');
  layerRows(run.branch, depth, rows);
  layerRows(run.shortcut, depth, rows, 'shortcut: ');
  const a = run.expanded.alpha;
  if (a !== null)
    rows.push({ depth, label: `alpha ${round(a.init)}${a.learnable ? ' (learnable)' : ' (fixed)'}, add`, output: formatShape(run.outShape), params: a.learnable ? 1 : 0, flops: 2 * size(run.outShape) });
  else rows.push({ depth, label: 'add', output: formatShape(run.outShape), params: 0, flops: size(run.outShape) });
}

const size = (s: Shape): number => s.reduce((a, b) => a * b, 1);

function nodeRows(info: NodeInfo, depth: number, rows: SummaryRow[], expand: boolean): void {
  const n = info.node;
  rows.push({ depth, label: nodeLabel(info.layer ? info.layer.node : n), output: formatShape(info.outShape), params: info.params, flops: info.flops });
  if (info.runs) {
    const many = info.runs.length > 1;
    for (const run of info.runs) {
      if (many || run.reps > 1) {
        const shortcut = run.shortcut.length > 0 ? ', projection' : '';
        const label = run.reps > 1 ? `each of ${run.reps}${shortcut}` : `1 block${shortcut}`;
        rows.push({ depth: depth + 1, label: `${label}: ${formatShape(run.inShape)} -> ${formatShape(run.outShape)}`, output: '', params: run.params, flops: run.flops });
        if (expand) runRows(run, depth + 2, rows);
      } else if (expand) runRows(run, depth + 1, rows);
    }
  }
  if (info.head && expand) layerRows(info.head, depth + 1, rows);
  if (info.body) for (const b of info.body) nodeRows(b, depth + 1, rows, expand);
  if (info.repeats) {
    for (const r of info.repeats) {
      if (info.repeats.length > 1 || r.reps > 1) {
        const s = r.body.reduce((t, b) => ({ params: t.params + b.params, flops: t.flops + b.flops }), { params: 0, flops: 0 });
        rows.push({ depth: depth + 1, label: r.reps > 1 ? `each of ${r.reps}` : '1 repetition', output: '', params: s.params, flops: s.flops });
        for (const b of r.body) nodeRows(b, depth + 2, rows, expand);
      } else for (const b of r.body) nodeRows(b, depth + 1, rows, expand);
    }
  }
}

/** 1234567 -> "1,234,567". */
export function formatCount(n: number): string {
  return Math.round(n).toString().replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

/** formatSI(786895882, 'FLOPs') -> "786.9 MFLOPs"; formatSI(500, 'FLOPs') -> "500 FLOPs". */
export function formatSI(n: number, unit = ''): string {
  const units: [number, string][] = [
    [1e15, 'P'],
    [1e12, 'T'],
    [1e9, 'G'],
    [1e6, 'M'],
    [1e3, 'k'],
  ];
  for (const [v, u] of units) if (n >= v) return `${(n / v).toFixed(1)} ${u}${unit}`;
  return `${n} ${unit}`.trimEnd();
}

/** The summary as a text table (fixed-width columns, ASCII only), totals below. */
export function formatSummary(s: Summary): string {
  const head = ['Layer', 'Output shape', 'Params', 'FLOPs'];
  const body = s.rows.map((r) => ['  '.repeat(r.depth) + r.label, r.output, formatCount(r.params), formatCount(r.flops)]);
  const widths = head.map((h, c) => Math.max(h.length, ...body.map((row) => row[c].length)));
  const line = (cells: string[]): string =>
    cells.map((cell, c) => (c < 2 ? cell.padEnd(widths[c]) : cell.padStart(widths[c]))).join('   ').trimEnd();
  const total = widths.reduce((a, b) => a + b, 0) + 3 * (widths.length - 1);
  const out = [`Model: ${s.name}`, '='.repeat(total), line(head), '='.repeat(total)];
  for (const row of body) out.push(line(row));
  out.push('='.repeat(total));
  const bytes = (s.params + s.buffers) * 4;
  out.push(`Total params: ${formatCount(s.params + s.buffers)} (${(bytes / 2 ** 20).toFixed(2)} MiB as float32)`);
  out.push(`Trainable params: ${formatCount(s.params)}`);
  out.push(`Non-trainable params: ${formatCount(s.buffers)} (batch norm running statistics)`);
  out.push(`FLOPs per example: ${formatCount(s.flops)} (${formatSI(s.flops, 'FLOPs')}; forward pass, multiply-add = 2)`);
  out.push(`Residual blocks (d): ${formatCount(s.blocks)}`);
  out.push(`Input: ${formatShape(s.input)}   Output: ${formatShape(s.output)}`);
  return out.join('\n') + '\n';
}
