// The numbers of Normalizer-Free ResNets (Brock, De & Smith 2021, "Characterizing signal propagation to close
// the performance gap in unnormalized ResNets", ICLR 2021; arXiv 2101.08692, section 4) that the graph's
// expansion and inference need. @skipinit/init states the same rules with their sources and checks that
// these numbers agree (its nf.test.ts).
//
// An NF-ResNet block computes
//
//     x_{l+1} = x_l + alpha f_l(x_l / beta_l)                         (identity shortcut)
//     x_{l+1} = S(x_l / beta_l) + alpha f_l(x_l / beta_l)             (transition: stride or width change)
//
// where f_l preserves the variance of its input at initialisation (Scaled WS with the activation's gamma),
// alpha = 0.2, and beta_l = sqrt(Var(x_l)) is the PREDICTED standard deviation of the block input, from
// the analytic recursion
//
//     beta_{l+1}^2 = beta_l^2 + alpha^2                                (identity shortcut)
//     beta_{l+1}^2 = 1 + alpha^2                                       (after a transition block: the skip
//                                                                       path S(x_l / beta_l) has variance 1)
//
// started at beta^2 = 1 (the paper assumes the stem hands the first block a unit-variance signal).
//
// Choices where the paper leaves one open (also in docs/dsl.md):
// - The recursion runs over consecutive NF blocks. Anything else between two blocks (a layer, a block of
//   another scheme) starts it again at 1.
// - A transition is a block whose shortcut is a projection (shape change, or shortcut=projection); as in
//   the reference code's pre-activation blocks, the projection reads relu(x_l / beta_l) (the activation is
//   shared with the branch), with Scaled WS and the activation's gamma, so its output has variance 1.
// - The reference code (deepmind-research nfnets/nf_resnet.py) also multiplies every branch by a learnable
//   SkipInit gain initialised to 0; the paper leaves it out of its signal-propagation plots, and so does
//   this default (it would make every block the identity at initialisation). `learnable=true` trains alpha.
import type { WeightStandardization } from './types';
import type { ActivationName } from './vocabulary';

/** NF-ResNet's default alpha: the rate at which the variance grows per block (section 4). */
export const NF_ALPHA = 0.2;

/** Scaled WS's eps, added to N sigma^2 under the root (the tensor op's default; see its file comment). */
export const WS_EPS = 1e-4;

/**
 * gamma = 1 / std(g(z)), z ~ N(0, 1), per activation g (section 4.2): what makes a Scaled-WS layer fed by
 * g(x) preserve the variance of x. relu: sqrt(2 / (1 - 1/pi)) in closed form (Var(relu(z)) = (1 - 1/pi) / 2);
 * the others by quadrature to 1e-15 (init's nfGamma recomputes them; DeepMind's code rounds sampled estimates,
 * e.g. relu 1.71396, 0.06% off the closed form).
 */
export const WS_GAMMA: Readonly<Record<ActivationName, number>> = {
  relu: Math.sqrt(2 / (1 - 1 / Math.PI)),
  gelu: 1.7009262433633332,
  tanh: 1.5925374197228315,
  sigmoid: 4.801313372039962,
  identity: 1,
};

/** Scaled WS for a layer fed by activation `act` (or by nothing: 'identity'). */
export function wsFor(act: ActivationName): WeightStandardization {
  return { gamma: WS_GAMMA[act], eps: WS_EPS };
}

/**
 * The downscaling of a run of identical NF blocks (BlockRun.nf): the predicted variance of the first
 * repetition's input, alpha^2, and whether each repetition is a transition.
 */
export interface NfScaling {
  /** beta^2 of the run's first block: the predicted variance of its input. */
  readonly variance: number;
  /** alpha^2: what each block adds to the predicted variance. */
  readonly alpha2: number;
  /** The blocks project (their skip path reads x / beta): the predicted variance restarts at 1 + alpha^2. */
  readonly transition: boolean;
}

/** beta^2 of repetition `rep` (0-based) of a run. */
export function nfVariance(s: NfScaling, rep: number): number {
  if (rep === 0) return s.variance;
  return s.transition ? 1 + s.alpha2 : s.variance + rep * s.alpha2;
}

/** beta_l of repetition `rep`: what the block divides its input by. */
export function nfBeta(s: NfScaling, rep: number): number {
  return Math.sqrt(nfVariance(s, rep));
}

/** The predicted variance after `reps` repetitions of a run (the next block's beta^2). */
export function nfVarianceAfter(s: NfScaling, reps: number): number {
  return nfVariance(s, reps);
}
