// The variance-scaling initialisers: zero-mean draws whose variance is scale / fan.
//
//   kaimingNormal   N(0, std^2),   std   = gain / sqrt(fan)         He et al. 2015, "Delving Deep into
//   kaimingUniform  U(-b, b),      b     = gain * sqrt(3 / fan)     Rectifiers" (torch's kaiming_*_)
//   xavierNormal    N(0, std^2),   std   = gain * sqrt(2 / (fanIn + fanOut))   Glorot & Bengio 2010
//   xavierUniform   U(-b, b),      b     = gain * sqrt(6 / (fanIn + fanOut))   (torch's xavier_*_)
//   lecunNormal     N(0, 1 / fanIn)                                LeCun et al. 1998, "Efficient BackProp"
//
// fan is fanIn (mode 'fan_in', the default: preserves the forward variance) or fanOut (mode
// 'fan_out': preserves the backward variance); gain is calculateGain(nonlinearity, a), sqrt(2) for
// relu. A uniform U(-b, b) has variance b^2 / 3, so each uniform variant has the variance of its
// normal twin. lecunNormal is kaimingNormal with the linear gain (torch has no lecun; Keras's
// LecunNormal draws from a truncated normal instead, with the same variance).
//
// Every function is pure: (shape, fans, rng[, options]) -> a new Float32Array of the shape's size,
// row-major, drawn in order from `rng.uniform()` (normals by the ziggurat method in float64, normal.ts,
// then rounded to float32).

import { InitError, checkShape } from './errors';
import type { Fans } from './fans';
import type { Nonlinearity } from './gain';
import { calculateGain } from './gain';
import { fillNormal } from './normal';
import type { InitRng } from './rng';

export type FanMode = 'fan_in' | 'fan_out';

export interface KaimingOptions {
  /** 'fan_in' (default) or 'fan_out'. */
  readonly mode?: FanMode;
  /** The nonlinearity after the layer (default 'relu': gain sqrt(2)). */
  readonly nonlinearity?: Nonlinearity;
  /** leaky_relu's negative slope (torch's `a`), default 0. */
  readonly a?: number;
}

export interface XavierOptions {
  /** Multiplier on the standard deviation (default 1). */
  readonly gain?: number;
}

function checkFans(op: string, f: Fans): void {
  if (f === null || typeof f !== 'object' || !(f.fanIn > 0) || !(f.fanOut > 0) || !Number.isFinite(f.fanIn) || !Number.isFinite(f.fanOut)) {
    throw new InitError(op, `fans must be positive numbers, got ${JSON.stringify(f)}`);
  }
}

function checkGain(op: string, gain: number): void {
  if (!Number.isFinite(gain)) throw new InitError(op, `gain ${gain} is not a finite number`);
}

/** n draws from N(0, std^2) (ziggurat draws over rng.uniform(), see normal.ts). */
export function normalArray(n: number, std: number, rng: InitRng): Float32Array {
  return fillNormal(new Float32Array(n), std, rng);
}

/** n draws from U(-bound, bound); a draw that rounds to +bound in float32 is redrawn, so values lie in [-bound, bound). */
export function uniformArray(n: number, bound: number, rng: InitRng): Float32Array {
  const out = new Float32Array(n);
  const fbound = Math.fround(bound);
  for (let i = 0; i < n; i++) {
    let v: number;
    do v = Math.fround(bound * (2 * rng.uniform() - 1));
    while (bound > 0 && v >= fbound);
    out[i] = v;
  }
  return out;
}

function kaimingScale(op: string, f: Fans, options: KaimingOptions): { fan: number; gain: number } {
  checkFans(op, f);
  const mode = options.mode ?? 'fan_in';
  if (mode !== 'fan_in' && mode !== 'fan_out') throw new InitError(op, `mode must be 'fan_in' or 'fan_out', got ${JSON.stringify(mode)}`);
  const gain = calculateGain(options.nonlinearity ?? 'relu', options.a ?? 0);
  return { fan: mode === 'fan_in' ? f.fanIn : f.fanOut, gain };
}

/** He / Kaiming normal: N(0, gain^2 / fan) (torch.nn.init.kaiming_normal_). */
export function kaimingNormal(shape: readonly number[], f: Fans, rng: InitRng, options: KaimingOptions = {}): Float32Array {
  const n = checkShape('kaimingNormal', shape);
  const { fan, gain } = kaimingScale('kaimingNormal', f, options);
  return normalArray(n, gain / Math.sqrt(fan), rng);
}

/** He / Kaiming uniform: U(-b, b), b = gain * sqrt(3 / fan) (torch.nn.init.kaiming_uniform_). */
export function kaimingUniform(shape: readonly number[], f: Fans, rng: InitRng, options: KaimingOptions = {}): Float32Array {
  const n = checkShape('kaimingUniform', shape);
  const { fan, gain } = kaimingScale('kaimingUniform', f, options);
  return uniformArray(n, gain * Math.sqrt(3 / fan), rng);
}

/** Xavier / Glorot normal: N(0, gain^2 * 2 / (fanIn + fanOut)) (torch.nn.init.xavier_normal_). */
export function xavierNormal(shape: readonly number[], f: Fans, rng: InitRng, options: XavierOptions = {}): Float32Array {
  const n = checkShape('xavierNormal', shape);
  checkFans('xavierNormal', f);
  const gain = options.gain ?? 1;
  checkGain('xavierNormal', gain);
  return normalArray(n, gain * Math.sqrt(2 / (f.fanIn + f.fanOut)), rng);
}

/** Xavier / Glorot uniform: U(-b, b), b = gain * sqrt(6 / (fanIn + fanOut)) (torch.nn.init.xavier_uniform_). */
export function xavierUniform(shape: readonly number[], f: Fans, rng: InitRng, options: XavierOptions = {}): Float32Array {
  const n = checkShape('xavierUniform', shape);
  checkFans('xavierUniform', f);
  const gain = options.gain ?? 1;
  checkGain('xavierUniform', gain);
  return uniformArray(n, gain * Math.sqrt(6 / (f.fanIn + f.fanOut)), rng);
}

/** LeCun normal: N(0, 1 / fanIn) (kaimingNormal with the linear gain). */
export function lecunNormal(shape: readonly number[], f: Fans, rng: InitRng): Float32Array {
  const n = checkShape('lecunNormal', shape);
  checkFans('lecunNormal', f);
  return normalArray(n, 1 / Math.sqrt(f.fanIn), rng);
}
