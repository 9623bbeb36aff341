// Structural validation: every node has a known kind, its attributes have legal types and values,
// names come from the vocabulary, sizes are positive and within the stated limits. It accepts any
// value (a parsed JSON file, say) and never throws. Shapes are checked by inferGraph.

import { closestNames } from './closest-names';
import type { IssueCode } from './issues';
import { IssueList } from './issues';
import {
  MAX_BLOCKS,
  MAX_COUNT,
  MAX_ELEMENTS,
  MAX_KERNEL,
  MAX_NESTING,
  MAX_NODES,
  MAX_SPATIAL,
  MAX_STRIDE,
  MAX_WIDTH,
} from './limits';
import type { GraphIssue, Span } from './types';
import {
  ACTIVATION_NAMES,
  BLOCK_KINDS,
  NODE_KINDS,
  NORM_NAMES,
  PADDING_NAMES,
  POOL_NAMES,
  RESIDUAL_SCHEME_NAMES,
  SHORTCUT_NAMES,
  WEIGHT_INIT_NAMES,
} from './vocabulary';

type Path = (string | number)[];
type Obj = Record<string, unknown>;

const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const isPosInt = (v: unknown): v is number => Number.isInteger(v) && (v as number) > 0;
const isFiniteNum = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);

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

  private node(n: unknown, path: Path, outer: Span | undefined, place: Place, depth: number, index: number): void {
    this.nodes++;
    if (!isObj(n)) return this.add('graph/bad-attribute', 'a node must be an object with a kind', path, outer);
    const span = spanOf(n, outer);
    if (typeof n.kind !== 'string' || !(NODE_KINDS as readonly string[]).includes(n.kind)) {
      const hint = typeof n.kind === 'string' ? didYouMean(n.kind, NODE_KINDS) : '';
      return this.add('graph/unknown-kind', `unknown node kind ${JSON.stringify(n.kind)}${hint}`, path, span);
    }
    const kind = n.kind;
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
    const a = new Attrs(this, n, kind, path, span);
    switch (kind) {
      case 'input': {
        const s = n.shape;
        if (!Array.isArray(s) || (s.length !== 1 && s.length !== 3) || !s.every(isPosInt)) {
          a.bad('shape', 'must be [C, H, W] or [n] with positive integers');
          break;
        }
        if (s.length === 3) {
          if (s[0] > MAX_WIDTH) a.limit('shape', `has ${s[0]} channels; the limit is ${MAX_WIDTH}`);
          if (s[1] > MAX_SPATIAL || s[2] > MAX_SPATIAL) a.limit('shape', `is ${s[1]}x${s[2]} pixels; the limit is ${MAX_SPATIAL} a side`);
        }
        const total = s.reduce((x: number, y: number) => x * y, 1);
        if (total > MAX_ELEMENTS) a.limit('shape', `has ${total} elements; the limit is ${MAX_ELEMENTS}`);
        break;
      }
      case 'conv':
        a.size('out', MAX_WIDTH);
        a.size('kernel', MAX_KERNEL);
        a.size('stride', MAX_STRIDE);
        a.padding('padding');
        a.bool('bias');
        a.name('init', WEIGHT_INIT_NAMES, true);
        a.gain();
        a.ws();
        break;
      case 'dense':
        a.size('units', MAX_WIDTH);
        a.bool('bias');
        a.name('init', WEIGHT_INIT_NAMES, true);
        a.gain();
        a.ws();
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
        if (a.name('op', POOL_NAMES) && n.op !== 'global') {
          a.size('size', MAX_KERNEL);
          a.size('stride', MAX_STRIDE);
          a.padding('padding');
        } else if (n.op === 'global')
          for (const k of ['size', 'stride', 'padding'])
            if (n[k] !== undefined) a.bad(k, "is not an attribute of a global pool");
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
        if (n.scheme === 'nf' && isObj(n.branch) && (n.branch.norm === 'bn' || n.branch.norm === 'ln')) {
          const why = `resblock: an NF block with norm '${n.branch.norm}' in its branch; NF-ResNets are normaliser-free (norm 'none'), this one normalises too`;
          this.add('graph/nf-norm', why, [...path, 'branch', 'norm'], span);
        }
        break;
      case 'stage':
        a.size('width', MAX_WIDTH);
        a.size('blocks', MAX_BLOCKS);
        a.size('stride', MAX_STRIDE);
        if (a.body()) {
          this.sequence(n.body as unknown[], [...path, 'body'], span, 'body', depth + 1);
          const d = countBlocksLoose(n.body as unknown[]);
          if (isPosInt(n.blocks) && d !== n.blocks)
            this.add('graph/stage-mismatch', `stage: says ${n.blocks} blocks but its body has ${d}`, path, span);
        }
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

/** Attribute checks of one node, reporting at the attribute's path. */
class Attrs {
  constructor(
    private readonly v: Validator,
    private readonly n: Obj,
    private readonly kind: string,
    private readonly path: Path,
    private readonly span: Span | undefined,
  ) {}

  bad(key: string, why: string): void {
    this.v.list.add('graph/bad-attribute', `${this.kind}: '${key}' ${why}, got ${show(this.n[key])}`, [...this.path, key], this.span);
  }

  limit(key: string, why: string): void {
    this.v.list.add('graph/limit', `${this.kind}: '${key}' ${why}`, [...this.path, key], this.span);
  }

  size(key: string, max: number): void {
    const x = this.n[key];
    if (x === undefined || typeof x !== 'number') return this.bad(key, 'must be a positive integer');
    if (!isPosInt(x))
      return this.v.list.add('graph/not-positive', `${this.kind}: '${key}' must be a positive integer, got ${show(x)}`, [...this.path, key], this.span);
    if (x > max) this.limit(key, `is ${x}; the limit is ${max}`);
  }

  bool(key: string): void {
    if (typeof this.n[key] !== 'boolean') this.bad(key, 'must be true or false');
  }

  finite(key: string): void {
    if (!isFiniteNum(this.n[key])) this.bad(key, 'must be a finite number');
  }

  positive(key: string): void {
    const x = this.n[key];
    if (!isFiniteNum(x)) return this.bad(key, 'must be a finite number');
    if (x <= 0) this.v.list.add('graph/out-of-range', `${this.kind}: '${key}' must be > 0, got ${x}`, [...this.path, key], this.span);
  }

  /** lo <= x <= hi (hi exclusive unless `closed`). */
  range(key: string, lo: number, hi: number, closed: boolean): void {
    const x = this.n[key];
    if (!isFiniteNum(x)) return this.bad(key, 'must be a finite number');
    if (x < lo || x > hi || (!closed && x === hi))
      this.v.list.add('graph/out-of-range', `${this.kind}: '${key}' must lie in [${lo}, ${hi}${closed ? ']' : ')'}, got ${x}`, [...this.path, key], this.span);
  }

  gain(): void {
    const x = this.n.gain;
    if (x === undefined) return;
    if (!isFiniteNum(x) || x < 0) this.bad('gain', 'must be a finite number >= 0');
  }

  /** Scaled WS, when present: { gamma > 0, eps >= 0 }. */
  ws(): void {
    const x = this.n.ws;
    if (x === undefined) return;
    const ok = isObj(x) && Object.keys(x).every((k) => k === 'gamma' || k === 'eps') && isFiniteNum(x.gamma) && x.gamma > 0 && isFiniteNum(x.eps) && x.eps >= 0;
    if (!ok) this.bad('ws', 'must be { gamma: a number > 0, eps: a number >= 0 }');
  }

  padding(key: string): void {
    const x = this.n[key];
    if (typeof x === 'string') {
      this.name(key, PADDING_NAMES);
      return;
    }
    if (!Number.isInteger(x) || (x as number) < 0) return this.bad(key, "must be 'same', 'valid' or a non-negative integer");
    if ((x as number) > MAX_KERNEL) this.limit(key, `is ${x}; the limit is ${MAX_KERNEL}`);
  }

  /** A name from `list` (optional: absent is fine). Returns whether it is valid. */
  name(key: string, list: readonly string[], optional = false): boolean {
    const x = this.n[key];
    if (x === undefined && optional) return true;
    if (typeof x !== 'string') {
      this.bad(key, `must be one of ${list.join(', ')}`);
      return false;
    }
    if (list.includes(x)) return true;
    this.v.list.add('graph/unknown-name', `${this.kind}: unknown ${key} '${x}'${didYouMean(x, list)} (expected one of ${list.join(', ')})`, [...this.path, key], this.span);
    return false;
  }

  body(): boolean {
    const b = this.n.body;
    if (!Array.isArray(b) || b.length === 0) {
      this.bad('body', 'must be a non-empty list of nodes');
      return false;
    }
    return true;
  }
}

function didYouMean(name: string, list: readonly string[]): string {
  const c = closestNames(name, list);
  return c.length === 0 ? '' : `; did you mean ${c.map((s) => `'${s}'`).join(' or ')}?`;
}

function show(x: unknown): string {
  if (x === undefined) return 'nothing';
  const s = JSON.stringify(x);
  return s === undefined ? String(x) : s.length > 40 ? `${s.slice(0, 37)}...` : s;
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
