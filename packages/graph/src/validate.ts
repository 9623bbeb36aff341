// Structural validation: every node has a known kind, its attributes have legal types and values,
// names come from the vocabulary, sizes are positive and within the stated limits. It accepts any
// value (a parsed JSON file, say) and never throws. Shapes are checked by inferGraph.

import type { IssueCode } from './issues';
import { IssueList } from './issues';
import {
  MAX_BLOCKS,
  MAX_COUNT,
  MAX_KERNEL,
  MAX_NESTING,
  MAX_NODES,
  MAX_STRIDE,
  MAX_WIDTH,
} from './limits';
import type { GraphIssue, Span } from './types';
import { Attrs, didYouMean, isObj, isPosInt } from './validate-attrs';
import type { Obj } from './validate-attrs';
import {
  ACTIVATION_NAMES,
  BLOCK_KINDS,
  NODE_KINDS,
  NORM_NAMES,
  RESIDUAL_SCHEME_NAMES,
  SHORTCUT_NAMES,
  WEIGHT_INIT_NAMES,
} from './vocabulary';
import type { NodeKind } from './vocabulary';

type Path = (string | number)[];

const BASE_KEYS = ['kind', 'id', 'span'];
const KEYS: Record<string, string[]> = {
  input: ['shape'],
  conv: ['out', 'kernel', 'stride', 'padding', 'bias', 'init', 'gain', 'ws'],
  dense: ['units', 'bias', 'init', 'gain', 'ws'],
  flatten: [],
  activation: ['fn'],
  batchnorm: ['momentum', 'eps', 'affine'],
  layernorm: ['eps', 'affine'],
  pool: ['op', 'size', 'stride', 'padding'],
  dropout: ['p'],
  bias: ['init'],
  scale: ['init', 'learnable'],
  resblock: ['count', 'branch', 'shortcut', 'scheme', 'weights', 'alpha', 'learnable'],
  stage: ['width', 'blocks', 'stride', 'body'],
  repeat: ['count', 'body'],
  head: ['classes', 'dropout', 'bias', 'init'],
};
const PREACT_KEYS = ['kind', 'width', 'stride', 'kernel', 'norm', 'act', 'bias', 'dropout'];
const CUSTOM_KEYS = ['kind', 'name', 'args', 'nodes'];

/** Where a node sits: top level, inside a stage/repeat body, or inside a residual branch. */
type Place = 'top' | 'body' | 'branch';

class Validator {
  readonly list = new IssueList();
  private readonly ids = new Set<string>();
  nodes = 0;

  private add(code: IssueCode, msg: string, path: Path, span: Span | undefined): void {
    this.list.add(code, msg, path, span);
  }

  graph(g: unknown): void {
    if (!isObj(g)) return this.add('graph/bad-attribute', 'a graph must be an object with a name and nodes', [], undefined);
    if (typeof g.name !== 'string') this.add('graph/bad-attribute', "the graph's 'name' must be a string", ['name'], undefined);
    for (const k of Object.keys(g))
      if (k !== 'name' && k !== 'nodes') this.add('graph/bad-attribute', `unknown graph attribute '${k}'`, [k], undefined);
    if (!Array.isArray(g.nodes)) return this.add('graph/bad-attribute', "the graph's 'nodes' must be an array", ['nodes'], undefined);
    if (g.nodes.length === 0) return this.add('graph/empty', 'the graph has no nodes: it needs an input first', ['nodes'], undefined);
    const first = g.nodes[0];
    if (!isObj(first) || first.kind !== 'input')
      this.add('graph/input-first', 'the first node must be the input', ['nodes', 0], spanOf(first, undefined));
    this.sequence(g.nodes, ['nodes'], undefined, 'top', 0);
    if (this.nodes > MAX_NODES)
      this.add('graph/limit', `the graph has ${this.nodes} written nodes; the limit is ${MAX_NODES} (use repetition)`, ['nodes'], undefined);
    if (this.list.errorCount === 0) {
      const d = countBlocksLoose(g.nodes);
      if (d > MAX_BLOCKS)
        this.add('graph/limit', `the network has ${d} residual blocks; the limit is ${MAX_BLOCKS}`, ['nodes'], undefined);
    }
  }

  private sequence(nodes: unknown[], path: Path, outer: Span | undefined, place: Place, depth: number): void {
    if (depth > MAX_NESTING) {
      this.add('graph/limit', `composite nodes nest deeper than ${MAX_NESTING} levels`, path, outer);
      return;
    }
    nodes.forEach((n, i) => {
      const p = [...path, i];
      this.node(n, p, outer, place, depth, i);
      // A bias directly before a batch norm is removed by its mean subtraction.
      const next = nodes[i + 1];
      if (isObj(n) && isObj(next) && (n.kind === 'conv' || n.kind === 'dense') && n.bias === true && next.kind === 'batchnorm')
        this.add('graph/redundant-bias', `${n.kind} has a bias right before a batch norm, which subtracts it`, p, spanOf(n, outer));
    });
  }

  /** What every node must be, whatever its kind: a known kind, a unique id, known attributes, a legal place. */
  private common(n: Obj, path: Path, outer: Span | undefined, place: Place, index: number): { kind: NodeKind; span: Span | undefined } | null {
    const span = spanOf(n, outer);
    if (typeof n.kind !== 'string' || !(NODE_KINDS as readonly string[]).includes(n.kind)) {
      const hint = typeof n.kind === 'string' ? didYouMean(n.kind, NODE_KINDS) : '';
      this.add('graph/unknown-kind', `unknown node kind ${JSON.stringify(n.kind)}${hint}`, path, span);
      return null;
    }
    const kind = n.kind as NodeKind;
    if (n.id !== undefined) {
      if (typeof n.id !== 'string' || n.id === '') this.add('graph/bad-attribute', `${kind}: 'id' must be a non-empty string`, path, span);
      else if (this.ids.has(n.id)) this.add('graph/duplicate-id', `${kind}: id '${n.id}' is used twice`, path, span);
      else this.ids.add(n.id);
    }
    if (n.span !== undefined && !isSpan(n.span)) this.add('graph/bad-attribute', `${kind}: 'span' is malformed`, [...path, 'span'], outer);
    for (const k of Object.keys(n))
      if (!BASE_KEYS.includes(k) && !KEYS[kind].includes(k))
        this.add('graph/bad-attribute', `${kind}: unknown attribute '${k}'${didYouMean(k, KEYS[kind])}`, [...path, k], span);
    const composite = kind === 'resblock' || kind === 'stage' || kind === 'repeat' || kind === 'head';
    if (kind === 'input' && !(place === 'top' && index === 0))
      this.add('graph/misplaced-node', 'an input may only be the first node of the graph', path, span);
    if (place === 'branch' && composite)
      this.add('graph/misplaced-node', `a ${kind} cannot sit inside a residual branch (branches hold layers only)`, path, span);
    return { kind, span };
  }

  private node(n: unknown, path: Path, outer: Span | undefined, place: Place, depth: number, index: number): void {
    this.nodes++;
    if (!isObj(n)) return this.add('graph/bad-attribute', 'a node must be an object with a kind', path, outer);
    const known = this.common(n, path, outer, place, index);
    if (known === null) return;
    const { kind, span } = known;
    const a = new Attrs(this, n, kind, path, span);
    switch (kind) {
      case 'input':
        a.shape();
        break;
      case 'conv':
        a.size('out', MAX_WIDTH);
        a.size('kernel', MAX_KERNEL);
        a.size('stride', MAX_STRIDE);
        a.padding('padding');
        a.weights();
        break;
      case 'dense':
        a.size('units', MAX_WIDTH);
        a.weights();
        break;
      case 'activation':
        a.name('fn', ACTIVATION_NAMES);
        break;
      case 'batchnorm':
        a.range('momentum', 0, 1, true);
        a.positive('eps');
        a.bool('affine');
        break;
      case 'layernorm':
        a.positive('eps');
        a.bool('affine');
        break;
      case 'pool':
        a.pool();
        break;
      case 'dropout':
        a.range('p', 0, 1, false);
        break;
      case 'bias':
        a.finite('init');
        break;
      case 'scale':
        a.finite('init');
        a.bool('learnable');
        break;
      case 'resblock':
        a.size('count', MAX_COUNT);
        a.name('shortcut', SHORTCUT_NAMES);
        a.name('scheme', RESIDUAL_SCHEME_NAMES);
        a.name('weights', WEIGHT_INIT_NAMES);
        if (n.alpha !== undefined) a.finite('alpha');
        if (n.learnable !== undefined) a.bool('learnable');
        this.branch(n.branch, [...path, 'branch'], span, depth);
        this.nfNorm(n, path, span);
        break;
      case 'stage':
        a.size('width', MAX_WIDTH);
        a.size('blocks', MAX_BLOCKS);
        a.size('stride', MAX_STRIDE);
        if (a.body()) this.stageBody(n, path, span, depth);
        break;
      case 'repeat':
        a.size('count', MAX_COUNT);
        if (a.body()) this.sequence(n.body as unknown[], [...path, 'body'], span, 'body', depth + 1);
        break;
      case 'head':
        a.size('classes', MAX_WIDTH);
        a.range('dropout', 0, 1, false);
        a.bool('bias');
        a.name('init', WEIGHT_INIT_NAMES, true);
        break;
    }
  }

  /** An NF block normalises nothing: a norm in its branch is warned about (it is built as written). */
  private nfNorm(n: Obj, path: Path, span: Span | undefined): void {
    if (n.scheme !== 'nf' || !isObj(n.branch) || (n.branch.norm !== 'bn' && n.branch.norm !== 'ln')) return;
    const why = `resblock: an NF block with norm '${n.branch.norm}' in its branch; NF-ResNets are normaliser-free (norm 'none'), this one normalises too`;
    this.add('graph/nf-norm', why, [...path, 'branch', 'norm'], span);
  }

  /** A stage's body: its nodes, and as many residual blocks as the stage says. */
  private stageBody(n: Obj, path: Path, span: Span | undefined, depth: number): void {
    this.sequence(n.body as unknown[], [...path, 'body'], span, 'body', depth + 1);
    const d = countBlocksLoose(n.body as unknown[]);
    if (isPosInt(n.blocks) && d !== n.blocks) this.add('graph/stage-mismatch', `stage: says ${n.blocks} blocks but its body has ${d}`, path, span);
  }

  private branch(b: unknown, path: Path, span: Span | undefined, depth: number): void {
    if (!isObj(b)) return this.add('graph/bad-attribute', "resblock: 'branch' must be an object", path, span);
    const custom = b.kind === 'custom';
    const keys = custom ? CUSTOM_KEYS : PREACT_KEYS;
    for (const k of Object.keys(b))
      if (!keys.includes(k)) this.add('graph/bad-attribute', `branch: unknown attribute '${k}'${didYouMean(k, keys)}`, [...path, k], span);
    const a = new Attrs(this, b, 'branch', path, span);
    if (custom) {
      if (typeof b.name !== 'string' || b.name === '') a.bad('name', 'must be the block name');
      if (b.args !== undefined && (!isObj(b.args) || !Object.values(b.args).every((v) => ['number', 'string', 'boolean'].includes(typeof v))))
        a.bad('args', 'must map names to numbers, strings or booleans');
      if (!Array.isArray(b.nodes) || b.nodes.length === 0) a.bad('nodes', 'must be a non-empty list of layers');
      else this.sequence(b.nodes, [...path, 'nodes'], span, 'branch', depth + 1);
      return;
    }
    if (!a.name('kind', [...BLOCK_KINDS, 'custom'])) return;
    a.size('width', MAX_WIDTH);
    a.size('stride', MAX_STRIDE);
    a.size('kernel', MAX_KERNEL);
    a.name('norm', NORM_NAMES);
    a.name('act', ACTIVATION_NAMES);
    a.bool('bias');
    a.range('dropout', 0, 1, false);
    if (b.kind === 'mlp' && isPosInt(b.stride) && b.stride !== 1) a.bad('stride', 'must be 1 for an mlp block');
    if (b.kind === 'mlp' && isPosInt(b.kernel) && b.kernel !== 3 && b.kernel !== 1) a.bad('kernel', 'has no meaning for an mlp block (leave it at 3)');
    if (b.bias === true && b.norm === 'bn')
      this.add('graph/redundant-bias', 'branch: bias=true before batch norm has no effect (biases are for norm=none)', path, span);
  }
}

function isSpan(s: unknown): s is Span {
  if (!isObj(s)) return false;
  for (const k of ['offset', 'endOffset', 'line', 'col', 'endLine', 'endCol']) if (!Number.isInteger(s[k])) return false;
  return s.file === undefined || typeof s.file === 'string';
}

function spanOf(n: unknown, outer: Span | undefined): Span | undefined {
  return isObj(n) && isSpan(n.span) ? n.span : outer;
}

/** countBlocksIn on unvalidated data. */
function countBlocksLoose(nodes: unknown[]): number {
  let d = 0;
  for (const n of nodes) {
    if (!isObj(n)) continue;
    if (n.kind === 'resblock' && isPosInt(n.count)) d += n.count;
    else if (n.kind === 'stage' && Array.isArray(n.body)) d += countBlocksLoose(n.body);
    else if (n.kind === 'repeat' && Array.isArray(n.body) && isPosInt(n.count)) d += n.count * countBlocksLoose(n.body);
  }
  return d;
}

/**
 * Check the structure of `graph` (any value). Returns every issue found: errors and warnings, each
 * with the path of the node (and attribute) and the nearest span. Never throws.
 */
export function validateGraph(graph: unknown): GraphIssue[] {
  const v = new Validator();
  v.graph(graph);
  return v.list.issues;
}
