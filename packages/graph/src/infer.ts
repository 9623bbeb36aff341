// Shape inference with parameter and FLOP counts: every node's input and output shape, its
// parameters, buffers and FLOPs per example (see layer-shape.ts for the counting rules), and every
// residual block expanded into the exact layers to build.
//
// Repetition stays compact: a repeated node (resblock x N, repeat x N) is evaluated once per
// DISTINCT input shape. The repetitions are walked only while they change the shape (a stride-2
// first block, say); the first one that keeps it stands for all that remain, so a shape-preserving
// `resblock x 100000` costs the same as `x 1`. The result lists these as runs: { reps, ... }.
// Blocks written out one by one with the same content and input shape share their expansion:
// the result is read-only data whose layer lists may be shared between nodes.
//
// NF-ResNet blocks (scheme 'nf') also get their beta_l here, from the variance recursion of nf.ts run over
// the blocks in order: a run of identical repetitions stores the predicted variance of its first input
// (BlockRun.nf) and the rest follows in closed form, so a run stays one entry however long it is.

import { countBlocks } from './count-blocks';
import type { ExpandedBlock, LayerRun } from './expand';
import { runLayers, tryExpandBlock } from './expand';
import type { IssueCode } from './issues';
import { IssueList } from './issues';
import { formatShape, numel } from './layer-shape';
import { MAX_ELEMENTS, MAX_PARAMS, MAX_SPATIAL } from './limits';
import type { NfScaling } from './nf';
import { nfVarianceAfter } from './nf';
import type { Graph, GraphIssue, HeadNode, LayerNode, Node, ResblockNode, Shape, Span } from './types';
import { validateGraph } from './validate';

type Path = (string | number)[];

/** One run of identical repetitions of a residual block. Counts are PER REPETITION. */
export interface BlockRun {
  /** How many consecutive repetitions this run stands for. */
  reps: number;
  inShape: Shape;
  outShape: Shape;
  /** The layers to build for each of these repetitions. */
  expanded: ExpandedBlock;
  pre: LayerRun[];
  branch: LayerRun[];
  shortcut: LayerRun[];
  /** Per repetition, including the residual sum and alpha (1 FLOP per element each, 1 parameter if alpha learns) and an NF block's x / beta (1 per input element). */
  params: number;
  buffers: number;
  flops: number;
  /** An NF-ResNet block's downscaling: repetition r divides its input by nfBeta(nf, r). Null for other schemes. */
  nf: NfScaling | null;
}

/** What inference found for one node. Counts are totals over all its repetitions. */
export interface NodeInfo {
  path: Path;
  node: Node;
  inShape: Shape;
  outShape: Shape;
  params: number;
  buffers: number;
  flops: number;
  /** Residual blocks inside this node (repetitions multiplied out). */
  blocks: number;
  /** A primitive layer: its run, with `init` made explicit ('he' unless set; 'zeros' for a Fixup classifier). */
  layer?: LayerRun;
  /** A head: its layers (global pool for an image input, dropout when p > 0, dense). */
  head?: LayerRun[];
  /** A resblock: its runs of identical repetitions. */
  runs?: BlockRun[];
  /** A stage: its body. */
  body?: NodeInfo[];
  /** A repeat: runs of identical repetitions of its body. */
  repeats?: { reps: number; body: NodeInfo[] }[];
}

export interface Inference {
  /** No errors (warnings allowed). */
  ok: boolean;
  /** Errors and warnings, structural ones first. Inference stops at the first shape error. */
  issues: GraphIssue[];
  /** One entry per top-level node, up to the first shape error. */
  nodes: NodeInfo[];
  input: Shape | null;
  output: Shape | null;
  /** d: residual blocks in the network. */
  blocks: number;
  params: number;
  buffers: number;
  flops: number;
}

/** Most distinct repetitions walked before a repeated node must have settled on a shape. */
const MAX_DISTINCT_REPS = 10_000;

class Stop extends Error {}

class Inferrer {
  readonly issues = new IssueList();
  /** beta^2 the next NF block starts from: 1 at the start and after anything but an NF block (nf.ts). */
  private nfVariance = 1;
  /** Within a repeat's body: nothing has run yet that sets nfVariance (it is still the body's entry value)... */
  private nfFresh = false;
  /** ...and an NF block has read it while it was (so the body's layers depend on where the repetition starts). */
  private nfRead = false;
  /** Expansions by (block content, input shape): blocks written out one by one share their layers. */
  private readonly expansions = new Map<string, ReturnType<typeof tryExpandBlock>>();
  constructor(
    readonly d: number,
    readonly zeroInit: LayerNode | HeadNode | null,
  ) {}

  fail(code: IssueCode, message: string, path: Path, span: Span | undefined): never {
    this.issues.add(code, message, path, span);
    throw new Stop();
  }

  checkSize(shape: Shape, path: Path, span: Span | undefined, what: string): void {
    if (numel(shape) > MAX_ELEMENTS)
      this.fail('graph/limit', `${what} outputs ${formatShape(shape)} = ${numel(shape)} elements per example; the limit is ${MAX_ELEMENTS}`, path, span);
    if (shape.length === 3 && (shape[1] > MAX_SPATIAL || shape[2] > MAX_SPATIAL))
      this.fail('graph/limit', `${what} outputs ${formatShape(shape)}, over ${MAX_SPATIAL} pixels a side`, path, span);
  }

  sequence(nodes: readonly Node[], x: Shape, path: Path, outer: Span | undefined, out: NodeInfo[]): Shape {
    for (let i = 0; i < nodes.length; i++) {
      const info = this.node(nodes[i], x, [...path, i], outer);
      out.push(info);
      x = info.outShape;
    }
    return x;
  }

  node(node: Node, x: Shape, path: Path, outer: Span | undefined): NodeInfo {
    const span = node.span ?? outer;
    if (node.kind !== 'resblock' && node.kind !== 'stage' && node.kind !== 'repeat') {
      this.nfVariance = 1;
      this.nfFresh = false;
    }
    switch (node.kind) {
      case 'input':
        return { path, node, inShape: node.shape, outShape: node.shape, params: 0, buffers: 0, flops: 0, blocks: 0 };
      case 'resblock':
        return this.resblock(node, x, path, span);
      case 'stage': {
        const body: NodeInfo[] = [];
        const y = this.sequence(node.body, x, [...path, 'body'], span, body);
        const info = { ...sum(body), path, node, inShape: x, outShape: y, body };
        const strideOk = x.length === 3 && y.length === 3 ? Math.ceil(x[1] / node.stride) === y[1] : node.stride === 1;
        if (y[0] !== node.width || !strideOk)
          this.fail(
            'graph/stage-mismatch',
            `stage: says width ${node.width}, stride ${node.stride}, but its body maps ${formatShape(x)} to ${formatShape(y)}`,
            path,
            span,
          );
        return info;
      }
      case 'repeat':
        return this.repeat(node.count, node.body, node, x, path, span);
      case 'head':
        return this.head(node, x, path, span);
      default:
        return this.layer(node, x, path, span);
    }
  }

  layer(node: LayerNode, x: Shape, path: Path, span: Span | undefined): NodeInfo {
    let resolved = node;
    if (node.kind === 'conv' || node.kind === 'dense')
      resolved = { ...node, init: node.init ?? (node === this.zeroInit ? 'zeros' : 'he') };
    const run = runLayers([resolved], x);
    if (!run.ok) this.fail(run.error.code, run.error.message, path, span);
    const r = run.runs[0];
    this.checkSize(r.outShape, path, span, node.kind);
    return { path, node, inShape: x, outShape: r.outShape, params: r.params, buffers: r.buffers, flops: r.flops, blocks: 0, layer: r };
  }

  head(node: HeadNode, x: Shape, path: Path, span: Span | undefined): NodeInfo {
    const layers: LayerNode[] = [];
    if (x.length === 3) layers.push({ kind: 'pool', op: 'global' });
    if (node.dropout > 0) layers.push({ kind: 'dropout', p: node.dropout });
    layers.push({ kind: 'dense', units: node.classes, bias: node.bias, init: node.init ?? (node === this.zeroInit ? 'zeros' : 'he') });
    const run = runLayers(layers, x);
    if (!run.ok) this.fail(run.error.code, `head: ${run.error.message}`, path, span);
    return { ...sumRuns(run.runs), path, node, inShape: x, outShape: run.out, blocks: 0, head: run.runs };
  }

  resblock(node: ResblockNode, x: Shape, path: Path, span: Span | undefined): NodeInfo {
    const runs: BlockRun[] = [];
    this.repetitions(node.count, x, path, span, (s) => {
      const key = `${blockKey(node)}|${s.join('x')}`;
      let r = this.expansions.get(key);
      if (r === undefined) {
        r = tryExpandBlock(node, s, this.d);
        this.expansions.set(key, r);
      }
      if ('code' in r) {
        const at = r.index === null ? path : [...path, 'branch', 'nodes', r.index];
        const custom = node.branch.kind === 'custom' && r.index !== null ? node.branch.nodes[r.index] : undefined;
        this.fail(r.code, r.message, at, custom?.span ?? span);
      }
      for (const l of [...r.pre, ...r.branch, ...r.shortcut]) this.checkSize(l.outShape, path, span, `resblock layer ${l.node.kind}`);
      const all = sumRuns([...r.pre, ...r.branch, ...r.shortcut]);
      const alpha = r.block.alpha;
      const nf: NfScaling | null =
        node.scheme === 'nf' ? { variance: this.nfVariance, alpha2: (alpha?.init ?? 1) ** 2, transition: r.shortcut.length > 0 } : null;
      if (nf !== null && this.nfFresh) this.nfRead = true;
      this.nfFresh = false;
      const advance = (reps: number): void => {
        this.nfVariance = nf === null ? 1 : nfVarianceAfter(nf, reps);
      };
      advance(1);
      const run: BlockRun = {
        reps: 1,
        inShape: s,
        outShape: r.out,
        expanded: r.block,
        pre: r.pre,
        branch: r.branch,
        shortcut: r.shortcut,
        params: all.params + (alpha?.learnable ? 1 : 0),
        buffers: all.buffers,
        // the sum, alpha, and an NF block's division by beta
        flops: all.flops + numel(r.out) * (alpha ? 2 : 1) + (nf ? numel(s) : 0),
        nf,
      };
      runs.push(run);
      return {
        out: r.out,
        setReps: (n: number) => {
          run.reps = n;
          advance(n);
        },
      };
    });
    let params = 0;
    let buffers = 0;
    let flops = 0;
    for (const r of runs) {
      params += r.reps * r.params;
      buffers += r.reps * r.buffers;
      flops += r.reps * r.flops;
    }
    return { path, node, inShape: x, outShape: runs[runs.length - 1].outShape, params, buffers, flops, blocks: node.count, runs };
  }

  repeat(count: number, body: readonly Node[], node: Node, x: Shape, path: Path, span: Span | undefined): NodeInfo {
    const repeats: { reps: number; body: NodeInfo[] }[] = [];
    this.repetitions(count, x, path, span, (s) => {
      const infos: NodeInfo[] = [];
      const entry = this.nfVariance;
      const outer = { fresh: this.nfFresh, read: this.nfRead };
      this.nfFresh = true;
      this.nfRead = false;
      const y = this.sequence(body, s, [...path, 'body'], span, infos);
      const read = this.nfRead;
      // (nested: conservatively, the enclosing body has read its entry too)
      this.nfRead = outer.read || read;
      this.nfFresh = false;
      const rep = { reps: 1, body: infos };
      repeats.push(rep);
      // The next repetition repeats this one unless its NF blocks read a start value that changed.
      return { out: y, settled: !read || this.nfVariance === entry, setReps: (n: number) => (rep.reps = n) };
    });
    let params = 0;
    let buffers = 0;
    let flops = 0;
    let blocks = 0;
    for (const r of repeats) {
      const s = sum(r.body);
      params += r.reps * s.params;
      buffers += r.reps * s.buffers;
      flops += r.reps * s.flops;
      blocks += r.reps * s.blocks;
    }
    const last = repeats[repeats.length - 1].body;
    return { path, node, inShape: x, outShape: last[last.length - 1].outShape, params, buffers, flops, blocks, repeats };
  }

  /**
   * Walk `count` repetitions, evaluating only while the shape changes (or, for a repeat, the NF variance its
   * body starts from: `settled` false); the first one that keeps both stands for the rest.
   */
  private repetitions(
    count: number,
    x: Shape,
    path: Path,
    span: Span | undefined,
    step: (x: Shape) => { out: Shape; settled?: boolean; setReps: (n: number) => void },
  ): void {
    let done = 0;
    let distinct = 0;
    while (done < count) {
      const r = step(x);
      if (sameShape(r.out, x) && r.settled !== false) {
        r.setReps(count - done);
        return;
      }
      done++;
      x = r.out;
      if (++distinct > MAX_DISTINCT_REPS)
        this.fail('graph/limit', `a repeated node keeps changing the shape (or the NF-ResNet variance its blocks start from) after ${MAX_DISTINCT_REPS} repetitions`, path, span);
    }
  }
}

/** What determines a block's expansion (everything but count, id and span). */
function blockKey(n: ResblockNode): string {
  const b = n.branch;
  const branch =
    b.kind === 'custom'
      ? JSON.stringify(b.nodes, (k, v) => (k === 'span' || k === 'id' ? undefined : v))
      : `${b.kind},${b.width},${b.stride},${b.kernel},${b.norm},${b.act},${b.bias},${b.dropout}`;
  return `${n.shortcut},${n.scheme},${n.weights},${n.alpha},${n.learnable}:${branch}`;
}

const sameShape = (a: Shape, b: Shape): boolean => a.length === b.length && a.every((v, i) => v === b[i]);

function sum(infos: readonly NodeInfo[]): { params: number; buffers: number; flops: number; blocks: number } {
  let params = 0;
  let buffers = 0;
  let flops = 0;
  let blocks = 0;
  for (const i of infos) {
    params += i.params;
    buffers += i.buffers;
    flops += i.flops;
    blocks += i.blocks;
  }
  return { params, buffers, flops, blocks };
}

function sumRuns(runs: readonly LayerRun[]): { params: number; buffers: number; flops: number } {
  let params = 0;
  let buffers = 0;
  let flops = 0;
  for (const r of runs) {
    params += r.params;
    buffers += r.buffers;
    flops += r.flops;
  }
  return { params, buffers, flops };
}

/**
 * Fixup zero-initialises the classifier: the head, or else the last top-level dense/conv, provided
 * it comes after the last residual block and names no init of its own.
 */
function fixupClassifier(graph: Graph): LayerNode | HeadNode | null {
  const usesFixup = (nodes: readonly Node[]): boolean =>
    nodes.some((n) => (n.kind === 'resblock' && n.scheme === 'fixup') || ((n.kind === 'stage' || n.kind === 'repeat') && usesFixup(n.body)));
  if (!usesFixup(graph.nodes)) return null;
  for (let i = graph.nodes.length - 1; i >= 0; i--) {
    const n = graph.nodes[i];
    if (n.kind === 'head' || n.kind === 'dense' || n.kind === 'conv') return n.init === undefined ? n : null;
    if (n.kind === 'resblock' || n.kind === 'stage' || n.kind === 'repeat') return null;
  }
  return null;
}

/**
 * Validate `graph`, then infer every node's shapes, parameters and FLOPs and expand its residual
 * blocks. Never throws on a malformed graph: problems come back as issues (structural ones stop
 * before shapes are inferred; shape inference stops at the first shape error).
 */
export function inferGraph(graph: Graph): Inference {
  const structural = validateGraph(graph);
  const empty: Inference = { ok: false, issues: structural, nodes: [], input: null, output: null, blocks: 0, params: 0, buffers: 0, flops: 0 };
  if (structural.some((i) => i.severity === 'error')) return empty;
  const d = countBlocks(graph);
  const inf = new Inferrer(d, fixupClassifier(graph));
  const nodes: NodeInfo[] = [];
  const input = (graph.nodes[0] as { shape: number[] }).shape;
  let output: Shape | null = null;
  try {
    output = inf.sequence(graph.nodes, input, ['nodes'], undefined, nodes);
  } catch (e) {
    if (!(e instanceof Stop)) throw e;
  }
  const totals = sum(nodes);
  if (output !== null && totals.params > MAX_PARAMS)
    inf.issues.add('graph/limit', `the network has ${totals.params} parameters; the limit is ${MAX_PARAMS}`, ['nodes'], undefined);
  const issues = [...structural, ...inf.issues.issues];
  return {
    ok: !issues.some((i) => i.severity === 'error'),
    issues,
    nodes,
    input,
    output: issues.some((i) => i.severity === 'error') ? null : output,
    blocks: d,
    params: totals.params,
    buffers: totals.buffers,
    flops: totals.flops,
  };
}
