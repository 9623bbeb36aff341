// What every module implements, and what a forward pass carries.

import type { Rng, Tensor } from '@skipinit/tensor';
import type { NamedBuffer, Parameter } from './parameter';

/** Per-call state of a forward pass. */
export interface ForwardContext {
  /** Training mode: batch norm uses (and updates) batch statistics, dropout drops. */
  readonly training: boolean;
  /** The model's dropout stream (advanced by every dropout in training mode, in forward order). */
  readonly rng: Rng;
}

/**
 * A primitive module: one graph layer node (conv, dense, batchnorm, ...) with its parameters. `forward`
 * takes a batch [N, ...shape] and returns a new tensor (identity-like layers may return their input);
 * it runs inside the caller's tidy scope and creates no tensors that outlive it but its result.
 */
export interface Layer {
  /** The module's dotted name ('stage1.block2.conv1'); its parameters are `${name}.weight`, ... */
  readonly name: string;
  /** The graph node kind it implements ('conv', 'batchnorm', ...). */
  readonly kind: string;
  /** Per-example input and output shapes ([C, H, W] or [n]). */
  readonly inShape: readonly number[];
  readonly outShape: readonly number[];
  readonly parameters: readonly Parameter[];
  readonly buffers: readonly NamedBuffer[];
  forward(x: Tensor, ctx: ForwardContext): Tensor;
}
