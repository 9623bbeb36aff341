// What the training loop asks of an optimiser (SGD, Adam, AdamW), and the one place that makes one from the
// recipe. State for checkpoints is tensors under `optim.*` names plus a small JSON value (Adam's step counts).
import type { ResolvedTrainSpec } from '@skipinit/graph';
import type { Tensor } from '@skipinit/tensor';
import { Adam } from './adam';
import type { HostValues } from './assign';
import { Sgd } from './sgd';
import type { OptimParam } from './sgd';

export interface Optimizer {
  readonly name: ResolvedTrainSpec['optimizer']['name'];
  readonly parameters: readonly OptimParam[];
  /**
   * One update of every parameter that has a gradient, at learning rate `lr`, with the gradients scaled by
   * `gradScale` (gradient clipping's factor; default 1). The gradients themselves are not modified.
   */
  step(lr?: number, gradScale?: number): void;
  /** Frees every parameter's gradient (torch's zero_grad(set_to_none=True)). */
  zeroGrad(): void;
  /** The state tensors to checkpoint, by name (each starts with 'optim.'); owned by the optimiser. */
  state(): Map<string, Tensor>;
  /** Checkpoint metadata besides the tensors (JSON), or null. */
  stateMeta(): unknown;
  /** Restores `state()` and `stateMeta()` as saved; refuses a missing, extra or misshapen entry untouched. */
  loadState(entries: ReadonlyMap<string, HostValues>, meta: unknown): void;
  dispose(): void;
}

/** Every checkpoint tensor name that belongs to an optimiser starts with this. */
export const OPTIMIZER_PREFIX = 'optim.';

/** The recipe's optimiser over `params`. */
export function makeOptimizer(params: readonly OptimParam[], o: ResolvedTrainSpec['optimizer']): Optimizer {
  if (o.name === 'sgd') return new Sgd(params, o);
  return new Adam(params, {
    lr: o.lr,
    beta1: o.beta1,
    beta2: o.beta2,
    eps: o.eps,
    weightDecay: o.weightDecay,
    decay: o.decay,
    decoupled: o.name === 'adamw',
  });
}
