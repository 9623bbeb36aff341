// Training dynamics in metrics.jsonl, every `log_params_every` steps: what the paper is about.
//
//   {"type":"params_layout", "blocks":[names], "alpha_learnable":[...], "scalars":[[names]], "stages":[names]}
//       once, at the start of a run: what the arrays of the records below are indexed by
//   {"type":"params", "step":s, "epoch":e,
//    "alpha":[per block],            the branch scalar after step s (its fixed value, or 1, when it does not learn)
//    "scalars":[[per block]],        the block's other scalar parameters (Fixup's biases, learnable scales)
//    "grad_norm":[per block],        ||d loss / d (every parameter of the block)|| at step s, before weight decay
//    "weight_norm":{stage: value}}   ||conv and dense kernels of the stage|| after step s
//
// Stages: `stageN` and `repeatN` scopes as the model names them; residual blocks outside any stage form
// 'blocks'; the layers before the first block 'stem', after the last 'head'. Norms are computed on the
// engine (one square-sum per parameter) and read back asynchronously, all at once, so a record costs a few
// kernels per parameter; the default (every 100 steps) keeps that negligible.

import type { ResidualBlock } from '@skipinit/layers';
import { Model } from '@skipinit/layers';
import type { Tensor } from '@skipinit/tensor';
import { noGrad, tidy } from '@skipinit/tensor';
import type { TrainableModel, TrainableParameter } from './model';

interface BlockPlan {
  readonly block: ResidualBlock;
  readonly scalars: readonly TrainableParameter[];
}

/** Stage name of a top-level parameter scope, given whether a residual block came before it. */
function stageOf(name: string, seenBlock: boolean): string {
  const first = name.split('.')[0];
  if (/^(stage|repeat)\d+$/.test(first)) return first;
  if (/^block\d+$/.test(first)) return 'blocks';
  return seenBlock ? 'head' : 'stem';
}

const sumSquares = (t: Tensor): Tensor => t.square().sum();

export class ParamLog {
  private constructor(
    private readonly blocks: readonly BlockPlan[],
    private readonly stages: ReadonlyMap<string, readonly TrainableParameter[]>,
  ) {}

  /** The plan for a @skipinit/layers model with residual blocks; null otherwise (nothing to log). */
  static of(model: TrainableModel): ParamLog | null {
    if (!(model instanceof Model) || model.blocks.length === 0) return null;
    const blocks = model.blocks.map((block) => ({ block, scalars: block.parameters.filter((p) => p.role === 'scalar' && p !== block.alpha) }));
    const stages = new Map<string, TrainableParameter[]>();
    let seenBlock = false;
    const blockParams = new Set(model.blocks.flatMap((b) => b.parameters));
    for (const p of model.parameters()) {
      if (blockParams.has(p)) seenBlock = true;
      const stage = stageOf(p.name, seenBlock);
      if (!stages.has(stage)) stages.set(stage, []);
      if (p.isWeight) stages.get(stage)!.push(p);
    }
    return new ParamLog(blocks, stages);
  }

  layout(): object {
    return {
      type: 'params_layout',
      blocks: this.blocks.map((b) => b.block.name),
      alpha_learnable: this.blocks.map((b) => b.block.alpha !== null),
      scalars: this.blocks.map((b) => b.scalars.map((p) => p.name)),
      stages: [...this.stages.keys()],
    };
  }

  /**
   * Per-block gradient norms of the gradients held now (call after backward, before the update): the sums
   * are computed now, on the engine; the promise reads them back (after the update is fine).
   */
  gradNorms(): Promise<number[]> {
    const sums = noGrad(() =>
      tidy(() =>
        this.blocks.map((b) => {
          const grads = b.block.parameters.map((p) => p.value.grad).filter((g): g is Tensor => g !== null);
          return grads.length === 0 ? null : grads.map(sumSquares).reduce((a, c) => a.add(c));
        }),
      ),
    );
    return readScalars(sums).then((v) => v.map((x) => (x === null ? 0 : Math.sqrt(x))));
  }

  /** The record of step `step`: the scalars and weight norms now, with the gradient norms taken before the update. */
  async record(step: number, epoch: number, gradNorms: readonly number[]): Promise<object> {
    const stageNames = [...this.stages.keys()];
    const { scalarTensors, weightSums } = noGrad(() =>
      tidy(() => {
        const scalarTensors: Tensor[] = [];
        for (const b of this.blocks) {
          if (b.block.alpha !== null) scalarTensors.push(b.block.alpha.value.clone());
          for (const p of b.scalars) scalarTensors.push(p.value.clone());
        }
        const weightSums = stageNames.map((s) => {
          const ws = this.stages.get(s)!;
          return ws.length === 0 ? null : ws.map((p) => sumSquares(p.value)).reduce((a, c) => a.add(c));
        });
        return { scalarTensors, weightSums };
      }),
    );
    const values = (await readScalars(scalarTensors)) as number[];
    const sums = await readScalars(weightSums);
    let k = 0;
    const alpha: number[] = [];
    const scalars: number[][] = [];
    for (const b of this.blocks) {
      alpha.push(b.block.alpha !== null ? values[k++] : b.block.fixedAlpha);
      scalars.push(b.scalars.map(() => values[k++]));
    }
    const weight_norm: Record<string, number> = {};
    stageNames.forEach((s, i) => (weight_norm[s] = sums[i] === null ? 0 : Math.sqrt(sums[i]!)));
    return { type: 'params', step, epoch, alpha, scalars, grad_norm: gradNorms, weight_norm };
  }
}

/** Reads one-element tensors (as float32, as item() did; all at once) and disposes them; null stays null. */
async function readScalars(ts: readonly (Tensor | null)[]): Promise<(number | null)[]> {
  try {
    const values = await Promise.all(ts.map((t) => (t === null ? null : t.data())));
    return values.map((v) => (v === null ? null : v[0]));
  } finally {
    for (const t of ts) t?.dispose();
  }
}
