// The sizes of the reproduction: the full run (what docs/reproduction.md reports, about half an hour on two
// cores) and a quick one (a few minutes, to check the pipeline).

export interface Settings {
  readonly name: 'full' | 'quick';
  /** Where the runs go (gitignored). */
  readonly runs: string;
  /** P1-P3: depth of the residual MLP (examples/deep-mlp.arch) and of the Wide-ResNet (examples/wrn.arch), and
   * the schemes drawn (the paper's, and its successor NF-ResNets beside them). */
  readonly signal: { readonly mlpDepth: number; readonly wrnDepth: number; readonly mlpSchemes: readonly string[]; readonly wrnSchemes: readonly string[] };
  /** P4: the deep residual MLP trained without normalisation, against batch norm. */
  readonly deep: { readonly depth: number; readonly width: number; readonly steps: number; readonly warmup: number };
  /** P5-P6: the learning rate x batch size sweep (tools/reproduce/specs/lr-batch.arch). */
  readonly batch: { readonly lrs: readonly number[]; readonly batches: readonly number[]; readonly limit: number; readonly epochs: number; readonly depth: number };
  readonly parallel: number;
}

export const FULL: Settings = {
  name: 'full',
  runs: 'runs/reproduce',
  signal: { mlpDepth: 1000, wrnDepth: 1000, mlpSchemes: ['plain', 'bn', 'skipinit', 'scaled', 'fixup', 'nf'], wrnSchemes: ['plain', 'bn', 'skipinit', 'scaled', 'nf'] },
  deep: { depth: 1000, width: 32, steps: 200, warmup: 20 },
  batch: { lrs: [0.01, 0.03, 0.1, 0.3, 1, 3], batches: [16, 128, 1024], limit: 8192, epochs: 2, depth: 16 },
  parallel: 2,
};

export const QUICK: Settings = {
  name: 'quick',
  runs: 'runs/reproduce-quick',
  signal: { mlpDepth: 300, wrnDepth: 40, mlpSchemes: ['plain', 'bn', 'skipinit', 'scaled', 'fixup', 'nf'], wrnSchemes: ['plain', 'skipinit', 'nf'] },
  deep: { depth: 100, width: 16, steps: 30, warmup: 3 },
  batch: { lrs: [0.03, 0.3, 3], batches: [32, 512], limit: 2048, epochs: 1, depth: 4 },
  parallel: 2,
};
