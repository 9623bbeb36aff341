// The theory's curve over a whole network: every block's law (theory.ts) applied in order, starting each
// chain of consecutive residual blocks from an anchor (the measured second moment of the chain's first
// input, or a given q0), plus the block where the theory says values pass float32's range.
import type { BlockPlan } from './block-plan';
import { FLOAT32_MAX } from './channel-stats';
import type { BlockLaw, BlockPrediction, ForwardMode } from './theory';
import { blockLaw, describeLaw, describeNfLaw, predictBlock } from './theory';

export interface LawRange {
  /** First and last block (0-based, inclusive) this law holds for. */
  readonly from: number;
  readonly to: number;
  /** The law in words, e.g. "q_{l+1} = 2 q_l". */
  readonly law: string;
}

export interface TheoryCurve {
  /** Every block has a law (otherwise see `reason`; blocks after a block without one have no prediction). */
  readonly applies: boolean;
  readonly reason: string | null;
  /** Each block's prediction (null where the theory does not apply or no anchor was given). */
  readonly blocks: readonly (BlockPrediction | null)[];
  /** The laws, over ranges of blocks. */
  readonly laws: readonly LawRange[];
  /**
   * The first block whose output the theory puts beyond float32: the largest of n Gaussian values is about
   * sqrt(2 ln n) standard deviations, so overflow is predicted once sqrt(q) * sqrt(2 ln n) > 3.4e38, with n the
   * values in the batch's activation. Null: not within the network.
   */
  readonly overflowBlock: number | null;
}

export interface CurveOptions {
  readonly mode: ForwardMode;
  /** q entering the first block of each chain (null: no prediction for that chain). */
  readonly anchor: (blockIndex: number) => number | null;
  /** Examples in the batch (for the overflow prediction; default 1). */
  readonly batch?: number;
}

/** The law of repetition `rep` of an NF segment (its layers have a law: the caller checked repetition 0's). */
function nfLawAt(seg: BlockPlan['segments'][number], rep: number, mode: ForwardMode): BlockLaw {
  const l = blockLaw(seg.run, mode, rep);
  if (!l.ok) throw new Error(`internal: block ${seg.first + rep} has no law (${l.reason})`);
  return l.law;
}

export function theoryCurve(plan: BlockPlan, options: CurveOptions): TheoryCurve {
  const out: (BlockPrediction | null)[] = new Array(plan.blocks).fill(null);
  const laws: LawRange[] = [];
  let reason: string | null = null;
  let overflowBlock: number | null = null;
  let q: number | null = null;
  for (const seg of plan.segments) {
    const nf = seg.run.nf;
    // an NF block's law depends on its beta_l: the text keeps beta symbolic, the values use each block's
    const law = blockLaw(seg.run, options.mode, 0, nf === null ? null : 1);
    const last = seg.first + seg.reps - 1;
    if (!law.ok) {
      reason ??= `block ${seg.first}: ${law.reason}`;
      q = null;
      continue;
    }
    const text = nf === null ? describeLaw(law.law.out) : describeNfLaw(law.law, nf.transition);
    const prev = laws[laws.length - 1];
    if (prev && prev.law === text && prev.to === seg.first - 1) laws[laws.length - 1] = { ...prev, to: last };
    else laws.push({ from: seg.first, to: last, law: text });
    const n = seg.run.outShape.reduce((a, b) => a * b, 1) * Math.max(1, options.batch ?? 1);
    const tail = Math.sqrt(2 * Math.log(Math.max(2, n)));
    for (let i = seg.first; i <= last; i++) {
      if (i === seg.first && seg.chainStart) q = options.anchor(i);
      if (q === null || !Number.isFinite(q)) {
        q = null;
        continue;
      }
      const p = predictBlock(nf === null ? law.law : nfLawAt(seg, i - seg.first, options.mode), q);
      out[i] = p;
      if (overflowBlock === null && !(Math.sqrt(p.output) * tail <= FLOAT32_MAX)) overflowBlock = i;
      q = p.output;
    }
  }
  return { applies: reason === null, reason, blocks: out, laws, overflowBlock };
}
