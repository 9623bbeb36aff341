// The weight initialisers by vocabulary name: what a spec's `init=he` (or `weights=`) means.
//
// `WEIGHT_INITIALIZERS` is a Record over every WeightInitName of @skipinit/graph's vocabulary, so a
// name added there without an implementation here fails to typecheck.
//
//   name             draws                                         as in
//   he               N(0, 2 / fanIn)                               torch kaiming_normal_(mode='fan_in', nonlinearity='relu'); Keras he_normal*
//   he_uniform       U(-b, b), b = sqrt(6 / fanIn)                 torch kaiming_uniform_(nonlinearity='relu'); Keras he_uniform
//   xavier           N(0, 2 / (fanIn + fanOut))                    torch xavier_normal_; Keras glorot_normal*
//   xavier_uniform   U(-b, b), b = sqrt(6 / (fanIn + fanOut))      torch xavier_uniform_; Keras glorot_uniform
//   lecun            N(0, 1 / fanIn)                               Keras lecun_normal*
//   zeros            0                                             torch zeros_
//   orthogonal       gain 1 orthogonal matrix (rows or columns)    torch orthogonal_ (see orthogonal.ts)
//
// (* Keras draws these from a truncated normal of the same variance; we use the plain normal, as torch.)

import type { WeightInitName } from '@skipinit/graph';
import { zeros } from './constant';
import { InitError } from './errors';
import type { Fans } from './fans';
import { fans as fansOf } from './fans';
import { orthogonal } from './orthogonal';
import type { InitRng } from './rng';
import { kaimingNormal, kaimingUniform, lecunNormal, xavierNormal, xavierUniform } from './variance-scaling';

/** The common form of every named initialiser: (shape, fans, rng) -> values. */
export type Initializer = (shape: readonly number[], fans: Fans, rng: InitRng) => Float32Array;

/** Every weight initialiser of the vocabulary (a missing name is a type error). */
export const WEIGHT_INITIALIZERS: Readonly<Record<WeightInitName, Initializer>> = {
  he: (shape, f, rng) => kaimingNormal(shape, f, rng, { mode: 'fan_in', nonlinearity: 'relu' }),
  he_uniform: (shape, f, rng) => kaimingUniform(shape, f, rng, { mode: 'fan_in', nonlinearity: 'relu' }),
  xavier: (shape, f, rng) => xavierNormal(shape, f, rng),
  xavier_uniform: (shape, f, rng) => xavierUniform(shape, f, rng),
  lecun: (shape, f, rng) => lecunNormal(shape, f, rng),
  zeros: (shape) => zeros(shape),
  orthogonal: (shape, _f, rng) => orthogonal(shape, rng),
};

export interface InitWeightOptions {
  /** Multiplier on the drawn values (a graph node's `gain`, e.g. Fixup's d^(-1/(2m-2))). Default 1. */
  readonly gain?: number;
  /** Override the fans (default: fans(shape), torch's convention). */
  readonly fans?: Fans;
}

/**
 * Values of a weight of `shape` initialised by the vocabulary name `name`, times `gain`:
 * what @skipinit/layers calls for every conv and dense kernel.
 */
export function initWeight(name: WeightInitName, shape: readonly number[], rng: InitRng, options: InitWeightOptions = {}): Float32Array {
  const init = Object.prototype.hasOwnProperty.call(WEIGHT_INITIALIZERS, name) ? WEIGHT_INITIALIZERS[name] : undefined;
  if (init === undefined) {
    throw new InitError('initWeight', `unknown weight initialiser ${JSON.stringify(name)}; expected one of ${Object.keys(WEIGHT_INITIALIZERS).join(', ')}`);
  }
  const gain = options.gain ?? 1;
  if (!Number.isFinite(gain)) throw new InitError('initWeight', `${name}: gain ${gain} is not a finite number`);
  const values = init(shape, options.fans ?? fansOf(shape), rng);
  if (gain !== 1) for (let i = 0; i < values.length; i++) values[i] *= gain;
  return values;
}
