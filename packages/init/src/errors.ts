// The one error type of this package: it names the initialiser and the shape it was asked for.

/** An initialiser was asked for something it cannot do (a shape without fans, an unknown activation, ...). */
export class InitError extends Error {
  constructor(
    /** The initialiser or helper that refused ('kaimingNormal', 'fans', ...). */
    readonly op: string,
    message: string,
  ) {
    super(`${op}: ${message}`);
    this.name = 'InitError';
  }
}

export const formatShape = (shape: readonly number[]): string => `[${shape.join(', ')}]`;

/** Checks a shape (non-empty list of positive integers) and returns its element count. */
export function checkShape(op: string, shape: readonly number[]): number {
  if (!Array.isArray(shape) || !shape.every((d) => Number.isInteger(d) && d > 0)) {
    throw new InitError(op, `shape ${JSON.stringify(shape)} must be a list of positive integers`);
  }
  let n = 1;
  for (const d of shape) n *= d;
  return n;
}
