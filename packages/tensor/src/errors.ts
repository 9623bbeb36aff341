// Errors that say where: every tensor error names the op and the shapes involved,
// e.g. `matmul: [2,3] x [4,5]: inner dimensions differ (3 vs 4)`.

import type { Shape } from './backend';

/** An error raised by a tensor op on bad input. `op` is the op's name (`matmul`, `conv2d`, ...). */
export class TensorError extends Error {
  override readonly name = 'TensorError';
  constructor(
    readonly op: string,
    readonly detail: string,
  ) {
    super(`${op}: ${detail}`);
  }
}

/** `[2,3]`; a scalar prints as `[]`. */
export function formatShape(shape: Shape): string {
  return `[${shape.join(',')}]`;
}

/** Throws `TensorError(op, detail)` unless `condition` holds. */
export function check(condition: unknown, op: string, detail: () => string): asserts condition {
  if (!condition) throw new TensorError(op, detail());
}
