// Constant initialisers: zeros (Fixup's last branch layer and classifier; every bias), ones (norm
// scales), and any constant (torch.nn.init.constant_).

import { InitError, checkShape } from './errors';

/** A new Float32Array of the shape's size filled with `value`. */
export function constant(shape: readonly number[], value: number): Float32Array {
  const n = checkShape('constant', shape);
  if (typeof value !== 'number' || Number.isNaN(value)) throw new InitError('constant', `value must be a number, got ${String(value)}`);
  return new Float32Array(n).fill(value);
}

export function zeros(shape: readonly number[]): Float32Array {
  return constant(shape, 0);
}

export function ones(shape: readonly number[]): Float32Array {
  return constant(shape, 1);
}
