// Divergence detection. A training step's loss that is NaN or infinite, or above the explosion
// threshold, stops the run at once, before the optimiser applies that step's update (so the model and
// the last checkpoint hold finite values). The default threshold is 100 times the loss of a uniform guess,
// 100 * ln(classes) (230 for 10 classes): a cross-entropy that high means logits hundreds apart on wrong
// classes, from which plain SGD does not come back in practice.

import type { Graph, Node, ResolvedTrainSpec } from '@skipinit/graph';

/** The default explosion threshold for a classifier with `classes` outputs. */
export function defaultMaxLoss(classes: number): number {
  return 100 * Math.log(Math.max(2, classes));
}

/** Why `loss` counts as divergence, or null when it does not. */
export function divergenceReason(loss: number, maxLoss: number): string | null {
  if (Number.isNaN(loss)) return 'the loss is NaN';
  if (!Number.isFinite(loss)) return `the loss is ${loss > 0 ? '+' : '-'}Infinity`;
  if (loss > maxLoss) return `the loss ${formatLoss(loss)} exceeds the explosion threshold ${formatLoss(maxLoss)}`;
  return null;
}

function formatLoss(x: number): string {
  return Math.abs(x) >= 1e5 ? x.toExponential(3) : String(Number(x.toPrecision(5)));
}

interface BlockFacts {
  blocks: number;
  unnormalised: number;
  schemes: Set<string>;
}

function walk(nodes: readonly Node[], facts: BlockFacts): void {
  for (const n of nodes) {
    if (n.kind === 'resblock') {
      facts.blocks += n.count;
      facts.schemes.add(n.scheme);
      if (n.branch.kind !== 'custom' ? n.branch.norm === 'none' : !n.branch.nodes.some((b) => b.kind === 'batchnorm' || b.kind === 'layernorm')) {
        facts.unnormalised += n.count;
      }
    } else if (n.kind === 'stage' || n.kind === 'repeat') {
      const inner: BlockFacts = { blocks: 0, unnormalised: 0, schemes: facts.schemes };
      walk(n.body, inner);
      const times = n.kind === 'repeat' ? n.count : 1;
      facts.blocks += inner.blocks * times;
      facts.unnormalised += inner.unnormalised * times;
    }
  }
}

/**
 * What to try, most likely first, given the model, the recipe, and the step. A loss that is already bad
 * at step 1 is computed before any update, so neither the learning rate nor a warm-up can change it: only
 * the initialisation (or the architecture) can, and only those are suggested.
 */
export function divergenceSuggestions(graph: Graph, train: ResolvedTrainSpec, lr: number, step = 2): string[] {
  const facts: BlockFacts = { blocks: 0, unnormalised: 0, schemes: new Set() };
  walk(graph.nodes, facts);
  const structural: string[] = [];
  if (facts.unnormalised > 0 && !facts.schemes.has('skipinit') && !facts.schemes.has('fixup')) {
    structural.push(`init=skipinit (a zero-initialised scalar on each of the ${facts.unnormalised} unnormalised residual branches keeps a deep network near the identity at the start)`);
  }
  if (facts.unnormalised > 0) structural.push('norm=bn (batch norm in the residual branches)');
  const rate = [`a lower learning rate (the step used lr=${formatLoss(lr)}; try --set lr=${formatLoss(train.optimizer.lr / 10)})`];
  if (train.schedule.warmup === 0) rate.push('a learning-rate warm-up (e.g. `schedule cosine, warmup=500` or --set warmup=500)');
  if (step <= 1) return [...structural, 'smaller initial weights (init=lecun or init=xavier, or gain=0.5 on the dense and conv layers)'];
  return [...rate, ...structural];
}

/** The message a diverged run stops with. */
export function divergenceMessage(options: {
  readonly step: number;
  readonly epoch: number;
  readonly reason: string;
  readonly suggestions: readonly string[];
  readonly lastCheckpoint: { readonly path: string; readonly step: number } | null;
}): string {
  const kept = options.lastCheckpoint
    ? `The last finite checkpoint (step ${options.lastCheckpoint.step}) is kept: ${options.lastCheckpoint.path}.`
    : 'No checkpoint had been written yet.';
  const first = options.step === 1 ? ' before any update: the network overflows at initialisation' : '';
  return (
    `training diverged at step ${options.step} (epoch ${options.epoch + 1}): ${options.reason}${first}. ` +
    `Try ${options.suggestions.join('; or ')}. ${kept}`
  );
}
