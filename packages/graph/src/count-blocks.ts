// d, the number of residual blocks in a network: every resblock's count, times the counts of the
// repeats around it, over all stages. The residual schemes scale by it (alpha = 1/sqrt(d), Fixup's
// d^(-1/(2m-2))).

import type { Graph, Node } from './types';

/** Residual blocks in `nodes` (a graph's, a stage's or a repeat's body), repetitions multiplied out. */
export function countBlocksIn(nodes: readonly Node[]): number {
  let d = 0;
  for (const n of nodes) {
    if (n.kind === 'resblock') d += n.count;
    else if (n.kind === 'stage') d += countBlocksIn(n.body);
    else if (n.kind === 'repeat') d += n.count * countBlocksIn(n.body);
  }
  return d;
}

/** d for a whole graph. */
export function countBlocks(graph: Graph): number {
  return countBlocksIn(graph.nodes);
}
