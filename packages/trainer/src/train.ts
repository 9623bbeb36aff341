// train(): the training loop. Build the model (from the recipe's seed) and the data, then for each step:
// the next batch, forward in training mode, cross-entropy, a check for divergence, backward, [gradient
// clipping by global norm,] one optimiser step (SGD, Adam or AdamW) at the schedule's learning rate; metrics; periodic evaluation in evaluation mode; checkpoints.
//
// Everything random is a function of saved state: initialisation of (seed, parameter name), the batch
// order of (seed, epoch), augmentation of (seed, epoch, batch), dropout of the model's stream (saved in
// every checkpoint). So a run resumed from a checkpoint continues exactly as the uninterrupted run would,
// and metrics.jsonl, cut back to what the checkpoint covers, ends up byte-identical.
//
// The loop checks `signal` between steps (and yields to the event loop each step so a Ctrl-C handler
// can run): on abort it writes a checkpoint and returns status 'interrupted'.

import { BatchLoader } from '@skipinit/data';
import type { DatasetSplits } from '@skipinit/data';
import type { Graph, ResolvedTrainSpec } from '@skipinit/graph';
import { build } from '@skipinit/layers';
import type { Engine } from '@skipinit/tensor';
import { divergenceMessage, divergenceSuggestions, defaultMaxLoss } from './divergence';
import { evaluate } from './evaluate';
import type { EvalResult } from './evaluate';
import type { TrainCallbacks, TrainSummary } from './events';
import type { TrainableModel } from './model';
import { modelIo } from './model-io';
import { ParamLog } from './param-log';
import type { LoopSettings } from './run-config';
import { RunFiles } from './run-files';
import { nextTurn } from './next-turn';
import type { Progress } from './run-state';
import { checkSchedule, learningRate } from './schedule';
import type { ScheduleContext } from './schedule';
import { makeOptimizer } from './optimizer';
import type { Optimizer } from './optimizer';
import { trainStep } from './step';
import { Throughput } from './throughput';
import { prepareTrainingData } from './training-data';
import type { TrainingData } from './training-data';

export interface TrainOptions {
  readonly graph: Graph;
  readonly train: ResolvedTrainSpec;
  /** The engine to train on (the CLI makes it from --backend). */
  readonly engine: Engine;
  /** The run directory (config.json, metrics.jsonl, checkpoints, ...); null or absent: no files. */
  readonly runDir?: string | null;
  /** Continue the run in runDir from its last.safetensors. */
  readonly resume?: boolean;
  readonly callbacks?: TrainCallbacks;
  /** Aborting stops the run at the next step boundary, with a checkpoint. */
  readonly signal?: AbortSignal;
  /** The data set's splits, already loaded (default: loaded by the recipe's data name). */
  readonly data?: DatasetSplits;
  /** Builds the model (default: @skipinit/layers' build). */
  readonly buildModel?: (graph: Graph, options: { seed: number; engine: Engine }) => TrainableModel;
  /** Log every this many steps (default 1). */
  readonly logEvery?: number;
  /** Checkpoint every this many steps, or after every evaluation (default 'eval'). */
  readonly checkpointEvery?: number | 'eval';
  /**
   * Examples per forward pass when evaluating (default: the training batch size, so evaluation reuses
   * the compiled training kernels; on the MNIST example a batch of 64 evaluates 2.4x faster per image
   * than 500, whose Winograd buffers overflow the engine's kernel cache).
   */
  readonly evalBatchSize?: number;
  /** Explosion threshold of the training loss (default 100 * ln(classes)). */
  readonly maxLoss?: number;
  /** Extra fields for config.json: the backend's selection report, versions, where the spec came from. */
  readonly meta?: { readonly backend?: Record<string, unknown>; readonly versions?: Record<string, string>; readonly source?: Record<string, unknown> };
  /** Milliseconds, for throughput (default performance.now). */
  readonly clock?: () => number;
}

interface Setup {
  model: TrainableModel;
  data: TrainingData;
  loader: BatchLoader;
  optimizer: Optimizer;
  totalSteps: number;
  schedule: ScheduleContext;
  loop: LoopSettings;
}

function positiveInt(value: number, what: string): number {
  if (!Number.isInteger(value) || value < 1) throw new RangeError(`train: ${what} must be an integer >= 1, got ${value}`);
  return value;
}

function setUp(o: TrainOptions): Setup {
  const spec = o.train;
  const model = (o.buildModel ?? ((g, opts) => build(g, opts)))(o.graph, { seed: spec.seed, engine: o.engine });
  try {
    const data = prepareTrainingData(spec, { input: model.inputShape, classes: model.outputShape[0] }, o.data);
    const loader = new BatchLoader(data.train, { batchSize: spec.data.batch, seed: spec.seed, augment: data.augment, reuseBuffers: true });
    const totalSteps = spec.steps ?? (spec.epochs ?? 1) * loader.batchesPerEpoch;
    const schedule: ScheduleContext = {
      lr: spec.optimizer.lr,
      totalSteps,
      stepsPerEpoch: loader.batchesPerEpoch,
      unit: spec.steps === null ? 'epochs' : 'steps',
    };
    checkSchedule(spec.schedule, schedule);
    const optimizer = makeOptimizer(model.parameters(), spec.optimizer);
    const checkpointEvery = o.checkpointEvery ?? 'eval';
    const loop: LoopSettings = {
      logEvery: positiveInt(o.logEvery ?? 1, 'logEvery'),
      checkpointEvery: checkpointEvery === 'eval' ? 'eval' : positiveInt(checkpointEvery, 'checkpointEvery'),
      evalBatchSize: positiveInt(o.evalBatchSize ?? spec.data.batch, 'evalBatchSize'),
      maxLoss: o.maxLoss ?? defaultMaxLoss(model.outputShape[0]),
    };
    if (!(loop.maxLoss > 0)) throw new RangeError(`train: maxLoss must be > 0, got ${loop.maxLoss}`);
    return { model, data, loader, optimizer, totalSteps, schedule, loop };
  } catch (error) {
    model.dispose();
    throw error;
  }
}

const finite = (x: number): number | null => (Number.isFinite(x) ? x : null);

/** An epoch's end: its mean loss and accuracy (metrics.jsonl), its timing, the event; the next epoch's sums start at 0. */
async function endEpoch(files: RunFiles, progress: Progress, meter: Throughput, epoch: number, step: number): Promise<void> {
  const sums = progress.epochSums;
  const mean = { loss: sums.loss / sums.examples, accuracy: sums.correct / sums.examples };
  progress.lastEpoch = mean;
  progress.epochSums = { loss: 0, correct: 0, examples: 0 };
  files.metric({ type: 'epoch', epoch, step, loss: mean.loss, accuracy: mean.accuracy });
  files.timing({ type: 'epoch', epoch, step, elapsed_s: meter.elapsedSeconds, examples_per_s: meter.overallExamplesPerSecond });
  await files.emit({ type: 'epochEnd', epoch, step, ...mean, examples_per_s: meter.overallExamplesPerSecond, elapsed_s: meter.elapsedSeconds });
}

interface SummaryInput {
  status: TrainSummary['status'];
  message: string | null;
  divergence: TrainSummary['divergence'];
  name: string;
  files: RunFiles;
  step: number;
  totalSteps: number;
  stepsPerEpoch: number;
  progress: Progress;
  test: EvalResult | null;
  validation: EvalResult | null;
  meter: Throughput;
}

/** The run's summary (summary.json and the 'end' event); train loss and accuracy are the last (partial) epoch's means. */
function summarize(o: SummaryInput): TrainSummary {
  const { progress, test, validation } = o;
  const epochMeans = progress.epochSums.examples > 0
    ? { loss: progress.epochSums.loss / progress.epochSums.examples, accuracy: progress.epochSums.correct / progress.epochSums.examples }
    : progress.lastEpoch;
  return {
    status: o.status,
    diverged: o.status === 'diverged',
    message: o.message,
    name: o.name,
    run_dir: o.files.dir,
    steps: o.step,
    total_steps: o.totalSteps,
    epochs: o.step / o.stepsPerEpoch,
    train_loss: epochMeans ? finite(epochMeans.loss) : null,
    train_accuracy: epochMeans ? epochMeans.accuracy : null,
    test_loss: test ? finite(test.loss) : null,
    test_accuracy: test ? test.accuracy : null,
    validation_loss: validation ? finite(validation.loss) : null,
    validation_accuracy: validation ? validation.accuracy : null,
    best: progress.best,
    checkpoints: o.files.checkpointPaths(),
    divergence: o.divergence,
    elapsed_s: o.meter.elapsedSeconds,
    examples_per_s: o.meter.overallExamplesPerSecond,
  };
}

/** Trains the graph by the recipe; returns the summary (also written to summary.json). */
export async function train(options: TrainOptions): Promise<TrainSummary> {
  const s = setUp(options);
  const { model, data, loader, optimizer, totalSteps, loop } = s;
  const { graph, train: spec, engine } = options;
  const clock = options.clock ?? (() => performance.now());
  const files = new RunFiles(options.runDir ?? null, options.callbacks);
  try {
    let progress: Progress = { epochSums: { loss: 0, correct: 0, examples: 0 }, lastEpoch: null, best: null, lastEval: null, metricsBytes: 0 };
    const config = files.config({ graph, spec, loop, engine, meta: options.meta ?? {}, io: modelIo(model, data) });
    let step = 0;
    if (options.resume) {
      const restored = files.resume(config, { model, optimizer, loader });
      progress = restored.progress;
      step = restored.step;
    } else {
      files.start(config);
    }
    // Old runs' recipes have no logParamsEvery: nothing is logged for them.
    const paramEvery = spec.logParamsEvery ?? 0;
    const paramLog = paramEvery > 0 ? ParamLog.of(model) : null;
    if (paramLog !== null && !options.resume) files.metric(paramLog.layout());
    const meter = new Throughput(clock);
    await files.emit({
      type: 'trainBegin',
      run_dir: files.dir,
      name: graph.name,
      step,
      resumed: options.resume === true,
      total_steps: totalSteps,
      steps_per_epoch: loader.batchesPerEpoch,
      parameters: model.numParameters(),
      train_examples: data.train.length,
      eval_split: data.evaluationSplit,
      eval_examples: data.evaluation.length,
      config,
    });

    const shape = data.train.shape;
    const runEval = async (epoch: number): Promise<EvalResult> => {
      meter.pause();
      const t0 = clock();
      const r = await evaluate(model, data.evaluation, { batchSize: loop.evalBatchSize });
      const isBest = Number.isFinite(r.loss) && (progress.best === null || r.accuracy > progress.best.accuracy);
      progress.lastEval = { step, split: data.evaluationSplit, loss: finite(r.loss), accuracy: r.accuracy };
      if (isBest) progress.best = { step, split: data.evaluationSplit, accuracy: r.accuracy };
      files.metric({ type: 'eval', step, epoch, split: data.evaluationSplit, loss: finite(r.loss), accuracy: r.accuracy, correct: r.correct, examples: r.examples });
      const seconds = (clock() - t0) / 1000;
      files.timing({ type: 'eval', step, seconds });
      await files.emit({ type: 'eval', step, epoch, split: data.evaluationSplit, loss: r.loss, accuracy: r.accuracy, best: isBest, seconds });
      if (isBest) await files.checkpoint('best', step, () => capture());
      meter.pause();
      return r;
    };
    const capture = () => ({ model, optimizer, loader, step, progress, graph });

    let status: TrainSummary['status'] = 'completed';
    let divergence: TrainSummary['divergence'] = null;
    let message: string | null = null;
    while (step < totalSteps) {
      if (options.signal?.aborted) {
        status = 'interrupted';
        break;
      }
      const batch = loader.next();
      const lr = learningRate(spec.schedule, s.schedule, step);
      let gradNorms: Promise<number[]> | null = null;
      const logParams = paramLog !== null && (step + 1) % paramEvery === 0 ? paramLog : null;
      const afterBackward = logParams === null ? undefined : () => void (gradNorms = logParams.gradNorms());
      const { loss: lossValue, correct, reason, gradNorm } = await trainStep({ model, optimizer, engine, batch, shape, lr, maxLoss: loop.maxLoss, clipGradNorm: spec.optimizer.clipGradNorm, afterBackward });
      if (reason !== null) {
        const at = step + 1;
        const last = files.lastCheckpoint;
        message = divergenceMessage({ step: at, epoch: batch.epoch, reason, suggestions: divergenceSuggestions(graph, spec, lr, at), lastCheckpoint: last });
        divergence = { step: at, loss: finite(lossValue), reason };
        files.metric({ type: 'diverged', step: at, epoch: batch.epoch, batch: batch.index, loss: finite(lossValue), lr, reason });
        status = 'diverged';
        break;
      }
      step++;
      meter.step(batch.size);
      const sums = progress.epochSums;
      sums.loss += lossValue * batch.size;
      sums.correct += correct;
      sums.examples += batch.size;
      const accuracy = correct / batch.size;
      if (step % loop.logEvery === 0) {
        files.metric({ type: 'step', step, epoch: batch.epoch, batch: batch.index, loss: lossValue, accuracy, lr, ...(gradNorm !== null ? { grad_norm: finite(gradNorm) } : {}) });
      }
      if (gradNorms !== null) files.metric(await paramLog!.record(step, batch.epoch, await gradNorms));
      await files.emit({
        type: 'batchEnd',
        step,
        total_steps: totalSteps,
        epoch: batch.epoch,
        batch: batch.index,
        loss: lossValue,
        accuracy,
        lr,
        examples_per_s: meter.examplesPerSecond,
        elapsed_s: meter.elapsedSeconds,
        eta_s: meter.secondsPerStep * (totalSteps - step),
      });
      if (batch.last) await endEpoch(files, progress, meter, batch.epoch, step);
      const evalDue = step === totalSteps || (spec.evalEvery === 'epoch' ? batch.last : step % spec.evalEvery === 0);
      if (evalDue) await runEval(batch.epoch);
      const checkpointDue = step === totalSteps || (loop.checkpointEvery === 'eval' ? evalDue : step % loop.checkpointEvery === 0);
      if (checkpointDue) await files.checkpoint('last', step, () => capture());
      // Let signal handlers (Ctrl-C) run between steps.
      await nextTurn();
    }

    if (status === 'interrupted' && files.lastCheckpoint?.step !== step) await files.checkpoint('last', step, () => capture());
    let test: EvalResult | null = null;
    let validation: EvalResult | null = null;
    if (status === 'completed') {
      const lastEval = progress.lastEval;
      if (data.evaluationSplit === 'validation') {
        validation = lastEval ? { loss: lastEval.loss ?? NaN, accuracy: lastEval.accuracy, correct: 0, examples: data.evaluation.length } : null;
        test = await evaluate(model, data.test, { batchSize: loop.evalBatchSize });
        files.metric({ type: 'eval', step, epoch: loader.state().epoch, split: 'test', loss: finite(test.loss), accuracy: test.accuracy, correct: test.correct, examples: test.examples });
      } else if (lastEval !== null) {
        test = { loss: lastEval.loss ?? NaN, accuracy: lastEval.accuracy, correct: 0, examples: data.test.length };
      }
    }
    const summary = summarize({ status, message, divergence, name: graph.name, files, step, totalSteps, stepsPerEpoch: loader.batchesPerEpoch, progress, test, validation, meter });
    files.finish(summary);
    await files.emit({ type: 'end', summary });
    return summary;
  } finally {
    files.close();
    optimizer.dispose();
    model.dispose();
  }
}
