// @skipinit/init: initialisers as pure functions (shape, fans, rng) -> Float32Array, and the residual
// schemes (skipinit, scaled, plain, fixup, nf) as branch-level rules. Imports @skipinit/graph (types and the
// vocabulary) only.

export { InitError } from './errors';
export { fillNormal, standardNormal } from './normal';
export type { InitRng } from './rng';
export { fans } from './fans';
export type { Fans } from './fans';
export { calculateGain, NONLINEARITIES } from './gain';
export type { Nonlinearity } from './gain';
export { kaimingNormal, kaimingUniform, xavierNormal, xavierUniform, lecunNormal, normalArray, uniformArray } from './variance-scaling';
export type { FanMode, KaimingOptions, XavierOptions } from './variance-scaling';
export { zeros, ones, constant } from './constant';
export { orthogonal } from './orthogonal';
export type { OrthogonalOptions } from './orthogonal';
export { WEIGHT_INITIALIZERS, initWeight } from './registry';
export type { Initializer, InitWeightOptions } from './registry';
export { RESIDUAL_SCHEMES, branchScalar, fixupScale, skipinitAlpha } from './schemes';
export type { BranchScalar, ResidualSchemeRule } from './schemes';
export { RELU_GAMMA, erf, nfExpectedVariances, nfGamma } from './nf';
