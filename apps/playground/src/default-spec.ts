// The spec the page opens with when the URL holds none: a residual MLP small enough to train in a tab.
export const DEFAULT_SPEC = `# Edit the spec: the summary, the diagnostics and the signal-propagation plot follow as you type.
# Try: depth = 1000, then init = plain (the variance doubles per block and overflows float32).
let depth = 50      # residual blocks
let width = 64      # units of every block
let norm = none     # bn | none
let init = skipinit # skipinit | plain | scaled | fixup

model playground_mlp {
  input 1x28x28
  flatten
  dense width
  resblock x depth, kind=mlp, width=width, norm=norm, init=init
  norm norm
  relu
  head 10
}

train {
  data mnist, batch=64
  sgd lr=0.02, momentum=0.9
  steps 300, eval_every=50, seed=0
}
`;
