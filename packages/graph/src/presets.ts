// Model presets: a named set of defaults for every residual block and the head of a model, so a spec can
// say `preset regularised_skipinit` instead of repeating options on every block. A preset is nothing but
// those defaults: the DSL applies them while lowering (a block's own options must agree with them), and
// `applyPreset` rewrites a graph with them; either way the result is the graph a user would have written
// by hand with the same options (the DSL's tests compare the two).
//
// regularised_skipinit   De & Smith 2020 ("Batch Normalization Biases Residual Blocks Towards the Identity
//                        Function in Deep Networks", NeurIPS), the variant they train on ImageNet: SkipInit
//                        (no normalisation, x + alpha f(x), alpha = 0 learnable) plus biases after the
//                        convolutions of every branch and dropout before the classifier (they use 0.2-0.3;
//                        the default here is 0.2, the preset's `dropout=` changes it).
import { GraphError } from './issues';
import type { Graph, HeadNode, Node, ResblockNode } from './types';
import type { InitName, NormName, PresetName } from './vocabulary';
import { initPlan } from './init-plan';

export interface PresetRule {
  readonly name: PresetName;
  readonly title: string;
  readonly source: string;
  /** What every residual block gets: its branch norm, its init= and the branch layers' biases. */
  readonly resblock: { readonly norm: NormName; readonly init: InitName; readonly bias: boolean };
  /** The head's dropout before the classifier (the preset's `dropout=` overrides it). */
  readonly head: { readonly dropout: number };
}

export const PRESETS: Readonly<Record<PresetName, PresetRule>> = {
  regularised_skipinit: {
    name: 'regularised_skipinit',
    title: 'SkipInit with biases in the branches and dropout before the classifier',
    source: 'De & Smith 2020, "Batch Normalization Biases Residual Blocks Towards the Identity Function in Deep Networks" (NeurIPS)',
    resblock: { norm: 'none', init: 'skipinit', bias: true },
    head: { dropout: 0.2 },
  },
};

/**
 * `graph` with preset `name` applied to every residual block (norm, scheme, branch biases; explicit alpha=
 * and learnable= dropped, the weight initialiser kept) and to its head (dropout, default the preset's). A
 * user-defined branch keeps its layers as written (as in the DSL: write its biases in the block). Throws
 * GraphError when the graph has no head to put the dropout in.
 */
export function applyPreset(graph: Graph, name: PresetName, options: { readonly dropout?: number } = {}): Graph {
  const rule = PRESETS[name];
  const dropout = options.dropout ?? rule.head.dropout;
  let heads = 0;
  const plan = initPlan(rule.resblock.init);
  const block = (n: ResblockNode): ResblockNode => {
    const { alpha: _alpha, learnable: _learnable, ...rest } = n;
    const b = n.branch;
    const branch = b.kind === 'custom' ? b : { ...b, norm: rule.resblock.norm, bias: rule.resblock.bias };
    return { ...rest, scheme: plan.scheme, branch };
  };
  const rewrite = (nodes: readonly Node[]): Node[] =>
    nodes.map((n): Node => {
      if (n.kind === 'resblock') return block(n);
      if (n.kind === 'stage' || n.kind === 'repeat') return { ...n, body: rewrite(n.body) };
      if (n.kind === 'head') {
        heads++;
        return { ...n, dropout } satisfies HeadNode;
      }
      return n;
    });
  const out = { ...graph, nodes: rewrite(graph.nodes) };
  if (heads === 0) throw new GraphError(`preset ${name} puts dropout before the classifier, but graph '${graph.name}' has no head`);
  return out;
}
