// What the loop tells its listeners. Every event is a plain JSON object with a `type`; the CLI's --json
// prints them one per line. Wall-clock values (examples/s, elapsed, ETA) live here and in timing.jsonl,
// never in metrics.jsonl.

import type { RunConfig } from './run-config';

export interface TrainBeginEvent {
  readonly type: 'trainBegin';
  readonly run_dir: string | null;
  readonly name: string;
  /** Step the run starts from (0, or the checkpoint's step when resuming). */
  readonly step: number;
  readonly resumed: boolean;
  readonly total_steps: number;
  readonly steps_per_epoch: number;
  readonly parameters: number;
  readonly train_examples: number;
  readonly eval_split: 'validation' | 'test';
  readonly eval_examples: number;
  readonly config: RunConfig;
}

export interface BatchEndEvent {
  readonly type: 'batchEnd';
  /** Optimiser steps done (1 after the first). */
  readonly step: number;
  readonly total_steps: number;
  /** 0-based epoch of the batch and its index within the epoch. */
  readonly epoch: number;
  readonly batch: number;
  readonly loss: number;
  readonly accuracy: number;
  readonly lr: number;
  /** Examples per second over the recent steps. */
  readonly examples_per_s: number;
  readonly elapsed_s: number;
  /** Seconds left at the recent pace (steps only; evaluations come on top). */
  readonly eta_s: number;
}

export interface EpochEndEvent {
  readonly type: 'epochEnd';
  readonly epoch: number;
  readonly step: number;
  /** Means over the epoch's batches, weighted by batch size. */
  readonly loss: number;
  readonly accuracy: number;
  readonly examples_per_s: number;
  readonly elapsed_s: number;
}

export interface EvalEvent {
  readonly type: 'eval';
  readonly step: number;
  readonly epoch: number;
  readonly split: 'validation' | 'test';
  readonly loss: number;
  readonly accuracy: number;
  /** True when this is the best evaluation so far (best.safetensors was written). */
  readonly best: boolean;
  readonly seconds: number;
}

export interface CheckpointEvent {
  readonly type: 'checkpoint';
  readonly step: number;
  readonly path: string;
  readonly kind: 'last' | 'best';
}

/** How a run ended. */
export type RunStatus = 'completed' | 'interrupted' | 'diverged';

export interface TrainSummary {
  readonly status: RunStatus;
  readonly diverged: boolean;
  /** For a diverged run: what happened and what to try. */
  readonly message: string | null;
  readonly name: string;
  readonly run_dir: string | null;
  readonly steps: number;
  readonly total_steps: number;
  /** Epochs done, fractional (steps / steps per epoch). */
  readonly epochs: number;
  /** Mean training loss and accuracy over the last epoch (or the part of it done). */
  readonly train_loss: number | null;
  readonly train_accuracy: number | null;
  /** The final evaluation on the test set (null when the run did not complete). */
  readonly test_loss: number | null;
  readonly test_accuracy: number | null;
  /** The final evaluation on the validation split, when the recipe holds one out. */
  readonly validation_loss: number | null;
  readonly validation_accuracy: number | null;
  readonly best: { readonly step: number; readonly split: 'validation' | 'test'; readonly accuracy: number } | null;
  readonly checkpoints: { readonly last: string | null; readonly best: string | null };
  readonly divergence: { readonly step: number; readonly loss: number | null; readonly reason: string } | null;
  readonly elapsed_s: number;
  readonly examples_per_s: number;
}

export interface EndEvent {
  readonly type: 'end';
  readonly summary: TrainSummary;
}

export type TrainEvent = TrainBeginEvent | BatchEndEvent | EpochEndEvent | EvalEvent | CheckpointEvent | EndEvent;

/**
 * Hooks a library user passes to `train`. Each receives the event object; a hook may return a promise
 * (the loop waits for it). A hook that throws stops the run with that error (no checkpoint is written:
 * as after a crash, resume continues from the last periodic checkpoint).
 */
export interface TrainCallbacks {
  readonly trainBegin?: (e: TrainBeginEvent) => void | Promise<void>;
  readonly batchEnd?: (e: BatchEndEvent) => void | Promise<void>;
  readonly epochEnd?: (e: EpochEndEvent) => void | Promise<void>;
  readonly eval?: (e: EvalEvent) => void | Promise<void>;
  readonly checkpoint?: (e: CheckpointEvent) => void | Promise<void>;
  readonly end?: (e: EndEvent) => void | Promise<void>;
  /** Every event, after its own hook. */
  readonly onEvent?: (e: TrainEvent) => void | Promise<void>;
}
