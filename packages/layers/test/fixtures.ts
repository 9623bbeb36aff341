// Networks the tests share, built with @skipinit/graph's builders.
import type { Graph, InitName, NormName } from '@skipinit/graph';
import { batchnorm, conv, dense, flatten, graph, head, input, preact, relu, resblock, stage } from '@skipinit/graph';

/** The deep MLP of examples/deep-mlp.arch: 1x28x28 -> flatten -> dense 128 -> resblock x depth (mlp 128) -> relu -> dense 10. */
export function deepMlpGraph(depth: number, norm: NormName = 'none', init: InitName = 'skipinit', width = 128): Graph {
  return graph('deep_mlp', [
    input([1, 28, 28]),
    flatten(),
    dense(width),
    resblock({ count: depth, branch: preact({ kind: 'mlp', width, norm }), init }),
    relu(),
    dense(10),
  ]);
}

/** A small pre-activation conv ResNet: stem conv, stages of (width, blocks, stride), final norm -> relu -> head. */
export function smallResNet(
  opts: { norm?: NormName; init?: InitName; widths?: number[]; blocks?: number[]; input?: number[]; classes?: number; dropout?: number; bias?: boolean } = {},
): Graph {
  const norm = opts.norm ?? 'bn';
  const init = opts.init ?? 'he';
  const widths = opts.widths ?? [4, 8];
  const blocks = opts.blocks ?? [2, 1];
  const shape = opts.input ?? [3, 8, 8];
  return graph(`resnet-${norm}-${init}`, [
    input(shape),
    conv(widths[0], { bias: false }),
    ...widths.map((w, i) => stage({ width: w, blocks: blocks[i], stride: i === 0 ? 1 : 2, block: { init, branch: { norm, bias: opts.bias ?? false } } })),
    ...(norm === 'bn' ? [batchnorm()] : []),
    relu(),
    head(opts.classes ?? 5, { dropout: opts.dropout ?? 0 }),
  ]);
}
