// Signal propagation at initialisation: one forward pass of a freshly built model on a batch, recording for
// every residual block the statistics of its input, skip path, branch (before alpha) and output, with the
// theory's prediction beside them and the first block whose output overflows float32.
//
// Statistics are gathered block by block from the model's per-block hook (@skipinit/layers' forwardAsync),
// read back to the host asynchronously (so it runs on WebGPU too) and reduced there in float64
// (channel-stats.ts); no activation outlives its block, so a network of any depth needs the memory of one
// block. The pass runs without gradient recording.
//
// Mode: 'train' (the default, as in the paper's analysis): batch norm normalises with the batch's own
// statistics, so a bn branch's output has unit variance whatever its input; dropout, if the spec has any,
// drops too. 'eval': batch norm uses its running statistics, which at initialisation are mean 0 and
// variance 1, so it passes its input through almost unchanged (a bn network then behaves like a plain one).
import type { Graph } from '@skipinit/graph';
import { inferGraph, nfBeta } from '@skipinit/graph';
import type { BlockInfo } from '@skipinit/layers';
import { build } from '@skipinit/layers';
import type { Engine, Tensor } from '@skipinit/tensor';
import { Rng, noGrad, randn } from '@skipinit/tensor';
import type { BlockPlan } from './block-plan';
import { blockPlan } from './block-plan';
import type { ChannelStats } from './channel-stats';
import { channelStats } from './channel-stats';
import { AnalysisError } from './errors';
import type { LawRange } from './prediction';
import { theoryCurve } from './prediction';
import type { BlockPrediction, ForwardMode } from './theory';

export interface BlockRecord {
  /** 0-based over the whole network. */
  readonly index: number;
  /** The block's module name (the checkpoint's prefix, e.g. 'stage2.block3'). */
  readonly name: string;
  /** x_l, the block input. */
  readonly input: ChannelStats;
  /** The skip path: x_l itself, or the projection of the pre-activated input. */
  readonly skip: ChannelStats;
  /** f(x_l), the residual branch before alpha. */
  readonly branch: ChannelStats;
  /** x_{l+1} = skip + alpha f(x_l). */
  readonly output: ChannelStats;
  readonly alpha: number;
  /** An NF block's beta_l, the predicted standard deviation of its input (it reads x / beta_l); null otherwise. */
  readonly beta: number | null;
  /**
   * |alpha| sqrt(branch variance / skip variance): what the block adds, relative to the skip path, in
   * standard deviations (average channel variances). Null when a statistic is not finite or the skip is 0.
   */
  readonly ratio: number | null;
  /** The theory's second moments for this block (null where it does not apply). */
  readonly theory: BlockPrediction | null;
}

export interface SignalReport {
  readonly graph: string;
  /** The scheme the graph was rewritten to (withScheme), or null for the graph as written. */
  readonly scheme: string | null;
  readonly mode: ForwardMode;
  readonly batch: number;
  readonly seed: number;
  /** 'normal': N(0, 1) inputs drawn from the seed; 'data': inputs the caller gave. */
  readonly inputs: 'normal' | 'data';
  /** d: residual blocks. */
  readonly blocks: number;
  /**
   * The pass stopped after this block (0-based), the first that overflowed: every later block would see
   * Inf/NaN. Null: it ran through. `records` holds the blocks measured: all d, or up to this one.
   */
  readonly stoppedAt: number | null;
  readonly records: readonly BlockRecord[];
  /** The first block whose output is not finite in float32 (null: none overflowed). */
  readonly overflow: { readonly index: number; readonly name: string } | null;
  readonly theory: {
    readonly applies: boolean;
    readonly reason: string | null;
    readonly laws: readonly LawRange[];
    /** The block where the theory puts values beyond float32 (see TheoryCurve.overflowBlock). */
    readonly overflowBlock: number | null;
    readonly quantity: 'second moment';
  };
}

export interface SignalOptions {
  /** Where to build and run the model. */
  readonly engine: Engine;
  /** Seed of the model's initialisation and of the random inputs (default 0). */
  readonly seed?: number;
  /** Examples in the batch of random inputs (default 64; ignored when `input` is given). */
  readonly batch?: number;
  /** Forward mode (default 'train': batch statistics, as in the paper's analysis). */
  readonly mode?: ForwardMode;
  /** Real inputs [N, ...inputShape] instead of N(0, 1) draws; the caller keeps ownership. */
  readonly input?: Tensor;
  /** The scheme name to record in the report (when the graph came from withScheme). */
  readonly scheme?: string | null;
  /** Called after each block (for a progress display). */
  readonly onProgress?: (done: number, total: number) => void;
  /**
   * Stop the forward pass at the first block whose output overflows (default true): every later block
   * would see Inf/NaN, so its statistics could not be finite either (the report's `stoppedAt`). False runs
   * the pass to the end.
   */
  readonly stopAtOverflow?: boolean;
}

/** Thrown from the block hook to end the forward pass early (caught below; tidy scopes free the tensors). */
class StopForward extends Error {}


async function readStats(t: Tensor): Promise<ChannelStats> {
  return channelStats(await t.data(), t.shape);
}

function ratioOf(alpha: number, branch: ChannelStats, skip: ChannelStats): number | null {
  if (branch.variance === null || skip.variance === null || !(skip.variance > 0)) return null;
  const r = Math.abs(alpha) * Math.sqrt(branch.variance / skip.variance);
  return Number.isFinite(r) ? r : null;
}

/** Measures signal propagation through `graph` at initialisation (see the file comment). */
export async function signalPropagation(graph: Graph, options: SignalOptions): Promise<SignalReport> {
  const inference = inferGraph(graph);
  if (!inference.ok || inference.input === null) {
    const e = inference.issues.find((i) => i.severity === 'error');
    throw new AnalysisError(`graph '${graph.name}' has errors${e ? `: ${e.where}: ${e.message}` : ''}`);
  }
  const plan: BlockPlan = blockPlan(inference);
  if (plan.blocks === 0) throw new AnalysisError(`graph '${graph.name}' has no residual blocks to analyse`);
  const seed = options.seed ?? 0;
  const mode = options.mode ?? 'train';
  const engine = options.engine;
  const inputShape = inference.input;
  let batch = options.batch ?? 64;
  if (options.input) {
    const s = options.input.shape;
    if (s.length !== inputShape.length + 1 || inputShape.some((d, i) => s[i + 1] !== d))
      throw new AnalysisError(`the inputs have shape [${s.join(', ')}], but '${graph.name}' takes [N, ${inputShape.join(', ')}]`);
    batch = s[0];
  }
  if (!Number.isInteger(batch) || batch < 2)
    throw new AnalysisError(`the batch must hold at least 2 examples (batch statistics need them), got ${batch}`);

  const records: BlockRecord[] = new Array(plan.blocks);
  const chainStarts = new Set(plan.segments.filter((s) => s.chainStart).map((s) => s.first));
  const betas = new Map<number, number>();
  for (const s of plan.segments) if (s.run.nf !== null) for (let k = 0; k < s.reps; k++) betas.set(s.first + k, nfBeta(s.run.nf, k));
  let previousOutput: ChannelStats | null = null;
  let overflow: SignalReport['overflow'] = null;
  const model = build(graph, { seed, engine });
  try {
    const hook = async (info: BlockInfo): Promise<void> => {
      const input = chainStarts.has(info.index) || previousOutput === null ? await readStats(info.input) : previousOutput;
      const skip = info.skip === info.input ? input : await readStats(info.skip);
      const branch = await readStats(info.branch);
      const output = await readStats(info.output);
      const alpha = await info.readAlpha();
      const beta = betas.get(info.index) ?? null;
      records[info.index] = { index: info.index, name: info.name, input, skip, branch, output, alpha, beta, ratio: ratioOf(alpha, branch, skip), theory: null };
      previousOutput = output;
      options.onProgress?.(info.index + 1, plan.blocks);
      if (overflow === null && !output.finite) {
        overflow = { index: info.index, name: info.name };
        if (options.stopAtOverflow ?? true) throw new StopForward();
      }
    };
    const x = options.input ?? noGrad(() => randn([batch, ...inputShape], { engine, rng: new Rng(seed).fork('analysis:inputs') }));
    try {
      (await noGrad(() => model.forwardAsync(x, { training: mode === 'train', onBlock: hook }))).dispose();
    } catch (e) {
      if (!(e instanceof StopForward)) throw e;
    } finally {
      if (x !== options.input) x.dispose();
    }
  } finally {
    model.dispose();
  }
  const stopped = overflow !== null && (options.stopAtOverflow ?? true) ? (overflow as { index: number }).index : null;
  const measured = stopped === null ? plan.blocks : stopped + 1;
  records.length = measured;
  for (let i = 0; i < measured; i++)
    if (records[i] === undefined) throw new AnalysisError(`internal: the model did not report block ${i} (it reported ${records.filter(Boolean).length} of ${measured})`);
  const curve = theoryCurve(plan, { mode, batch, anchor: (i) => records[i]?.input.secondMoment ?? null });
  const withTheory = records.map((r, i) => ({ ...r, theory: curve.blocks[i] }));
  return {
    graph: graph.name,
    scheme: options.scheme ?? null,
    mode,
    batch,
    seed,
    inputs: options.input ? 'data' : 'normal',
    blocks: plan.blocks,
    stoppedAt: stopped,
    records: withTheory,
    overflow,
    theory: { applies: curve.applies, reason: curve.reason, laws: curve.laws, overflowBlock: curve.overflowBlock, quantity: 'second moment' },
  };
}
