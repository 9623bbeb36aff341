// The theory's prediction of signal propagation at initialisation (De & Smith 2020, section 3; the same
// mean-field argument as He et al. 2015 and Hanin & Rolnick 2018), for any residual network the graph
// describes.
//
// The quantity predicted is q, the average second moment of an activation, E[x^2] over examples, channels
// and positions (= average channel variance + average channel squared mean; the expectation is over the
// random weights, whose zero mean makes every cross term vanish). Each layer maps q linearly (plus a
// constant), so each block is an affine map q_out = A q_in + B, and a chain of blocks is the composition:
//
//   dense / conv, init w, gain g   q -> s_w g^2 q    s_w = fan_in Var(w): he 2, lecun 1, xavier 2 fan_in /
//                                                     (fan_in + fan_out), orthogonal min(1, fan_in / out), zeros 0
//                                  conv: times rho   rho = the average over output positions of the fraction
//                                                     of the k x k taps inside the image (zero padding: 0.96
//                                                     for 3x3 on 32x32, 0.84 on 8x8)
//   Scaled WS dense / conv, gamma  q -> gamma^2 v    (Brock et al. 2021, section 4.1) each output's weights sum
//                                                     to 0 and their squares to gamma^2, so the input's mean
//                                                     cancels and its variance v passes: v = q (1 - 1/pi) after
//                                                     a relu (its output has mean^2 = q / pi), v = q otherwise
//                                                     (zero-mean input); conv: times rho. After relu with relu's
//                                                     gamma^2 = 2 / (1 - 1/pi) this is q -> 2 q, as He's.
//   NF block input x / beta        q -> q / beta^2   before pre and the branch (and a projection); an identity
//                                                     shortcut carries q itself
//   relu                           q -> q / 2        input symmetric about 0
//   identity activation, flatten   q -> q
//   batchnorm (training mode)      q -> 1            batch statistics; gamma 1, beta 0 at init
//   batchnorm (eval mode)          q -> q / (1+eps)  running mean 0, variance 1 at init
//   layernorm                      q -> 1
//   dropout p (training mode)      q -> q / (1-p)    eval: q
//   scalar bias b / scale s        q -> q + b^2 / s^2 q
//   block                          q_out = S(q_h) + alpha^2 F(q_h), h = pre(x): skip path S (identity or
//                                  projection) and branch F, independent at init
//
// For the paper's blocks (pre-activation relu branch, He weights) this gives
//   plain (no norm, alpha 1)       q_{l+1} = 2 q_l                  q_l = 2^l q_0
//   bn (batch norm in the branch)  q_{l+1} = q_l + 1                q_l = q_0 + l
//   skipinit (alpha = 0)           q_{l+1} = q_l                    exactly the identity
//   scaled / skipinit alpha != 0   q_{l+1} = (1 + alpha^2) q_l      (1 + 1/d)^d q_0 < e q_0 for alpha = 1/sqrt(d)
//   fixup                          last branch layer 0: q_{l+1} = q_l
//   nf (Scaled WS, alpha 0.2)      q_{l+1} = q_l + alpha^2 q_l / beta_l^2   = beta_{l+1}^2 when q_l = beta_l^2;
//                                  a transition: q_{l+1} = (1 + alpha^2) q_l / beta_l^2
// Assumptions (what the measurements can disagree with): infinite width (finite widths fluctuate around
// the prediction by O(1/sqrt(width)) per block), inputs of relu symmetric about 0 (not quite true once mean
// shifts accumulate), the same second moment at every position of an image (zero padding lowers it at the
// borders, which rho averages over, but the border deficit compounds from layer to layer; and where a Scaled
// WS window hangs over the border its weights no longer sum to 0, so part of a relu's mean gets through: a
// conv NF stream grows a little faster than beta^2, 13% over 8 blocks on 16x16 maps). Other activations (tanh, gelu, sigmoid) and pooling
// inside a branch have no closed form here: the theory is then reported as not applicable, with the reason.
import type { BlockRun, LayerRun, PaddingName } from '@skipinit/graph';
import { convOutputSize, convPadding, nfBeta } from '@skipinit/graph';

/** q -> a q + b. */
export interface Affine {
  readonly a: number;
  readonly b: number;
}

export type ForwardMode = 'train' | 'eval';

export type Law = { readonly ok: true; readonly map: Affine } | { readonly ok: false; readonly reason: string };

const IDENTITY: Affine = { a: 1, b: 0 };
const compose = (outer: Affine, inner: Affine): Affine => ({ a: outer.a * inner.a, b: outer.a * inner.b + outer.b });
const apply = (f: Affine, q: number): number => f.a * q + f.b;

/** fan_in * Var(w) of a weight initialiser (what a dense/conv multiplies its input's second moment by). */
export function weightFactor(init: string, fanIn: number, fanOut: number, units: number): number | null {
  switch (init) {
    case 'he':
    case 'he_uniform':
      return 2;
    case 'lecun':
      return 1;
    case 'xavier':
    case 'xavier_uniform':
      return (2 * fanIn) / (fanIn + fanOut);
    case 'orthogonal':
      return Math.min(1, fanIn / units);
    case 'zeros':
      return 0;
    default:
      return null;
  }
}

/** The fraction of a conv's k x k taps that fall inside an H x W image, averaged over its output positions. */
export function insideFraction(h: number, w: number, kernel: number, stride: number, padding: PaddingName | number): number {
  const axis = (size: number): number => {
    const [before] = convPadding(size, kernel, stride, padding);
    const out = convOutputSize(size, kernel, stride, padding);
    let inside = 0;
    for (let o = 0; o < out; o++) {
      const start = o * stride - before;
      inside += Math.min(size, start + kernel) - Math.max(0, start);
    }
    return out > 0 ? inside / (out * kernel) : 0;
  };
  return axis(h) * axis(w);
}

/**
 * The law of one layer, or why there is none. `before` is the layer that feeds it (null: the block input or
 * a layer outside the chain, taken to be zero-mean): Scaled WS passes its input's variance, not its second
 * moment, and a relu's output carries a mean.
 */
export function layerLaw(run: LayerRun, mode: ForwardMode, before: LayerRun['node'] | null = null): Law {
  const n = run.node;
  const ok = (a: number, b = 0): Law => ({ ok: true, map: { a, b } });
  switch (n.kind) {
    case 'dense':
    case 'conv': {
      const rho = n.kind === 'conv' ? insideFraction(run.inShape[1], run.inShape[2], n.kernel, n.stride, n.padding) : 1;
      if (n.ws) {
        const afterRelu = before?.kind === 'activation' && before.fn === 'relu';
        if (before?.kind === 'activation' && !afterRelu && before.fn !== 'identity')
          return { ok: false, reason: `no closed form for the mean of ${before.fn} feeding a Scaled WS layer` };
        return ok(n.ws.gamma * n.ws.gamma * (afterRelu ? 1 - 1 / Math.PI : 1) * rho);
      }
      const fanIn = n.kind === 'dense' ? run.inShape[0] : run.inShape[0] * n.kernel * n.kernel;
      const units = n.kind === 'dense' ? n.units : n.out;
      const fanOut = n.kind === 'dense' ? n.units : n.out * n.kernel * n.kernel;
      const init = n.init ?? 'he';
      const s = weightFactor(init, fanIn, fanOut, units);
      if (s === null) return { ok: false, reason: `no variance rule for the initialiser '${init}'` };
      const g = n.gain ?? 1;
      return ok(s * g * g * rho);
    }
    case 'activation':
      if (n.fn === 'relu') return ok(0.5);
      if (n.fn === 'identity') return ok(1);
      return { ok: false, reason: `no closed form for the second moment through ${n.fn}` };
    case 'batchnorm':
      return mode === 'train' ? ok(0, 1) : ok(1 / (1 + n.eps));
    case 'layernorm':
      return ok(0, 1);
    case 'dropout':
      return mode === 'train' ? ok(1 / (1 - n.p)) : ok(1);
    case 'bias':
      return ok(1, n.init * n.init);
    case 'scale':
      return ok(n.init * n.init);
    case 'flatten':
      return ok(1);
    case 'pool':
      return { ok: false, reason: `no closed form for ${n.op} pooling (it depends on the correlation between positions)` };
  }
}

/** The composition of the layers' laws (first layer first); `before` feeds the first (see layerLaw). */
export function chainLaw(runs: readonly LayerRun[], mode: ForwardMode, before: LayerRun['node'] | null = null): Law {
  let map = IDENTITY;
  let prev = before;
  for (const r of runs) {
    const l = layerLaw(r, mode, prev);
    if (!l.ok) return l;
    map = compose(l.map, map);
    prev = r.node;
  }
  return { ok: true, map };
}

export interface BlockLaw {
  /** Block input q -> second moment of the branch output before alpha. */
  readonly branch: Affine;
  /** Block input q -> second moment of the skip path (shortcut output). */
  readonly skip: Affine;
  /** Block input q -> block output q: skip + alpha^2 branch. */
  readonly out: Affine;
  readonly alpha: number;
}

/**
 * The law of one residual block, or why there is none. An NF block (run.nf) divides its input by beta_l
 * first, so its law depends on the repetition: `rep` (0-based within the run) picks beta_l; `beta` =
 * 1 gives the law without the division (what describeNfLaw prints).
 */
export function blockLaw(
  run: BlockRun,
  mode: ForwardMode,
  rep = 0,
  beta: number | null = run.nf === null ? null : nfBeta(run.nf, rep),
): { ok: true; law: BlockLaw } | { ok: false; reason: string } {
  const last = run.pre.length > 0 ? run.pre[run.pre.length - 1].node : null;
  const pre = chainLaw(run.pre, mode);
  const branch = chainLaw(run.branch, mode, last);
  const shortcut = chainLaw(run.shortcut, mode, last);
  for (const l of [pre, branch, shortcut]) if (!l.ok) return l;
  if (!pre.ok || !branch.ok || !shortcut.ok) throw new Error('unreachable');
  const alpha = run.expanded.alpha === null ? 1 : run.expanded.alpha.init;
  const input = beta === null ? pre.map : compose(pre.map, { a: 1 / (beta * beta), b: 0 });
  const b = compose(branch.map, input);
  // an identity shortcut carries the block input itself (for an NF block: x, not x / beta)
  const s = run.shortcut.length > 0 ? compose(shortcut.map, input) : beta === null ? input : IDENTITY;
  const a2 = alpha * alpha;
  return { ok: true, law: { branch: b, skip: s, out: { a: s.a + a2 * b.a, b: s.b + a2 * b.b }, alpha } };
}

/** An NF block's law in words, with beta_l symbolic: "q_{l+1} = q_l + 0.04 q_l / beta_l^2 (NF)". */
export function describeNfLaw(law: BlockLaw, transition: boolean): string {
  const a2 = law.alpha * law.alpha;
  const tail = (b: number): string => (b === 0 ? '' : ` + ${num(b)}`);
  if (transition) return `q_{l+1} = ${num(law.out.a)} q_l / beta_l^2${tail(law.out.b)} (NF transition)`;
  return `q_{l+1} = q_l + ${num(a2 * law.branch.a)} q_l / beta_l^2${tail(a2 * law.branch.b)} (NF)`;
}

const num = (x: number): string => (Number.isInteger(x) ? String(x) : x.toPrecision(4).replace(/\.?0+$/, ''));

/** What the theory predicts for one block (second moments), given its input's q. */
export interface BlockPrediction {
  readonly input: number;
  /** The skip path: the input itself, or its projection. */
  readonly skip: number;
  /** The branch output before alpha. */
  readonly branch: number;
  readonly output: number;
  /** |alpha| sqrt(branch / skip): the branch's contribution relative to the skip path, in standard deviations; null when the skip path is 0. */
  readonly ratio: number | null;
}

export function predictBlock(law: BlockLaw, q: number): BlockPrediction {
  const branch = apply(law.branch, q);
  const skip = apply(law.skip, q);
  const ratio = skip > 0 && Number.isFinite(skip) && Number.isFinite(branch) ? Math.abs(law.alpha) * Math.sqrt(branch / skip) : null;
  return { input: q, skip, branch, output: apply(law.out, q), ratio };
}

/** A block law in words, e.g. "q_{l+1} = 2 q_l", "q_{l+1} = q_l + 1". */
export function describeLaw(map: Affine): string {
  const a = Math.abs(map.a - 1) < 1e-12 ? '' : `${num(map.a)} `;
  if (map.a === 0) return `q_{l+1} = ${num(map.b)}`;
  if (map.b === 0) return a === '' ? 'q_{l+1} = q_l (exactly the identity)' : `q_{l+1} = ${a}q_l`;
  return `q_{l+1} = ${a}q_l + ${num(map.b)}`;
}
