// The reverse-mode autograd tape.
//
// An op is a row of the op table: its forward (backend primitives on DataIds) and its backward (tensor
// ops on the upstream gradient `dy`) side by side, and the list of tensors it saves for backward
// (`saves`: input indices and/or 'out'; a forward may add workspaces it made for its backward only). `apply` runs the forward and, when grad mode is on and an input
// requires grad, records a Node: the op, its attributes, the saved storages, and one edge per input
// (the input's Node, the leaf tensor itself, or null).
//
// Lifetimes are deterministic. A Node holds the storages it saved (not tensor handles), so disposing an
// intermediate handle (e.g. at the end of a tidy) does not break a later backward. A Node is released
// (its saved storages freed, its edges dropped) when no live handle and no child Node refers to it, or
// its saved storages are freed when backward has run through it (unless `retainGraph`). In-place updates
// bump a storage's version; backward through a node whose saved storage changed is an error, as in torch.

import type { Backend, DataId, Shape } from './backend';
import { isGradEnabled, popScope, pushScope, withGradMode } from './context';
import type { Engine, Storage } from './engine';
import { TensorError, formatShape } from './errors';
import { shapesEqual } from './shape';
import type { Tensor } from './tensor';

/** What an op's forward returns: a fresh DataId, or an input's Storage to share (reshape), and the shape. */
export interface Produced {
  readonly data: DataId | Storage;
  readonly shape: Shape;
  /**
   * Storage the forward made for its backward alone (a backend's workspace, e.g. conv2dTraining's):
   * saved after `saves` (shape [size]) and freed with them; freed at once when no backward will run.
   */
  readonly workspace?: readonly DataId[];
}

export interface BackwardContext<A> {
  /** The saved tensors, in the order of `saves`, as temporary handles (disposed after the node). */
  readonly saved: readonly Tensor[];
  readonly attrs: A;
  /** The input shapes. */
  readonly shapes: readonly Shape[];
  /** needs[i]: whether input i wants a gradient (skip the work where it does not). */
  readonly needs: readonly boolean[];
}

/** One row of the op table. */
export interface Op<A = void> {
  readonly name: string;
  /** Input indices and/or 'out' that backward needs. */
  readonly saves?: readonly (number | 'out')[];
  /** `needs[i]`: whether input i will want a gradient; null when no backward will run (nothing is recorded). */
  forward(backend: Backend, inputs: readonly Tensor[], attrs: A, needs: readonly boolean[] | null): Produced;
  /** Gradients for each input (null where there is none), computed with tensor ops in no-grad mode. */
  backward?(dy: Tensor, ctx: BackwardContext<A>): readonly (Tensor | null)[];
}

interface Saved {
  readonly storage: Storage;
  readonly shape: Shape;
  readonly version: number;
}

/** An edge of the graph: the Node that made an input, the leaf tensor that requires grad, or null. */
type Edge = Node | Tensor | null;

export class Node {
  /** Live handles whose creator this is, plus child nodes with an edge to it. */
  refs = 0;
  /** Saved storages, null once freed. */
  saved: Saved[] | null;
  /** Pending upstream gradient during backward. */
  pending: Tensor | null = null;
  /** Non-leaf handles that asked for their gradient (retainGrad). */
  retainers: Tensor[] | null = null;
  released = false;
  /** Traversal stamp (topological sort). */
  visited = 0;

  constructor(
    readonly op: Op<any>,
    readonly attrs: unknown,
    readonly edges: Edge[],
    readonly shapes: readonly Shape[],
    readonly outShape: Shape,
    saved: Saved[],
  ) {
    this.saved = saved;
  }

  get name(): string {
    return this.op.name;
  }
}

function save(s: Storage, shape: Shape): Saved {
  return { storage: s.retain(), shape, version: s.version };
}

/** Runs `op` on `inputs` and records it on the tape when a gradient may be needed. */
export function apply<A>(op: Op<A>, inputs: readonly Tensor[], attrs: A): Tensor {
  const engine = engineOf(op.name, inputs);
  let record = false;
  if (op.backward !== undefined && isGradEnabled()) {
    for (let i = 0; i < inputs.length; i++) if (inputs[i].requiresGrad) record = true;
  }
  const out = op.forward(engine.backend, inputs, attrs, record ? inputs.map((x) => x.requiresGrad) : null);
  if (!record) {
    for (const w of out.workspace ?? []) engine.backend.dispose(w);
    return engine.wrap(out.data, out.shape, null);
  }

  const edges: Edge[] = new Array(inputs.length);
  const shapes: Shape[] = new Array(inputs.length);
  for (let i = 0; i < inputs.length; i++) {
    const x = inputs[i];
    shapes[i] = x.shape;
    const n = x.node;
    if (n !== null) {
      n.refs++;
      edges[i] = n;
    } else edges[i] = x.requiresGrad ? x : null;
  }
  const t = engine.wrap(out.data, out.shape, null);
  const saved: Saved[] = [];
  for (const s of op.saves ?? []) {
    saved.push(s === 'out' ? save(t.storage, t.shape) : save(inputs[s].storage, inputs[s].shape));
  }
  for (const w of out.workspace ?? []) saved.push({ storage: engine.storage(w), shape: [w.size], version: 0 });
  const node = new Node(op, attrs, edges, shapes, out.shape, saved);
  t.setNode(node);
  return t;
}

/** Checks that the inputs are alive and share one engine, and returns it. */
export function engineOf(op: string, inputs: readonly Tensor[]): Engine {
  if (inputs.length === 0) throw new TensorError(op, 'needs at least one tensor input');
  const engine = inputs[0].engine;
  for (const t of inputs) {
    t.assertAlive(op);
    if (t.engine !== engine) throw new TensorError(op, 'inputs belong to different engines');
  }
  return engine;
}

/** Drops one reference to `node`; when none are left, frees its saved storages and releases its inputs. */
export function releaseNode(node: Node): void {
  if (--node.refs > 0) return;
  const stack: Node[] = [node];
  while (stack.length > 0) {
    const n = stack.pop()!;
    n.released = true;
    freeSaved(n);
    n.retainers = null;
    for (const e of n.edges) {
      if (e !== null && !isTensor(e) && --e.refs === 0) stack.push(e);
    }
    n.edges.length = 0;
  }
}

function freeSaved(n: Node): void {
  if (n.saved === null) return;
  for (const s of n.saved) s.storage.release();
  n.saved = null;
}

function isTensor(e: Node | Tensor): e is Tensor {
  return !(e instanceof Node);
}

/** Records `t` (a non-leaf) to receive its gradient in `.grad` on backward (torch's retain_grad). */
export function retainGradOf(t: Tensor): void {
  const node = t.node!;
  (node.retainers ??= []).push(t);
}

export interface BackwardOptions {
  /** Keep the saved tensors so backward can run through this graph again (torch's retain_graph). */
  readonly retainGraph?: boolean;
}

/** Reverse-mode pass from `root`, seeded with `seed` (ones for a scalar root); accumulates into leaves' `.grad`. */
export function backward(root: Tensor, seed: Tensor | null, options: BackwardOptions = {}): void {
  root.assertAlive('backward');
  if (!root.requiresGrad) {
    throw new TensorError('backward', `${formatShape(root.shape)}: the tensor does not require grad and has no grad_fn`);
  }
  const engine = root.engine;
  withGradMode(false, () => {
    let dy: Tensor;
    if (seed === null) {
      if (root.size !== 1) {
        throw new TensorError(
          'backward',
          `${formatShape(root.shape)}: backward without a seed gradient needs a scalar (one element); pass a seed of that shape`,
        );
      }
      dy = engine.wrap(engine.backend.fill(1, 1), root.shape);
    } else {
      seed.assertAlive('backward');
      if (seed.engine !== engine) throw new TensorError('backward', 'seed gradient belongs to a different engine');
      if (!shapesEqual(seed.shape, root.shape)) {
        throw new TensorError('backward', `seed gradient ${formatShape(seed.shape)} does not match output ${formatShape(root.shape)}`);
      }
      dy = engine.wrap(seed.storage, seed.shape);
    }
    dy.keep();
    const rootNode = root.node;
    if (rootNode === null) {
      accumulateLeaf(root, dy);
      return;
    }
    if (rootNode.saved === null && rootNode.op.saves !== undefined && rootNode.op.saves.length > 0) {
      dy.dispose();
      throw graphFreed(rootNode);
    }
    const order = topoOrder(rootNode);
    rootNode.pending = dy;
    try {
      for (let i = order.length - 1; i >= 0; i--) runNode(order[i], engine);
    } finally {
      for (const n of order) {
        if (n.pending !== null) {
          n.pending.dispose();
          n.pending = null;
        }
        if (!options.retainGraph) freeSaved(n);
      }
    }
  });
}

function graphFreed(n: Node): TensorError {
  return new TensorError(
    'backward',
    `${n.name}: trying to backward through the graph a second time (its saved tensors were freed); ` +
      'pass { retainGraph: true } to the first backward',
  );
}

let visitEpoch = 0;

/** Nodes reachable from `root`, children before parents (iterative DFS: graphs can be 20,000 nodes deep). */
function topoOrder(root: Node): Node[] {
  const epoch = ++visitEpoch;
  const order: Node[] = [];
  root.visited = epoch;
  const nodes: Node[] = [root];
  const next: number[] = [0];
  while (nodes.length > 0) {
    const top = nodes.length - 1;
    const n = nodes[top];
    const i = next[top];
    if (i < n.edges.length) {
      next[top] = i + 1;
      const e = n.edges[i];
      if (e instanceof Node && e.visited !== epoch) {
        e.visited = epoch;
        nodes.push(e);
        next.push(0);
      }
    } else {
      nodes.pop();
      next.pop();
      order.push(n);
    }
  }
  return order;
}

function runNode(node: Node, engine: Engine): void {
  const dy = node.pending;
  if (dy === null) return;
  node.pending = null;
  if (node.retainers !== null) {
    for (const t of node.retainers) if (!t.isDisposed) accumulateLeaf(t, engine.wrap(dy.storage, dy.shape).keep());
  }
  const saves = node.op.saves ?? [];
  if (saves.length > 0 && node.saved === null) {
    dy.dispose();
    throw graphFreed(node);
  }
  const edges = node.edges;
  const needs = edges.map((e) => e !== null);
  const saved = node.saved ?? [];
  let grads: readonly (Tensor | null)[] = [];
  pushScope();
  try {
    const handles = saved.map((s) => {
      if (s.storage.version !== s.version) {
        throw new TensorError(
          node.name,
          `a tensor ${formatShape(s.shape)} saved for backward was modified in place (copy_/sgdUpdate_) after it was saved`,
        );
      }
      return engine.wrap(s.storage, s.shape);
    });
    grads = node.op.backward!(dy, { saved: handles, attrs: node.attrs, shapes: node.shapes, needs });
  } finally {
    popScope(grads);
  }
  for (let i = 0; i < edges.length; i++) {
    let g = grads[i] ?? null;
    const e = edges[i];
    if (g === null) continue;
    if (g === dy || grads.indexOf(g) < i) g = engine.wrap(g.storage, g.shape); // an alias: give it its own handle
    if (e === null) {
      g.dispose();
      continue;
    }
    if (!shapesEqual(g.shape, node.shapes[i])) {
      throw new Error(
        `internal: ${node.name} backward gave a gradient ${formatShape(g.shape)} for input ${i} of shape ${formatShape(node.shapes[i])}`,
      );
    }
    if (isTensor(e)) accumulateLeaf(e, g);
    else if (e.pending === null) e.pending = g;
    else {
      const sum = addRaw(engine, e.pending, g);
      e.pending.dispose();
      g.dispose();
      e.pending = sum;
    }
  }
  dy.dispose();
}

/** `.grad += g` (micrograd's +=): the first gradient is stored, later ones are added. Consumes `g`. */
function accumulateLeaf(leaf: Tensor, g: Tensor): void {
  g.keep();
  if (leaf.isDisposed) {
    g.dispose();
    return;
  }
  const old = leaf.grad;
  if (old === null || old.isDisposed) {
    leaf.grad = g;
    return;
  }
  const sum = addRaw(leaf.engine, old, g).keep();
  old.dispose();
  g.dispose();
  leaf.grad = sum;
}

/** a + b of equal shapes, untracked by the tape (used to accumulate gradients). */
function addRaw(engine: Engine, a: Tensor, b: Tensor): Tensor {
  const id = engine.backend.binary('add', a.storage.id, a.shape, b.storage.id, b.shape, a.shape);
  return engine.wrap(id, a.shape);
}

/** Runs `fn` without recording on the tape (torch.no_grad). */
export function noGrad<T>(fn: () => T): T {
  return withGradMode(false, fn);
}

/** Runs `fn` with recording on, even inside noGrad (torch.enable_grad). */
export function enableGrad<T>(fn: () => T): T {
  return withGradMode(true, fn);
}
