// The one error type of this package: it says which operation refused and where (a module or
// parameter name, a shape).

export class LayersError extends Error {
  constructor(
    /** What refused: 'build', 'forward', 'load', 'state', ... */
    readonly op: string,
    message: string,
  ) {
    super(`${op}: ${message}`);
    this.name = 'LayersError';
  }
}

export const formatShape = (shape: readonly number[]): string => `[${shape.join(', ')}]`;
