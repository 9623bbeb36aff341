// @skipinit/bench: workloads as modules, systems as adapters, alternating repetitions, medians.
export { main, parseArgs, runCli, USAGE, type CliOptions } from './cli';
export { formatTable, type Report } from './report';
export { median, rotation, runWorkload, maxRelDiff, type RunOptions } from './runner';
export { GpuJsSystem, GpuJsThreadsSystem, gpuJsSystems } from './systems/gpujs';
export { convWorkload, matmulWorkload, tensorSuite, CONV_R2 } from './workloads/tensor';
export type { ConvSpec, Measurement, Prepared, SystemAdapter, Workload } from './types';
