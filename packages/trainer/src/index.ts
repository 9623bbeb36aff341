// @skipinit/trainer: SGD, schedules, the training loop, evaluation, events, divergence detection, run
// directories, safetensors checkpoints and exact resume.

export { train } from './train';
export type { TrainOptions } from './train';
export { resumeRun } from './resume';
export type { ResumeOptions } from './resume';
export { evaluate, countCorrect } from './evaluate';
export type { EvalResult, EvaluateOptions } from './evaluate';
export type {
  BatchEndEvent,
  CheckpointEvent,
  EndEvent,
  EpochEndEvent,
  EvalEvent,
  RunStatus,
  TrainBeginEvent,
  TrainCallbacks,
  TrainEvent,
  TrainSummary,
} from './events';
export type { NamedTensorRef, TrainableModel, TrainableParameter } from './model';
export { Sgd, VELOCITY_PREFIX } from './sgd';
export { Adam, EXP_AVG_PREFIX, EXP_AVG_SQ_PREFIX } from './adam';
export type { AdamOptions } from './adam';
export { makeOptimizer, OPTIMIZER_PREFIX } from './optimizer';
export type { Optimizer } from './optimizer';
export { clipGradNorm } from './clip-grad-norm';
export type { OptimParam, SgdOptions } from './sgd';
export { checkSchedule, learningRate, warmupFactor } from './schedule';
export type { ScheduleConfig, ScheduleContext } from './schedule';
export { BACKWARD_WORKSPACE, describeMemory, estimateTrainingMemory, formatBytes, optimizerSlots } from './memory-estimate';
export type { MemoryEstimate, MemoryEstimateOptions } from './memory-estimate';
export { defaultMaxLoss, divergenceMessage, divergenceReason, divergenceSuggestions } from './divergence';
export {
  decodeSafetensors,
  encodeSafetensors,
  encodeSafetensorsBytes,
  DTYPE_BYTES,
  MAX_HEADER_BYTES,
  SafetensorsError,
} from './safetensors';
export type { DecodedSafetensors, Dtype, NamedTensor, TensorData } from './safetensors';
export { CHECKPOINT_FORMAT, CHECKPOINT_VERSION, CheckpointError, readCheckpoint, writeCheckpoint } from './checkpoint';
export type { Checkpoint, CheckpointErrorCode, CheckpointMeta, StoredTensor } from './checkpoint';
export { writeFileAtomic } from './atomic-write';
export { claimRunDirectory, createRunDirectory, RUN_FILES, RunDirectoryError, safeRunName } from './run-dir';
export { canonicalJson, configHash, readRunConfig, RUN_FORMAT, stripSpans } from './run-config';
export type { LoopSettings, RunConfig } from './run-config';
export { packageVersions, readSummary } from './run-files';
export { CROP_PADDING, loadSplits, prepareTrainingData } from './training-data';
export type { ModelShape, TrainingData } from './training-data';
export type { EpochSums, Progress } from './run-state';
export { evaluateRun, loadModelWeights } from './evaluate-run';
export type { EvalSplit, EvaluateRunOptions, RunEvaluation } from './evaluate-run';
export { modelIo, paddingRecords, PADDING_RULE } from './model-io';
export type { ModelIo, PaddingRecord } from './model-io';
export { checkpointFile, loadRunModel } from './run-model';
export type { LoadRunModelOptions, RunModel } from './run-model';
export { predict } from './predict';
export type { Prediction } from './predict';
