// Graphviz DOT output: the network top to bottom, one box per layer, residual blocks and stages as
// clusters. A repeated block is drawn once, labelled with its count (one cluster per run of
// identical repetitions), so the picture of `resblock x 1000` stays small.
//
//   dot -Tsvg model.dot > model.svg

import type { LayerRun } from './expand';
import type { BlockRun, NodeInfo } from './infer';
import { inferGraph } from './infer';
import { GraphError } from './issues';
import { describeLayer, formatShape } from './layer-shape';
import { formatCount, nfBetaText } from './summary';
import type { Graph, LayerNode } from './types';

/** A DOT double-quoted string. */
function q(s: string): string {
  return `"${s.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n')}"`;
}

function layerText(n: LayerNode): string {
  if (n.kind === 'activation') return n.fn;
  if (n.kind === 'dropout') return `dropout ${n.p}`;
  if (n.kind === 'scale') return `scale ${n.init}`;
  if (n.kind === 'bias') return 'bias';
  return describeLayer(n);
}

class Dot {
  private readonly lines: string[] = [];
  private next = 0;
  private cluster = 0;

  private id(): string {
    return `n${this.next++}`;
  }

  emit(line: string, indent: number): void {
    this.lines.push('  '.repeat(indent) + line);
  }

  box(label: string, indent: number, attrs = ''): string {
    const id = this.id();
    this.emit(`${id} [label=${q(label)}${attrs}];`, indent);
    return id;
  }

  edge(a: string, b: string, indent: number, attrs = ''): void {
    this.emit(`${a} -> ${b}${attrs ? ` [${attrs}]` : ''};`, indent);
  }

  /** Layers in a chain from `from`; returns the last id. */
  chain(runs: readonly LayerRun[], from: string, indent: number): string {
    let prev = from;
    for (const r of runs) {
      const id = this.box(`${layerText(r.node)}\n${formatShape(r.outShape)}${r.params ? `\n${formatCount(r.params)} params` : ''}`, indent);
      this.edge(prev, id, indent);
      prev = id;
    }
    return prev;
  }

  open(label: string, indent: number, style: string): void {
    this.emit(`subgraph cluster_${this.cluster++} {`, indent);
    this.emit(`label=${q(label)}; ${style}`, indent + 1);
  }

  block(run: BlockRun, from: string, indent: number, label: string): string {
    this.open(`${label}\n${formatCount(run.params)} params per block`, indent, 'style=rounded; color=gray40;');
    const i = indent + 1;
    let start = from;
    if (run.nf !== null) {
      start = this.box(`x / beta\nbeta ${nfBetaText(run)}`, i);
      this.edge(from, start, i);
    }
    const h = this.chain(run.pre, start, i);
    const b = this.chain(run.branch, h, i);
    const a = run.expanded.alpha;
    const add = this.box(a === null ? '+' : `+ alpha ${Number(a.init.toPrecision(4))}${a.learnable ? ' (learnable)' : ''}`, i, ', shape=circle');
    this.edge(b, add, i);
    // an identity shortcut carries the block input itself (for NF blocks: x, not x / beta)
    const s = run.shortcut.length > 0 ? this.chain(run.shortcut, h, i) : from;
    this.edge(s, add, i, 'style=dashed');
    this.emit('}', indent);
    return add;
  }

  node(info: NodeInfo, from: string | null, indent: number): string {
    const n = info.node;
    if (n.kind === 'input') return this.box(`input\n${formatShape(info.outShape)}`, indent, ', shape=oval');
    if (info.layer) return this.chain([info.layer], from!, indent);
    if (info.head) {
      this.open(`head ${n.kind === 'head' ? n.classes : ''}`, indent, 'style=dashed;');
      const last = this.chain(info.head, from!, indent + 1);
      this.emit('}', indent);
      return last;
    }
    if (info.runs) {
      let prev = from!;
      for (const run of info.runs) prev = this.block(run, prev, indent, run.reps > 1 ? `resblock x ${run.reps}` : 'resblock');
      return prev;
    }
    if (info.body && n.kind === 'stage') {
      this.open(`stage width ${n.width}, ${n.blocks} blocks, stride ${n.stride}`, indent, 'style=solid; color=gray70;');
      let prev = from!;
      for (const b of info.body) prev = this.node(b, prev, indent + 1);
      this.emit('}', indent);
      return prev;
    }
    let prev = from!;
    for (const r of info.repeats ?? []) {
      this.open(`repeat x ${r.reps}`, indent, 'style=dotted;');
      for (const b of r.body) prev = this.node(b, prev, indent + 1);
      this.emit('}', indent);
    }
    return prev;
  }

  text(): string {
    return this.lines.join('\n') + '\n';
  }
}

/** The graph in Graphviz DOT. Throws GraphError (with the issues) if the graph has errors. */
export function toDot(graph: Graph): string {
  const inf = inferGraph(graph);
  if (!inf.ok) {
    const errors = inf.issues.filter((i) => i.severity === 'error');
    throw new GraphError(`cannot draw '${graph.name}': ${errors.map((i) => `${i.where}: ${i.message}`).join('; ')}`, errors);
  }
  const dot = new Dot();
  dot.emit(`digraph ${q(graph.name)} {`, 0);
  dot.emit('rankdir=TB;', 1);
  dot.emit('node [shape=box, fontname="Helvetica", fontsize=10];', 1);
  dot.emit('edge [arrowsize=0.6];', 1);
  let prev: string | null = null;
  for (const info of inf.nodes) prev = dot.node(info, prev, 1);
  dot.emit(`label=${q(`${graph.name}: ${formatCount(inf.params)} params, d = ${inf.blocks}`)};`, 1);
  dot.emit('}', 0);
  return dot.text();
}
