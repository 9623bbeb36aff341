// What a per-block hook sees. `model.forward(x, { onBlock })` calls the hook once for EVERY residual
// block, in forward order, right after the block computed its output.
//
// Lifetime: every tensor in a BlockInfo is valid ONLY DURING THE CALL. The block's intermediates
// (branch, skip) are disposed when the block finishes and the input when the next block has run; tensors
// the hook itself creates are disposed with the block's scope too. So a hook computes what it needs (a
// mean, a variance) and reads it out (`dataSync()`, `item()`) before returning; to keep a tensor, return
// nothing and call `keep(t.clone())` (and dispose it later). Where reads are asynchronous only (WebGPU),
// `model.forwardAsync` awaits an async hook before the next block runs (see AsyncBlockHook). A 1000-block analysis thus holds one
// block's activations at a time. Do not dispose these tensors in the hook.

import type { Tensor } from '@skipinit/tensor';

export interface BlockInfo {
  /** 0-based position of the block over the whole network (all stages and repetitions). */
  readonly index: number;
  /** The block's module name ('stage2.block3', 'block17'). */
  readonly name: string;
  /** x_l, the block input [N, ...]. */
  readonly input: Tensor;
  /** The skip path: the input itself (identity shortcut) or the projection of the pre-activated input. */
  readonly skip: Tensor;
  /** f(x_l), the residual branch output BEFORE alpha. */
  readonly branch: Tensor;
  /** The branch scalar's current value (read from the device on first access); 1 when the block has none. */
  readonly alpha: number;
  /** `alpha` read asynchronously: works on every backend (`alpha` needs synchronous reads). */
  readAlpha(): Promise<number>;
  /** x_{l+1} = skip + alpha * branch. */
  readonly output: Tensor;
  /** Whether this forward pass is in training mode. */
  readonly training: boolean;
}

export type BlockHook = (info: BlockInfo) => void;

/**
 * A hook for `model.forwardAsync`: the next block runs when its promise settles, and the block's tensors
 * stay valid until then (so it can `await t.data()` on a backend that reads only asynchronously). It runs
 * outside the block's scope: it disposes any tensor it creates itself.
 */
export type AsyncBlockHook = (info: BlockInfo) => void | Promise<void>;
