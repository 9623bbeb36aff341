// Named tensors a model owns: trainable parameters and buffers (batch norm's running statistics).
//
// A name is a dotted path such as `stage2.block3.conv1.weight` (see naming.ts); it is what a checkpoint
// stores, so it depends only on the graph, never on the run. `layout` says how the values are laid out
// (for checkpoints and for other frameworks: a conv kernel is OIHW here, HWIO in TensorFlow).

import type { Tensor } from '@skipinit/tensor';

/**
 * What a parameter is, for optimisers: 'weight' is a conv or dense kernel (the only parameters that
 * weight decay touches under `decay=weights`); 'bias' a conv/dense bias; 'norm' a batch/layer norm scale
 * or shift; 'scalar' a residual alpha, a Fixup scalar bias or a learnable scale.
 */
export type ParameterRole = 'weight' | 'bias' | 'norm' | 'scalar';

/** 'OIHW' conv kernel [out, in, kh, kw]; 'OI' dense kernel [units, in]; 'C' one value per channel/feature/unit; 'scalar' shape []. */
export type WeightLayout = 'OIHW' | 'OI' | 'C' | 'scalar';

/** A trainable tensor of a model (a leaf with requiresGrad; its gradient is `value.grad` after backward). */
export class Parameter {
  constructor(
    readonly name: string,
    readonly value: Tensor,
    readonly role: ParameterRole,
    readonly layout: WeightLayout,
  ) {}

  /** A conv or dense kernel (weight decay on weights only). */
  get isWeight(): boolean {
    return this.role === 'weight';
  }
  get shape(): readonly number[] {
    return this.value.shape;
  }
  get size(): number {
    return this.value.size;
  }
  /** The accumulated gradient, or null before backward / after zeroGrad. */
  get grad(): Tensor | null {
    return this.value.grad;
  }
}

/** A non-trainable tensor of a model that a checkpoint must hold (batch norm's running_mean / running_var). */
export class NamedBuffer {
  constructor(
    readonly name: string,
    readonly value: Tensor,
    readonly layout: WeightLayout,
  ) {}

  get shape(): readonly number[] {
    return this.value.shape;
  }
}
