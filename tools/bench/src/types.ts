// The benchmark's vocabulary: workloads (what to compute) and systems (who computes it).
//
// A workload asks a system for a prepared computation through a capability (matmul, conv2d, ...). A
// system that lacks the capability answers null and the table says so. Issue 7 adds TensorFlow.js as
// another system adapter and more workloads (model steps) as further capabilities.

/** One prepared computation: run() does the timed work, synchronously or not. */
export interface Prepared {
  run(): void | Promise<void>;
  /** A few output values, to check that systems computed the same thing. */
  sample(): Promise<Float32Array>;
  dispose(): void;
}

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

export interface SystemAdapter {
  /** Stable id, e.g. 'gpujs:webasm'. */
  readonly id: string;
  /** What actually ran, for the table, e.g. "gpu.js webasm (SIMD, 1 thread)". */
  readonly label: string;
  /** Facts for the report (the mode that ran, versions, threads). */
  readonly details: Readonly<Record<string, string>>;
  /** C = A B for random square-or-not matrices. */
  matmul?(m: number, k: number, n: number, seed: number): Prepared | null;
  /** conv2d forward, or forward + both gradients (input and filter) when `backward`. */
  conv2d?(spec: ConvSpec, backward: boolean, seed: number): Prepared | null;
  dispose(): void;
}

export interface Workload {
  /** e.g. 'matmul-1024'. */
  readonly id: string;
  readonly suite: string;
  readonly title: string;
  /** Floating-point operations of one run (for GFLOP/s). */
  readonly flops: number;
  prepare(system: SystemAdapter, seed: number): Prepared | null;
}

export interface Measurement {
  readonly suite: string;
  readonly workload: string;
  readonly title: string;
  readonly system: string;
  readonly label: string;
  /** null when the system cannot run the workload. */
  readonly medianMs: number | null;
  readonly gflops: number | null;
  readonly runsMs: readonly number[];
  /** Largest relative difference of this system's output sample from the first system's. */
  readonly maxDiff: number | null;
  readonly note?: string;
}
