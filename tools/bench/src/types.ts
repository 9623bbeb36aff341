// The benchmark's vocabulary: workloads (what to compute) and systems (who computes it).
//
// A workload asks a system for a prepared computation through a capability (matmul, conv2d,
// trainSteps, signalForward). A system that lacks the capability answers null ("not supported"); one
// that has it but is known to be far too slow answers { skipped: why } — either way the table says so,
// and no case is dropped from it.

import type { ExportedWeight } from '@skipinit/layers';
import type { Arch, MlpArch } from './workloads/arch';

/** One prepared computation: run() does the timed work, synchronously or not. */
export interface Prepared {
  /** Called before every run, outside the timed region (TF.js: make this system's backend the current one). */
  activate?(): void | Promise<void>;
  run(): void | Promise<void>;
  /** A few output values (in our layouts), to check that the systems computed the same thing. */
  sample(): Promise<Float32Array>;
  dispose(): void;
}

/** A capability the system has but does not run here, with the reason (shown in the table). */
export interface Skipped {
  readonly skipped: string;
}

export type Preparation = Prepared | Skipped | null;

export const isSkipped = (p: Preparation): p is Skipped => p !== null && 'skipped' in p;

export interface ConvSpec {
  readonly batch: number;
  readonly inChannels: number;
  readonly outChannels: number;
  readonly height: number;
  readonly width: number;
  readonly kernel: number;
  readonly padding: number;
  readonly stride: number;
}

/** Host-side data of one batch: inputs [N, ...input] (NCHW for images) and integer labels. */
export interface HostBatch {
  readonly x: Float32Array;
  readonly y: readonly number[];
}

/** SGD steps of a network, each on the next batch (cycling), reading the loss back each step. */
export interface TrainCase {
  readonly arch: Arch;
  readonly batch: number;
  readonly batches: readonly HostBatch[];
  readonly lr: number;
  readonly momentum: number;
  /** The seed our model is built from (@skipinit/layers' build). */
  readonly seed: number;
  /** The parameters and buffers that seed gives (model.exportWeights()): what a peer loads. */
  readonly weights: readonly ExportedWeight[];
  /** How many losses sample() returns: the losses of the first steps, compared across systems. */
  readonly compareSteps: number;
}

/**
 * One forward pass at initialisation (no gradients) recording, for every residual block, the skip
 * path's average channel squared mean and average channel variance and the branch's average channel
 * variance (population variances over the batch, computed on the device). sample() returns them,
 * [block][3] flattened.
 */
export interface SignalCase {
  readonly arch: MlpArch;
  readonly batch: number;
  readonly x: Float32Array;
  readonly seed: number;
  readonly weights: readonly ExportedWeight[];
}

export interface SystemAdapter {
  /** Stable id, e.g. 'gpujs:webasm' or 'tfjs:wasm'. */
  readonly id: string;
  /** Ours (the engine under test) or a peer (the systems speed-ups are measured against). */
  readonly side: 'ours' | 'peer';
  /** What actually ran, for the table, e.g. "skipinit gpu.js webasm, 1 thread". */
  readonly label: string;
  /** Facts for the report (the mode that ran, versions, threads, kernels the bench registered). */
  readonly details: Readonly<Record<string, string>>;
  /** C = A B for random matrices. */
  matmul?(m: number, k: number, n: number, seed: number): Preparation | Promise<Preparation>;
  /** conv2d forward, or forward + both gradients (input and filter) when `backward`. */
  conv2d?(spec: ConvSpec, backward: boolean, seed: number): Preparation | Promise<Preparation>;
  trainSteps?(c: TrainCase): Preparation | Promise<Preparation>;
  signalForward?(c: SignalCase): Preparation | Promise<Preparation>;
  dispose(): void;
}

/** What a workload's number means: GFLOP/s and images/s are rates (higher is better); ms is a time. */
export type Unit = 'GFLOP/s' | 'images/s' | 'ms';

export interface Workload {
  /** e.g. 'R1-matmul-1024'. */
  readonly id: string;
  /** The group: 'R1'...'R5' (what --only selects). */
  readonly group: string;
  readonly title: string;
  readonly unit: Unit;
  /** Per run: floating-point operations (for GFLOP/s) or images (for images/s); unused for ms. */
  readonly perRun: number;
  /** Largest relative difference (|a - b| / max(1, |b|)) of a system's sample from the first system's that counts as agreeing. */
  readonly tolerance: number;
  /** What sample() holds, for the report. */
  readonly compared: string;
  prepare(system: SystemAdapter, seed: number): Preparation | Promise<Preparation>;
  /** Frees what the workload made for all systems (cached inputs and weights). */
  dispose?(): void;
}

export interface Measurement {
  readonly group: string;
  readonly workload: string;
  readonly title: string;
  readonly unit: Unit;
  readonly system: string;
  readonly side: 'ours' | 'peer';
  readonly label: string;
  /** null when the system did not run the workload (see note). */
  readonly medianMs: number | null;
  /** The median in the workload's unit (GFLOP/s, images/s, or ms). */
  readonly value: number | null;
  readonly runsMs: readonly number[];
  /** Largest relative difference of this system's sample from the reference system's. */
  readonly maxDiff: number | null;
  /** maxDiff within the workload's tolerance (null when not compared). */
  readonly agrees: boolean | null;
  /** Why there is no median ("too slow: ...", "not supported", "failed: ..."), or a remark on a measured row. */
  readonly note?: string;
}
