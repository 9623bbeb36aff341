// The residual schemes: branch-level rules for a network of d residual blocks,
//
//     x_{l+1} = S(x_l) + alpha * f_l(x_l)          (S: identity or projection shortcut)
//
// and how each branch f_l is initialised. @skipinit/graph's `expandBlock` inserts the layers these
// rules call for (the scalar, Fixup's biases, the gains and zero inits); this table states the numbers
// and their sources, and tests check that the graph's expansion says the same.
//
// skipinit   De & Smith 2020, "Batch Normalization Biases Residual Blocks Towards the Identity Function in
//            Deep Networks" (NeurIPS; arXiv 2002.10444, first called ZeroInit). One learnable scalar per
//            branch, alpha = 0 at initialisation (a block may start it at c, or c / sqrt(d) with
//            `skipinitAlpha`); no normalisation needed. With alpha = 0 every block is exactly the identity;
//            for a variance-preserving branch Var(x_d) = (1 + alpha^2)^d Var(x_0), at most e for
//            alpha <= 1/sqrt(d). ReZero (Bachlechner et al. 2020) is the same scalar for transformers.
// scaled     alpha = 1/sqrt(d), fixed (not trained): "divide the branch by sqrt(depth)"; the bound
//            (1 + 1/d)^d < e of SkipInit's analysis (docs/reproduction.md, claim P3; Hanin & Rolnick 2018 analyse this scaling).
// plain      alpha = 1 and no scalar: x + f(x), the unnormalised network of He et al. 2016 whose
//            variance doubles per block (Var(x_d) = 2^d Var(x_0)).
// fixup      Zhang, Dauphin & Ma 2019, "Fixup Initialization: Residual Learning Without Normalization"
//            (ICLR): (1) the classifier and the LAST weight layer of every branch start at 0; (2) the
//            other weight layers of a branch are He-initialised and multiplied by d^(-1/(2m-2)), m = weight
//            layers per branch; (3) a scalar bias (init 0) before every weight layer and every activation
//            (and one at the end of the branch), and one scalar multiplier (init 1) per branch.
// nf         Brock, De & Smith 2021, "Characterizing signal propagation to close the performance gap in
//            unnormalized ResNets" (ICLR), section 4: x_{l+1} = x_l + alpha f_l(x_l / beta_l), alpha = 0.2
//            fixed, beta_l the predicted standard deviation of x_l (nf.ts: nfExpectedVariances), Scaled
//            Weight Standardisation with the activation's gamma (nfGamma) instead of normalisation layers.

import type { ResidualSchemeName, WeightInitName } from '@skipinit/graph';
import { InitError } from './errors';

/** A branch scalar: its initial value and whether it is trained. */
export interface BranchScalar {
  readonly init: number;
  readonly learnable: boolean;
}

export interface ResidualSchemeRule {
  readonly name: ResidualSchemeName;
  /** One line: what the scheme does. */
  readonly title: string;
  /** The paper it comes from. */
  readonly source: string;
  /** The block's formula at initialisation. */
  readonly formula: string;
  /** The branch scalar in a network of d residual blocks; null: no scalar (alpha = 1, nothing trained). */
  alpha(d: number): BranchScalar | null;
  /** The multiplier on the initialised values of weight layer i (0-based) of a branch with m weight layers. */
  weightGain(d: number, m: number, i: number): number;
  /** What initialises a branch's last weight layer instead of the block's weights (Fixup: 'zeros'); null: no override. */
  readonly lastLayer: WeightInitName | null;
  /** Fixup's scalar biases (init 0) before every weight layer and activation, and at the branch end. */
  readonly scalarBiases: boolean;
  /** What initialises the classifier instead of its default (Fixup: 'zeros'); null: no override. */
  readonly classifier: WeightInitName | null;
}

function checkDepth(op: string, d: number): void {
  if (!Number.isInteger(d) || d < 1) throw new InitError(op, `d (residual blocks in the network) must be a positive integer, got ${d}`);
}

/** Fixup's multiplier d^(-1/(2m-2)) on the non-last weight layers of a branch of m weight layers (1 when m = 1). */
export function fixupScale(d: number, m: number): number {
  checkDepth('fixupScale', d);
  if (!Number.isInteger(m) || m < 1) throw new InitError('fixupScale', `m (weight layers per branch) must be a positive integer, got ${m}`);
  return m === 1 ? 1 : Math.pow(d, -1 / (2 * m - 2));
}

/** SkipInit's initial alpha: c, or c / sqrt(d) with `perSqrtDepth` (De & Smith: any value below 1/sqrt(d) trains). */
export function skipinitAlpha(c: number, d: number, options: { readonly perSqrtDepth?: boolean } = {}): number {
  if (!Number.isFinite(c)) throw new InitError('skipinitAlpha', `c must be a finite number, got ${c}`);
  checkDepth('skipinitAlpha', d);
  return options.perSqrtDepth ? c / Math.sqrt(d) : c;
}

const one = (): number => 1;

export const RESIDUAL_SCHEMES: Readonly<Record<ResidualSchemeName, ResidualSchemeRule>> = {
  skipinit: {
    name: 'skipinit',
    title: 'a learnable scalar at the end of every branch, initialised to 0; no normalisation',
    source: 'De & Smith 2020, "Batch Normalization Biases Residual Blocks Towards the Identity Function in Deep Networks" (NeurIPS)',
    formula: 'x_{l+1} = x_l + alpha_l * f_l(x_l), alpha_l = 0 (learnable)',
    alpha: (d) => (checkDepth('skipinit', d), { init: 0, learnable: true }),
    weightGain: one,
    lastLayer: null,
    scalarBiases: false,
    classifier: null,
  },
  scaled: {
    name: 'scaled',
    title: 'a fixed scalar 1/sqrt(d) on every branch',
    source: 'De & Smith 2020 (the alpha = 1/sqrt(d) bound of SkipInit); Hanin & Rolnick 2018, "How to Start Training"',
    formula: 'x_{l+1} = x_l + f_l(x_l) / sqrt(d)',
    alpha: (d) => (checkDepth('scaled', d), { init: 1 / Math.sqrt(d), learnable: false }),
    weightGain: one,
    lastLayer: null,
    scalarBiases: false,
    classifier: null,
  },
  plain: {
    name: 'plain',
    title: 'no scalar: the plain residual sum',
    source: 'He, Zhang, Ren & Sun 2016, "Identity Mappings in Deep Residual Networks" (ECCV)',
    formula: 'x_{l+1} = x_l + f_l(x_l)',
    alpha: (d) => (checkDepth('plain', d), null),
    weightGain: one,
    lastLayer: null,
    scalarBiases: false,
    classifier: null,
  },
  nf: {
    name: 'nf',
    title: 'Normalizer-Free ResNet: a fixed alpha = 0.2 on a branch that reads x / beta_l, Scaled WS, no normalisation',
    source: 'Brock, De & Smith 2021, "Characterizing signal propagation to close the performance gap in unnormalized ResNets" (ICLR)',
    formula: 'x_{l+1} = x_l + alpha * f_l(x_l / beta_l), alpha = 0.2 (fixed), beta_l^2 = beta_{l-1}^2 + alpha^2 (1 + alpha^2 after a transition)',
    alpha: (d) => (checkDepth('nf', d), { init: 0.2, learnable: false }),
    weightGain: one,
    lastLayer: null,
    scalarBiases: false,
    classifier: null,
  },
  fixup: {
    name: 'fixup',
    title: 'zero last branch layer and classifier, other branch layers scaled by d^(-1/(2m-2)), scalar biases and a multiplier',
    source: 'Zhang, Dauphin & Ma 2019, "Fixup Initialization: Residual Learning Without Normalization" (ICLR)',
    formula: 'x_{l+1} = x_l + m_l * (f_l(x_l) + b_end), m_l = 1 (learnable), scalar biases b = 0, W_last = 0, W_i *= d^(-1/(2m-2))',
    alpha: (d) => (checkDepth('fixup', d), { init: 1, learnable: true }),
    weightGain: (d, m, i) => (i === m - 1 ? 1 : fixupScale(d, m)),
    lastLayer: 'zeros',
    scalarBiases: true,
    classifier: 'zeros',
  },
};

/**
 * The branch scalar of a block under `scheme` in a network of d blocks, with a block's overrides: an
 * explicit initial `alpha` and/or `learnable`. A plain block with neither has no scalar (null).
 */
export function branchScalar(
  scheme: ResidualSchemeName,
  d: number,
  overrides: { readonly alpha?: number; readonly learnable?: boolean } = {},
): BranchScalar | null {
  const rule = RESIDUAL_SCHEMES[scheme];
  if (rule === undefined) throw new InitError('branchScalar', `unknown residual scheme ${JSON.stringify(scheme)}; expected one of ${Object.keys(RESIDUAL_SCHEMES).join(', ')}`);
  const base = rule.alpha(d);
  if (overrides.alpha !== undefined && !Number.isFinite(overrides.alpha)) {
    throw new InitError('branchScalar', `${scheme}: alpha must be a finite number, got ${overrides.alpha}`);
  }
  if (base === null && overrides.alpha === undefined && !overrides.learnable) return null;
  return { init: overrides.alpha ?? base?.init ?? 1, learnable: overrides.learnable ?? base?.learnable ?? false };
}
