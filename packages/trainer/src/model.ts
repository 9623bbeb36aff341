// What the trainer needs of a model: @skipinit/layers' Model satisfies it (and is what `train` builds by
// default); a library user may bring any module with the same shape.

import type { Engine, Rng, Tensor } from '@skipinit/tensor';

export interface NamedTensorRef {
  readonly name: string;
  readonly value: Tensor;
}

export interface TrainableParameter extends NamedTensorRef {
  /** A conv or dense kernel (weight decay under `decay=weights` touches only these). */
  readonly isWeight: boolean;
}

export interface TrainableModel {
  readonly engine: Engine;
  /** Per-example input shape and output shape ([classes]). */
  readonly inputShape: readonly number[];
  readonly outputShape: readonly number[];
  /** The dropout stream: saved in checkpoints, restored on resume. */
  rng: Rng;
  forward(x: Tensor, options: { training: boolean }): Tensor;
  parameters(): readonly TrainableParameter[];
  buffers(): readonly NamedTensorRef[];
  numParameters(): number;
  dispose(): void;
}
