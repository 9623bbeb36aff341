// The residual blocks of a network in execution order, from the graph package's shape inference: which
// layers each block has (its expansion), its shapes, and whether it continues a chain of residual blocks
// (the residual stream flows straight from the previous block) or starts one (something else ran in
// between, or it is the first). Repetition stays compact: a segment stands for `reps` identical blocks.
import type { BlockRun, Graph, Inference, NodeInfo } from '@skipinit/graph';
import { inferGraph } from '@skipinit/graph';
import { AnalysisError } from './errors';

export interface BlockSegment {
  /** Index (0-based over the whole network) of the first block of this segment. */
  readonly first: number;
  /** How many identical consecutive blocks this segment stands for. */
  readonly reps: number;
  /** The graph's expansion of each of these blocks: layers and shapes. */
  readonly run: BlockRun;
  /** The first block of the segment starts a chain (no residual block runs right before it). */
  readonly chainStart: boolean;
}

export interface BlockPlan {
  /** d: residual blocks in the network. */
  readonly blocks: number;
  readonly segments: readonly BlockSegment[];
}

/** The blocks of an inferred graph. */
export function blockPlan(inference: Inference): BlockPlan {
  if (!inference.ok) {
    const first = inference.issues.find((i) => i.severity === 'error');
    throw new AnalysisError(`the graph has errors${first ? `: ${first.where}: ${first.message}` : ''}`);
  }
  const segments: BlockSegment[] = [];
  const state = { index: 0, previousWasBlock: false };
  walk(inference.nodes, state, segments);
  if (state.index !== inference.blocks)
    throw new AnalysisError(`internal: walked ${state.index} residual blocks but the graph counts ${inference.blocks}`);
  return { blocks: state.index, segments };
}

/** The blocks of `graph` (inferred here); throws AnalysisError when the graph has errors. */
export function blockPlanOf(graph: Graph): BlockPlan {
  return blockPlan(inferGraph(graph));
}

function walk(infos: readonly NodeInfo[], state: { index: number; previousWasBlock: boolean }, out: BlockSegment[]): void {
  for (const info of infos) {
    if (info.runs) {
      for (const run of info.runs) {
        out.push({ first: state.index, reps: run.reps, run, chainStart: !state.previousWasBlock });
        state.index += run.reps;
        state.previousWasBlock = true;
      }
    } else if (info.body) {
      walk(info.body, state, out);
    } else if (info.repeats) {
      for (const rep of info.repeats) for (let k = 0; k < rep.reps; k++) walk(rep.body, state, out);
    } else if (info.node.kind !== 'input') {
      state.previousWasBlock = false;
    }
  }
}

/** The segment holding block `index`. */
export function segmentOf(plan: BlockPlan, index: number): BlockSegment {
  let lo = 0;
  let hi = plan.segments.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (plan.segments[mid].first <= index) lo = mid;
    else hi = mid - 1;
  }
  const s = plan.segments[lo];
  if (s === undefined || index < s.first || index >= s.first + s.reps)
    throw new RangeError(`block ${index} is not in the network (it has ${plan.blocks} residual blocks)`);
  return s;
}
