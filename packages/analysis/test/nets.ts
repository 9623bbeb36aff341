// Small networks for the tests, written with the graph package's builders.
import type { Graph, NormName, InitName } from '@skipinit/graph';
import { dense, graph, head, input, preact, relu, resblock, conv, stage } from '@skipinit/graph';

/** input [features] -> dense(width) -> resblock x depth (mlp) -> relu -> head(10). */
export function mlp(depth: number, opts: { width?: number; features?: number; norm?: NormName; init?: InitName } = {}): Graph {
  const width = opts.width ?? 32;
  return graph('mlp', [
    input([opts.features ?? 16]),
    dense(width),
    resblock({ branch: preact({ kind: 'mlp', width, norm: opts.norm ?? 'none' }), count: depth, init: opts.init ?? 'plain' }),
    relu(),
    head(10),
  ]);
}

/** A small conv net: conv stem, two stages (the second projects), head. */
export function convnet(blocks: number, opts: { width?: number; norm?: NormName; init?: InitName } = {}): Graph {
  const width = opts.width ?? 8;
  const block = { branch: { norm: opts.norm ?? 'none' }, init: opts.init ?? 'plain' } as const;
  return graph('convnet', [
    input([3, 8, 8]),
    conv(width),
    stage({ width, blocks, block }),
    stage({ width: width * 2, blocks, stride: 2, block }),
    relu(),
    head(10),
  ]);
}
