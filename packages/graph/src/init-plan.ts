// How a spec's `init=` maps to (weight initialiser, residual scheme), and the numbers each scheme
// gives a residual block of a network with d blocks.
//
//   init=            weights   scheme     branch scalar alpha            branch weights
//   he, he_uniform,  itself    plain      none (x + f(x))                 the initialiser
//   xavier, ...
//   skipinit         he        skipinit   learnable, init 0               he
//   scaled           he        scaled     fixed, 1/sqrt(d)                he
//   plain            he        plain      none (x + f(x))                 he
//   fixup            he        fixup      learnable multiplier, init 1    last layer zeros, others he * d^(-1/(2m-2));
//                                                                         scalar biases (init 0) before each weight
//                                                                         layer and activation; classifier zeros
//   nf               he        nf         fixed, 0.2 (NF_ALPHA)           Scaled WS (he draws the raw weights);
//                                                                         the block reads x / beta_l (nf.ts)
//
// A block may override alpha's initial value (`alpha=`) and whether it is learnable (`learnable=`),
// and the weight initialiser (`weights=`); d is the number of residual blocks in the whole network.

import { NF_ALPHA } from './nf';
import type { ResblockNode } from './types';
import type { InitName, ResidualSchemeName, WeightInitName } from './vocabulary';
import { isResidualSchemeName } from './vocabulary';

export interface InitPlan {
  weights: WeightInitName;
  scheme: ResidualSchemeName;
}

/** The (weight initialiser, residual scheme) pair that `init=name` stands for (table above). */
export function initPlan(name: InitName): InitPlan {
  if (isResidualSchemeName(name)) return { weights: 'he', scheme: name };
  return { weights: name, scheme: 'plain' };
}

/** The branch scalar of a block: x + alpha * f(x); `null` means no scalar at all (alpha = 1, nothing to learn). */
export interface ResidualScalar {
  init: number;
  learnable: boolean;
}

/** Alpha's initial value under `scheme` in a network of d residual blocks (plain: 1). */
export function schemeAlpha(scheme: ResidualSchemeName, d: number): number {
  switch (scheme) {
    case 'skipinit':
      return 0;
    case 'scaled':
      return 1 / Math.sqrt(Math.max(d, 1));
    case 'nf':
      return NF_ALPHA;
    case 'fixup':
    case 'plain':
      return 1;
  }
}

/** The branch scalar of `block` in a network of d residual blocks, with the block's overrides applied. */
export function residualScalar(
  block: Pick<ResblockNode, 'scheme' | 'alpha' | 'learnable'>,
  d: number,
): ResidualScalar | null {
  const learnable = block.learnable ?? (block.scheme === 'skipinit' || block.scheme === 'fixup');
  if (block.scheme === 'plain' && block.alpha === undefined && !learnable) return null;
  return { init: block.alpha ?? schemeAlpha(block.scheme, d), learnable };
}

/**
 * Fixup's multiplier on every weight layer of a branch but the last: d^(-1/(2m-2)) for m weight
 * layers per branch (Zhang et al. 2019, eq. in section 3). With m = 1 there is nothing to scale: 1.
 */
export function fixupGain(d: number, m: number): number {
  if (m <= 1) return 1;
  return Math.pow(Math.max(d, 1), -1 / (2 * m - 2));
}
