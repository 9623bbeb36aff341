// The one error type of this package: it says which operation refused and where (a module or
// parameter name, a shape).

import type { GraphIssue } from '@skipinit/graph';

export class LayersError extends Error {
  constructor(
    /** What refused: 'build', 'forward', 'load', 'state', ... */
    readonly op: string,
    message: string,
    /** For a graph that does not build: the graph's issues (with paths and spans, for a front end to point at). */
    readonly issues: readonly GraphIssue[] = [],
  ) {
    super(`${op}: ${message}`);
    this.name = 'LayersError';
  }
}

export const formatShape = (shape: readonly number[]): string => `[${shape.join(', ')}]`;
