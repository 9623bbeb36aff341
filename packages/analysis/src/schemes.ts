// Comparing schemes on one architecture: `withScheme(graph, 'bn')` rewrites every residual block of a graph
// to a normalisation / initialisation scheme and leaves everything else (widths, depth, stem, head, the
// weight initialiser) as written.
//
//   scheme     branch norm   residual scheme   branch scalar at init
//   plain      none          plain             none (x + f(x))
//   bn         bn            plain             none (batch norm in the branch)
//   ln         ln            plain             none (layer norm in the branch)
//   skipinit   none          skipinit          alpha = 0, learnable
//   scaled     none          scaled            alpha = 1/sqrt(d), fixed
//   fixup      none          fixup             Fixup's rules (graph's expandBlock)
//   nf         none          nf                alpha = 0.2 fixed on x / beta_l, Scaled WS, branch biases
//                                               (NF-ResNets, Brock, De & Smith 2021)
//   regularised_skipinit                      graph's preset of that name: skipinit without norm, branch
//              none          skipinit          biases, dropout 0.2 in the head (De & Smith 2020)
//
// A block's explicit `alpha=` / `learnable=` are dropped (the scheme decides them). A custom branch
// (`block name(...) { ... }`) keeps its layers: schemes without norm remove its batchnorm/layernorm
// nodes; bn and ln turn its norm nodes into the scheme's norm, and a custom branch without any norm
// node cannot take bn or ln (an error naming the block). (nf does not add Scaled WS to a custom branch's
// layers: write ws= on them.)
import type { BatchNormNode, Graph, LayerNode, LayerNormNode, Node, NormName, ResblockNode, ResidualSchemeName } from '@skipinit/graph';
import { applyPreset } from '@skipinit/graph';
import { AnalysisError } from './errors';

export const ANALYSIS_SCHEMES = ['plain', 'bn', 'ln', 'skipinit', 'scaled', 'fixup', 'nf', 'regularised_skipinit'] as const;
export type AnalysisScheme = (typeof ANALYSIS_SCHEMES)[number];

export const isAnalysisScheme = (s: unknown): s is AnalysisScheme => typeof s === 'string' && (ANALYSIS_SCHEMES as readonly string[]).includes(s);

interface Rule {
  readonly norm: NormName;
  readonly scheme: ResidualSchemeName;
  /** Biases on the built-in branch's layers (absent: as written). */
  readonly bias?: boolean;
}

const RULES: Readonly<Record<AnalysisScheme, Rule>> = {
  plain: { norm: 'none', scheme: 'plain' },
  bn: { norm: 'bn', scheme: 'plain' },
  ln: { norm: 'ln', scheme: 'plain' },
  skipinit: { norm: 'none', scheme: 'skipinit' },
  scaled: { norm: 'none', scheme: 'scaled' },
  fixup: { norm: 'none', scheme: 'fixup' },
  nf: { norm: 'none', scheme: 'nf', bias: true },
  regularised_skipinit: { norm: 'none', scheme: 'skipinit', bias: true },
};

/** One line per scheme, for help texts and reports. */
export const SCHEME_DESCRIPTIONS: Readonly<Record<AnalysisScheme, string>> = {
  plain: 'no normalisation, x + f(x) (He init)',
  bn: 'batch norm in every branch, x + f(x)',
  ln: 'layer norm in every branch, x + f(x)',
  skipinit: 'no normalisation, x + alpha f(x), alpha = 0 learnable (SkipInit)',
  scaled: 'no normalisation, x + f(x)/sqrt(d), fixed',
  fixup: 'no normalisation, Fixup (last branch layer 0, others scaled, scalar biases)',
  nf: 'no normalisation, NF-ResNet: x + 0.2 f(x / beta_l), Scaled WS (Brock et al. 2021)',
  regularised_skipinit: 'SkipInit with branch biases and dropout 0.2 before the classifier',
};

/** `graph` with every residual block rewritten to `scheme` (a new graph; the input is not changed). */
export function withScheme(graph: Graph, scheme: AnalysisScheme): Graph {
  if (!isAnalysisScheme(scheme))
    throw new AnalysisError(`unknown scheme '${String(scheme)}'; expected one of ${ANALYSIS_SCHEMES.join(', ')}`);
  const rule = RULES[scheme];
  const rewrite = (nodes: readonly Node[], path: string): Node[] =>
    nodes.map((n, i) => {
      const where = `${path}[${i}]`;
      if (n.kind === 'resblock') return block(n, rule, scheme, where);
      if (n.kind === 'stage' || n.kind === 'repeat') return { ...n, body: rewrite(n.body, `${where}.body`) };
      return n;
    });
  const rewritten = { ...graph, nodes: rewrite(graph.nodes, 'nodes') };
  // the preset adds the head's dropout (the blocks are already what it makes them)
  if (scheme === 'regularised_skipinit') return applyPreset(rewritten, 'regularised_skipinit');
  return rewritten;
}

function block(n: ResblockNode, rule: Rule, scheme: AnalysisScheme, where: string): ResblockNode {
  const { alpha: _alpha, learnable: _learnable, ...rest } = n;
  const b = n.branch;
  if (b.kind !== 'custom') return { ...rest, scheme: rule.scheme, branch: { ...b, norm: rule.norm, ...(rule.bias !== undefined ? { bias: rule.bias } : {}) } };
  const isNorm = (l: LayerNode): l is BatchNormNode | LayerNormNode => l.kind === 'batchnorm' || l.kind === 'layernorm';
  let nodes: LayerNode[];
  if (rule.norm === 'none') nodes = b.nodes.filter((l) => !isNorm(l));
  else {
    if (!b.nodes.some(isNorm))
      throw new AnalysisError(
        `${where}: scheme '${scheme}' puts ${rule.norm === 'bn' ? 'batch' : 'layer'} norm in the branch, but block '${b.name}' is user-defined and has no norm layer to turn into one; write the norm in the block`,
      );
    nodes = b.nodes.map((l): LayerNode => {
      if (!isNorm(l)) return l;
      const eps = l.eps;
      const affine = l.affine;
      return rule.norm === 'bn'
        ? { kind: 'batchnorm', momentum: l.kind === 'batchnorm' ? l.momentum : 0.1, eps, affine, ...(l.id ? { id: l.id } : {}) }
        : { kind: 'layernorm', eps, affine, ...(l.id ? { id: l.id } : {}) };
    });
  }
  return { ...rest, scheme: rule.scheme, branch: { ...b, nodes } };
}
