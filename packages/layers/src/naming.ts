// Module and parameter names: stable, readable, and derived from the graph alone (what a checkpoint
// stores, so the same graph always gives the same names).
//
// A name is a dotted path of scopes, each `<stem><n>` with n counted from 1 per stem within its scope:
//
//   top level       conv1, bn1, relu1, dense1, pool1, ...   primitive layers, by kind
//                   block1 .. blockK                        residual blocks outside stages (repetitions
//                                                            of `resblock x K` counted out)
//                   stage1 .. stageS                        stages; inside: stage2.block1, stage2.conv1, ...
//                   repeat1.rep3.<...>                       the 3rd repetition of the first `repeat`
//                   head (head2, ...)                       the classifier: head.weight, head.bias
//   in a block      bn1, relu1, conv1, bn2, relu2, conv2     branch layers (and the shared pre-activation),
//                                                            counted by kind over pre and branch together
//                   bias1, bias2, ...                        Fixup's scalar biases
//                   shortcut                                 the projection (1x1 conv or dense)
//                   alpha                                    the branch scalar
//
// Stems: conv, dense, bn (batchnorm), ln (layernorm), the activation's name (relu, gelu, tanh, sigmoid,
// identity), pool, dropout, flatten, bias, scale. Parameter names append `.weight` / `.bias` (conv,
// dense, norms), and buffers `.running_mean` / `.running_var`, as in PyTorch; scalar parameters (alpha,
// Fixup biases, learnable scales) are named after their module.
//
// Example: stage2.block3.conv1.weight, stage1.block1.shortcut.weight, block417.alpha, head.weight.

/** One naming scope: `prefix` is the scope's full name ('' at the top, 'stage2', 'repeat1.rep3'). */
export class Scope {
  private readonly counts = new Map<string, number>();
  constructor(readonly prefix: string) {}

  /** The next name for `stem` in this scope: 'conv1', then 'conv2', ... ('head', then 'head2'). */
  next(stem: string): string {
    const k = (this.counts.get(stem) ?? 0) + 1;
    this.counts.set(stem, k);
    const local = stem === 'head' && k === 1 ? 'head' : `${stem}${k}`;
    return this.prefix === '' ? local : `${this.prefix}.${local}`;
  }
}
