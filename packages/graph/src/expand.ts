// Expansion: a residual block spec -> the exact layers to build.
//
// `layers` and `analysis` build what this returns and nothing else, so the branch structure lives
// in one place. A block computes
//
//     h   = pre(x)
//     out = shortcut(h) + alpha * branch(h)        (shortcut = [] is the identity)
//
// `pre` is empty unless a pre-activation block projects: then its leading norm -> act is shared by
// both paths, as in the Wide-ResNet reference code.
//
// An NF-ResNet block (scheme 'nf', nf.ts) also divides its input by beta_l before `pre` and the branch:
// h = pre(x / beta_l), out = shortcut(h) + alpha * branch(h), and with an identity shortcut
// out = x + alpha * branch(x / beta_l). beta_l depends on the block's place in the network, so it is not
// a layer here: inferGraph computes it (BlockRun.nf). A pre-activation NF branch has no norm layers and
// Scaled WS on its weights (the gamma of its activation), and so has its projection.

import type { ResidualScalar } from './init-plan';
import { fixupGain, residualScalar } from './init-plan';
import type { LayerShapeError } from './layer-shape';
import { formatShape, isLayerShapeError, layerShape } from './layer-shape';
import { wsFor } from './nf';
import type { Branch, LayerNode, PreactBranch, ResblockNode, Shape, WeightStandardization } from './types';
import type { IssueCode } from './issues';
import { GraphError } from './issues';

export interface ExpandedBlock {
  /** Applied to the block input before both paths (empty unless a pre-activation block projects). */
  pre: LayerNode[];
  branch: LayerNode[];
  /** Empty: the identity. Otherwise a 1x1 conv with the block's stride (images) or a dense (flat). */
  shortcut: LayerNode[];
  /** The branch scalar; null: none (alpha = 1). */
  alpha: ResidualScalar | null;
}

/**
 * The layers of a branch as written: a pre-activation branch's norm -> act -> weight -> norm -> act
 * -> [dropout] -> weight (norm layers absent for norm 'none'), or a custom branch's nodes. Weight
 * layers carry no `init` yet; `expandBlock` sets it from the block's scheme.
 */
export function branchNodes(branch: Branch): LayerNode[] {
  if (branch.kind === 'custom') return branch.nodes;
  return preactNodes(branch);
}

function preactNodes(b: PreactBranch): LayerNode[] {
  const out: LayerNode[] = [];
  const norm = (): void => {
    if (b.norm === 'bn') out.push({ kind: 'batchnorm', momentum: 0.1, eps: 1e-5, affine: true });
    else if (b.norm === 'ln') out.push({ kind: 'layernorm', eps: 1e-5, affine: true });
  };
  const weight = (stride: number): LayerNode =>
    b.kind === 'conv'
      ? { kind: 'conv', out: b.width, kernel: b.kernel, stride, padding: 'same', bias: b.bias }
      : { kind: 'dense', units: b.width, bias: b.bias };
  norm();
  out.push({ kind: 'activation', fn: b.act });
  out.push(weight(b.stride));
  norm();
  out.push({ kind: 'activation', fn: b.act });
  if (b.dropout > 0) out.push({ kind: 'dropout', p: b.dropout });
  out.push(weight(1));
  return out;
}

const isWeight = (n: LayerNode): n is LayerNode & { kind: 'conv' | 'dense' } => n.kind === 'conv' || n.kind === 'dense';

/**
 * The branch's layers with the block's initialisation applied. Every weight layer gets an explicit
 * `init` (its own if it has one, else the block's weights). Under Fixup: a scalar bias (init 0)
 * before every weight layer and every activation and one at the end; the last weight layer
 * zero-initialised (unless it names its own init); the others' gain multiplied by d^(-1/(2m-2)),
 * m = weight layers in the branch.
 */
export function schemeNodes(
  nodes: readonly LayerNode[],
  block: Pick<ResblockNode, 'scheme' | 'weights'>,
  d: number,
  ws: WeightStandardization | null = null,
): LayerNode[] {
  return schemeWithOrigin(nodes, block, d, ws).nodes;
}

/** The Scaled WS an NF block puts on its pre-activation branch's weights (null: none). */
function branchWs(block: ResblockNode): WeightStandardization | null {
  return block.scheme === 'nf' && block.branch.kind !== 'custom' ? wsFor(block.branch.act) : null;
}

/**
 * schemeNodes, plus for each output layer the index of the written layer it came from (-1: inserted).
 * `ws`: Scaled WS for every weight layer (an NF pre-activation branch); null leaves them as written.
 */
function schemeWithOrigin(
  nodes: readonly LayerNode[],
  block: Pick<ResblockNode, 'scheme' | 'weights'>,
  d: number,
  ws: WeightStandardization | null,
): { nodes: LayerNode[]; origin: number[] } {
  if (block.scheme !== 'fixup') {
    return {
      nodes: nodes.map((n) => (isWeight(n) ? { ...n, init: n.init ?? block.weights, ...(ws ? { ws } : {}) } : n)),
      origin: nodes.map((_, i) => i),
    };
  }
  const m = nodes.filter(isWeight).length;
  const g = fixupGain(d, m);
  const out: LayerNode[] = [];
  const origin: number[] = [];
  const push = (n: LayerNode, from: number): void => {
    out.push(n);
    origin.push(from);
  };
  let seen = 0;
  nodes.forEach((n, i) => {
    if (isWeight(n)) {
      seen++;
      push({ kind: 'bias', init: 0 }, -1);
      if (seen === m) push({ ...n, init: n.init ?? 'zeros' }, i);
      else {
        const gain = (n.gain ?? 1) * g;
        push(gain === 1 ? { ...n, init: n.init ?? block.weights } : { ...n, init: n.init ?? block.weights, gain }, i);
      }
    } else if (n.kind === 'activation' && n.fn !== 'identity') {
      push({ kind: 'bias', init: 0 }, -1);
      push(n, i);
    } else push(n, i);
  });
  push({ kind: 'bias', init: 0 }, -1);
  return { nodes: out, origin };
}

/** Per-layer result of running shapes through a list of layers. */
export interface LayerRun {
  node: LayerNode;
  inShape: Shape;
  outShape: Shape;
  params: number;
  buffers: number;
  flops: number;
}

/** Shapes through `nodes` from `x`: every layer's result, or the index of the first that fails. */
export function runLayers(
  nodes: readonly LayerNode[],
  x: Shape,
): { ok: true; runs: LayerRun[]; out: Shape } | { ok: false; index: number; error: LayerShapeError } {
  const runs: LayerRun[] = [];
  let shape = x;
  for (let i = 0; i < nodes.length; i++) {
    const r = layerShape(nodes[i], shape);
    if (isLayerShapeError(r)) return { ok: false, index: i, error: r };
    runs.push({ node: nodes[i], inShape: shape, outShape: r.out, params: r.params, buffers: r.buffers, flops: r.flops });
    shape = r.out;
  }
  return { ok: true, runs, out: shape };
}

const sameShape = (a: Shape, b: Shape): boolean => a.length === b.length && a.every((v, i) => v === b[i]);

/** The projection mapping shape `x` to shape `y`, or null when no 1x1 strided conv / dense can. */
export function projection(x: Shape, y: Shape, weights: ResblockNode['weights']): LayerNode | null {
  if (x.length === 1 && y.length === 1) return { kind: 'dense', units: y[0], bias: false, init: weights };
  if (x.length !== 3 || y.length !== 3) return null;
  for (let s = 1; s <= Math.max(x[1], x[2]); s++) {
    if (Math.ceil(x[1] / s) === y[1] && Math.ceil(x[2] / s) === y[2])
      return { kind: 'conv', out: y[0], kernel: 1, stride: s, padding: 0, bias: false, init: weights };
  }
  return null;
}

/** What went wrong expanding a block: a code, a message, and where ('branch' + index, or the block). */
export interface ExpandError {
  code: IssueCode;
  message: string;
  /** Index of the failing layer in a custom branch's `nodes`, or null for the block itself. */
  index: number | null;
}

export interface ExpandResult {
  block: ExpandedBlock;
  pre: LayerRun[];
  branch: LayerRun[];
  shortcut: LayerRun[];
  out: Shape;
}

/**
 * Expand one repetition of `block` on an input of shape `x` in a network of `d` residual blocks:
 * the layers to build and their shapes, or the first problem. (`expandBlock` is the throwing form.)
 */
export function tryExpandBlock(block: ResblockNode, x: Shape, d: number): ExpandResult | ExpandError {
  const written = branchNodes(block.branch);
  const { nodes, origin } = schemeWithOrigin(written, block, d, branchWs(block));
  const run = runLayers(nodes, x);
  if (!run.ok) {
    // Point at the written node of a custom branch (Fixup's inserted biases never fail).
    const from = origin[run.index];
    const index = block.branch.kind === 'custom' && from >= 0 ? from : null;
    const message = `resblock branch: ${run.error.message}`;
    return { code: run.error.code, message, index };
  }
  const alpha = residualScalar(block, d);
  const equal = sameShape(x, run.out);
  if (block.shortcut === 'identity' || (block.shortcut === 'auto' && equal)) {
    if (!equal)
      return {
        code: 'shape/shortcut-mismatch',
        message: `resblock: the identity shortcut needs the branch to keep the shape, but it maps ${formatShape(x)} to ${formatShape(run.out)}; use shortcut=projection (or auto)`,
        index: null,
      };
    return { block: { pre: [], branch: nodes, shortcut: [], alpha }, pre: [], branch: run.runs, shortcut: [], out: run.out };
  }
  const plain = projection(x, run.out, block.weights);
  const proj = plain === null || block.scheme !== 'nf' ? plain : nfProjection(plain, block);
  if (proj === null)
    return {
      code: 'shape/projection-impossible',
      message: `resblock: no 1x1 strided projection maps the block input ${formatShape(x)} to the branch output ${formatShape(run.out)}`,
      index: null,
    };
  const projRun = runLayers([proj], x);
  if (!projRun.ok || !sameShape(projRun.out, run.out))
    return {
      code: 'shape/projection-impossible',
      message: `resblock: the projection of ${formatShape(x)} does not give ${formatShape(run.out)}`,
      index: null,
    };
  let split = 0;
  if (block.branch.kind !== 'custom') split = nodes.findIndex((n) => n.kind === 'activation') + 1;
  return {
    block: { pre: nodes.slice(0, split), branch: nodes.slice(split), shortcut: [proj], alpha },
    pre: run.runs.slice(0, split),
    branch: run.runs.slice(split),
    shortcut: projRun.runs,
    out: run.out,
  };
}

/**
 * An NF block's projection: Scaled WS (it reads the shared activation of a pre-activation branch, so its
 * gamma; a custom branch's reads x / beta itself: gamma 1) and the branch's bias (the reference code's
 * convolutions all have one).
 */
function nfProjection(proj: LayerNode, block: ResblockNode): LayerNode {
  if (!isWeight(proj)) return proj;
  const b = block.branch;
  return b.kind === 'custom' ? { ...proj, ws: wsFor('identity') } : { ...proj, bias: b.bias, ws: wsFor(b.act) };
}

/** Expand one repetition of `block` on input shape `x` (d residual blocks in the network); throws GraphError on a shape problem. */
export function expandBlock(block: ResblockNode, x: Shape, d: number): ExpandedBlock {
  const r = tryExpandBlock(block, x, d);
  if ('code' in r) throw new GraphError(`${r.code}: ${r.message}`);
  return r.block;
}
