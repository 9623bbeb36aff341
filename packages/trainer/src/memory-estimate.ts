// How much memory training a graph takes, before anything is allocated: a pure function of the graph's
// inference (shapes, parameter counts: O(1) in the depth), the recipe (batch, optimiser, data set) and the
// bytes per element of the backend (4 for float32, 8 on the float64 reference backend).
//
// By category:
//   parameters   the trainable values;            gradients   one per parameter (backward);
//   optimizer    SGD with momentum: 1 per parameter (velocity); Adam/AdamW: 2 (first and second moments);
//   buffers      batch-norm running statistics;
//   activations  what the tape keeps from the forward pass for the backward pass, for one batch: each
//                op's saved tensors as the tensor package's ops declare them (a matmul or conv its input,
//                a relu its output, a dropout its input and mask, ...), and the logits (the loss's softmax);
//   workspace    the backward pass's gradients in flight: a few tensors of the largest activation's size;
//   data         the data set held in memory as float32 (train and test images), whatever the backend.
// The largest single tensor is reported too: a backend refuses a tensor above its own limit however much
// memory the machine has.
//
// Checked against the engine's live bytes after a training-mode forward pass on the float64 reference
// backend (the test beside this file) for an MLP, a residual MLP and a conv net with batch norm and dropout.
import type { Graph, LayerNode, NodeInfo, ResolvedTrainSpec } from '@skipinit/graph';
import { DATASETS, inferGraph } from '@skipinit/graph';
import type { BlockRun, LayerRun } from '@skipinit/graph';

/** Activation-sized tensors alive at once during the backward pass besides the saved ones (dy, dx, a temporary). */
export const BACKWARD_WORKSPACE = 3;

export interface MemoryEstimate {
  readonly bytesPerElement: number;
  readonly batch: number;
  /** Bytes by category. */
  readonly parameters: number;
  readonly gradients: number;
  readonly optimizer: number;
  readonly buffers: number;
  /** What the tape keeps from the forward pass (and the logits), for one batch. */
  readonly activations: number;
  /** The backward pass's gradients in flight: BACKWARD_WORKSPACE times the largest activation. */
  readonly workspace: number;
  readonly data: number;
  readonly total: number;
  /** The largest single tensor: its elements and what it is ('the weight of dense 60000'). */
  readonly largest: { readonly elements: number; readonly what: string };
}

export interface MemoryEstimateOptions {
  /** 4 (float32, every gpu.js mode) or 8 (the float64 reference backend). Default 4. */
  readonly bytesPerElement?: number;
}

/** Optimiser state tensors per parameter: SGD 0 (no momentum) or 1, Adam and AdamW 2. */
export function optimizerSlots(optimizer: ResolvedTrainSpec['optimizer']): number {
  if (optimizer.name === 'sgd') return optimizer.momentum > 0 ? 1 : 0;
  return 2;
}

/**
 * What one layer's backward keeps (the tensor ops' `saves`): its input (matmul, conv, batch norm, pooling,
 * dropout's product, a scalar's product), its output (relu, sigmoid, tanh), and extra tensors of its
 * output's size (dropout's mask; the intermediates of the composed layer norm and gelu).
 * Checked op by op against the reference backend's live bytes.
 */
function saves(n: LayerNode): { input: boolean; output: boolean; extra: number } {
  switch (n.kind) {
    case 'dense':
    case 'conv':
    case 'batchnorm':
    case 'scale':
      return { input: true, output: false, extra: 0 };
    case 'pool':
      return { input: n.op !== 'global', output: false, extra: 0 };
    case 'dropout':
      return { input: true, output: false, extra: 1 };
    case 'layernorm':
      return { input: true, output: false, extra: 2 };
    case 'activation':
      // gelu is composed (erf by a polynomial): its intermediates are 12 tensors of its size (measured)
      if (n.fn === 'gelu') return { input: true, output: false, extra: 12 };
      return n.fn === 'identity' ? { input: false, output: false, extra: 0 } : { input: false, output: true, extra: 0 };
    default:
      // flatten (a view), bias (a scalar added: its backward needs nothing)
      return { input: false, output: false, extra: 0 };
  }
}

const numel = (shape: readonly number[]): number => shape.reduce((a, b) => a * b, 1);

/** A tensor of the forward pass: its elements per example, and whether some backward keeps it. */
interface Value {
  readonly elements: number;
  kept: boolean;
}

class Tally {
  /** Elements per example of the kept tensors already finished with. */
  saved = 0;
  largestWeight = { elements: 0, what: 'none' };
  largestActivation = { elements: 0, what: 'none' };

  /** `x` has had its last consumer: count it if some backward keeps it. */
  retire(x: Value): void {
    if (x.kept) this.saved += x.elements;
  }

  /** Runs `runs` on `x` (which the caller retires); returns the output (not yet retired). */
  layers(runs: readonly LayerRun[], x: Value): Value {
    let v = x;
    for (const r of runs) {
      if (r.node.kind === 'flatten') continue; // a view of the same storage
      const s = saves(r.node);
      const out = numel(r.outShape);
      if (s.input) v.kept = true;
      if (v !== x) this.retire(v);
      this.saved += s.extra * out;
      v = { elements: out, kept: s.output };
      if (out > this.largestActivation.elements) this.largestActivation = { elements: out, what: `the output of ${label(r.node)}` };
      const weight = weightElements(r);
      if (weight > this.largestWeight.elements) this.largestWeight = { elements: weight, what: `the weight of ${label(r.node)}` };
    }
    return v;
  }

  /** One residual block on `x` (which the caller retires): pre -> (branch [* alpha], shortcut) -> sum. */
  private once(run: BlockRun, x: Value): Value {
    const pre = this.layers(run.pre, x);
    const branch = this.layers(run.branch, pre);
    if (run.expanded.alpha !== null) branch.kept = true; // alpha * branch keeps both factors
    if (branch !== pre) this.retire(branch);
    const short = this.layers(run.shortcut, pre);
    if (short !== pre) this.retire(short);
    if (pre !== x) this.retire(pre);
    return { elements: numel(run.outShape), kept: false }; // the sum's backward keeps nothing
  }

  /** `reps` identical repetitions on `x` (which the caller retires), counted from the first two. */
  block(run: BlockRun, x: Value, reps: number): Value {
    return this.repeat(reps, x, (v) => this.once(run, v));
  }

  /** `reps` repetitions of `step`: the second stands for every later one (each gets what the first made). */
  repeat(reps: number, x: Value, step: (v: Value) => Value): Value {
    let out = step(x);
    if (reps > 1) {
      const before = this.saved;
      const next = step(out);
      this.retire(out);
      this.saved += (this.saved - before) * (reps - 2);
      out = next;
    }
    return out;
  }
}

function weightElements(r: LayerRun): number {
  const n = r.node;
  if (n.kind === 'dense') return numel(r.inShape) * n.units;
  if (n.kind === 'conv') return n.out * r.inShape[0] * n.kernel * n.kernel;
  return 0;
}

function label(n: LayerNode): string {
  if (n.kind === 'dense') return `dense ${n.units}`;
  if (n.kind === 'conv') return `conv ${n.out}`;
  return n.kind;
}

/** Walks top-level (or stage/repeat body) nodes from `x` (which the caller retires); returns the output. */
function walk(infos: readonly NodeInfo[], x: Value, t: Tally): Value {
  let v = x;
  const advance = (next: Value): void => {
    if (next !== v && v !== x) t.retire(v);
    v = next;
  };
  for (const info of infos) {
    if (info.layer) advance(t.layers([info.layer], v));
    if (info.head) advance(t.layers(info.head, v));
    for (const run of info.runs ?? []) advance(t.block(run, v, run.reps));
    if (info.body) advance(walk(info.body, v, t));
    for (const rep of info.repeats ?? []) advance(t.repeat(rep.reps, v, (y) => walk(rep.body, y, t)));
  }
  return v;
}

/** The estimate for training `graph` by `train`. Throws a RangeError for a graph with errors. */
export function estimateTrainingMemory(graph: Graph, train: ResolvedTrainSpec, options: MemoryEstimateOptions = {}): MemoryEstimate {
  const inference = inferGraph(graph);
  if (!inference.ok) throw new RangeError(`estimateTrainingMemory: the graph '${graph.name}' has errors`);
  const bytes = options.bytesPerElement ?? 4;
  const batch = train.data.batch;
  const t = new Tally();
  const input: Value = { elements: inference.input ? numel(inference.input) : 0, kept: false };
  const logits = walk(inference.nodes, input, t);
  logits.kept = true; // the loss keeps its softmax, of the logits' size
  t.retire(logits);
  if (logits !== input) t.retire(input);
  const info = DATASETS[train.data.name];
  const examples = info?.train !== null && info?.train !== undefined ? Math.min(info.train, train.data.limit ?? Infinity) + (info.test ?? 0) : 0;
  const data = info?.shape ? examples * numel(info.shape) * 4 : 0;
  const parameters = inference.params * bytes;
  const optimizer = optimizerSlots(train.optimizer) * parameters;
  const buffers = inference.buffers * bytes;
  const activations = batch * t.saved * bytes;
  const workspace = BACKWARD_WORKSPACE * batch * Math.max(t.largestActivation.elements, input.elements) * bytes;
  const batchActivation = { elements: batch * t.largestActivation.elements, what: `${t.largestActivation.what} for a batch of ${batch}` };
  const largest = batchActivation.elements > t.largestWeight.elements ? batchActivation : t.largestWeight;
  return {
    bytesPerElement: bytes,
    batch,
    parameters,
    gradients: parameters,
    optimizer,
    buffers,
    activations,
    workspace,
    data,
    total: 2 * parameters + optimizer + buffers + activations + workspace + data,
    largest,
  };
}

/** 1536 -> '1.5 KiB', 14e9 -> '13.0 GiB'. */
export function formatBytes(n: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let v = n;
  let u = 0;
  while (v >= 1024 && u < units.length - 1) {
    v /= 1024;
    u++;
  }
  return u === 0 ? `${Math.round(v)} B` : `${v.toFixed(1)} ${units[u]}`;
}

/** One line: 'about 1.8 GiB: parameters 125.4 MiB, gradients ..., activations 1.2 GiB (batch 64), data 220 MiB'. */
export function describeMemory(m: MemoryEstimate): string {
  const parts = [`parameters ${formatBytes(m.parameters)}`, `gradients ${formatBytes(m.gradients)}`];
  if (m.optimizer > 0) parts.push(`optimizer state ${formatBytes(m.optimizer)}`);
  if (m.buffers > 0) parts.push(`buffers ${formatBytes(m.buffers)}`);
  parts.push(`activations ${formatBytes(m.activations + m.workspace)} (batch ${m.batch})`);
  if (m.data > 0) parts.push(`data ${formatBytes(m.data)}`);
  return `about ${formatBytes(m.total)}: ${parts.join(', ')}`;
}
