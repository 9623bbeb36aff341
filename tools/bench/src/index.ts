// @skipinit/bench: our engine side by side with TensorFlow.js — workloads as modules, systems as
// adapters, alternating repetitions, medians, speed-ups, agreement checks, docs/benchmarks.md.
export { main, runBench, makeSystems, allWorkloads } from './cli';
export { parseArgs, selected, USAGE, UsageError, type BenchOptions, type CliOptions } from './args';
export { formatTable, formatValue, agreementOf, type Report, type Machine, type SystemInfo, type WorkloadInfo } from './report';
export { formatMarkdown, asReport } from './markdown';
export { speedup, speedups, formatSpeedup, type Speedups } from './speedup';
export { median, rotation, runWorkload, maxRelDiff, valueOf, type RunOptions } from './runner';
export { GpuJsSystem, GpuJsThreadsSystem, gpuJsSystems } from './systems/gpujs';
export { TfjsSystem } from './systems/tfjs';
export { tfSetup, type TfSetup } from './systems/tfjs-setup';
export { archGraph, r3Arch, r4Arch, type Arch, type MlpArch, type ResNetArch } from './workloads/arch';
export { modelWorkloads, trainWorkload, signalWorkload, initialWeights } from './workloads/models';
export { convWorkload, matmulWorkload, tensorWorkloads, CONV_R2 } from './workloads/tensor';
export type { ConvSpec, Measurement, Preparation, Prepared, SignalCase, Skipped, SystemAdapter, TrainCase, Unit, Workload } from './types';
