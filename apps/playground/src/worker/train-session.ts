// Live training in the page: the trainer's own loop (@skipinit/trainer's train(), as `skipinit train`
// runs it, with no run directory) on the shipped MNIST subset. Pause holds the loop inside its
// batchEnd callback, which train() awaits, so continuing resumes the same run with nothing lost; cancel
// aborts it at the next step. The weights are read from the model while it is paused or at the end.
import { compile } from '@skipinit/dsl';
import { resolveTrainSpec } from '@skipinit/graph';
import type { Graph } from '@skipinit/graph';
import { build } from '@skipinit/layers';
import type { Engine } from '@skipinit/tensor';
import { train } from '@skipinit/trainer';
import type { TrainableModel } from '@skipinit/trainer';
import type { EngineReply } from '../protocol';
import { PAGE_FILE } from '../protocol';
import { mnistSubset } from './mnist-subset';
import { weightsFile } from './weights';

export class TrainSession {
  private model: TrainableModel | null = null;
  private step = 0;
  private paused: { resolve: () => void } | null = null;
  private pauseWanted = false;
  private readonly abort = new AbortController();
  private graph: Graph | null = null;

  constructor(
    private readonly engine: Engine,
    private readonly post: (m: EngineReply) => void,
  ) {}

  /** The model's weights after the run ended (the model itself is disposed by then). */
  private finalWeights: { bytes: Uint8Array; tensors: number } | null = null;

  pause(): void {
    this.pauseWanted = true;
  }

  resume(): void {
    this.pauseWanted = false;
    if (this.paused !== null) {
      this.paused.resolve();
      this.paused = null;
      this.post({ type: 'train-continued', step: this.step });
    }
  }

  cancel(): void {
    this.abort.abort();
    this.resume();
  }

  /** The weights now (paused or ended), as the CLI's safetensors layout. */
  async weights(): Promise<EngineReply> {
    let made = this.finalWeights;
    if (made === null) {
      if (this.model === null || this.paused === null) throw new Error('the weights can be saved while training is paused or after it ends');
      made = await weightsFile(this.model, this.graph!, this.step);
    }
    const { bytes, tensors } = made;
    return { type: 'weights', bytes, file: `${this.graph?.name ?? 'model'}-step${this.step}.safetensors`, step: this.step, tensors };
  }

  async run(source: string, base: URL): Promise<void> {
    const result = compile(source, { file: PAGE_FILE });
    if (result.errors.length > 0 || result.graph === null) throw new Error(`the spec has ${result.errors.length} error(s): fix them to train`);
    if (result.train === null) throw new Error('the spec has no train section: add one (train { data mnist, batch=64 ... }) to train here');
    const spec = resolveTrainSpec(result.train);
    if (spec.data.name !== 'mnist') throw new Error(`the page ships MNIST only (a subset); the spec trains on '${spec.data.name}': write data mnist`);
    const graph = result.graph;
    this.graph = graph;
    const data = await mnistSubset(base);
    const summary = await train({
      graph,
      train: spec,
      engine: this.engine,
      runDir: null,
      data,
      signal: this.abort.signal,
      buildModel: (g, options) => (this.model = build(g, options)),
      meta: { versions: { page: 'skipinit playground' }, source: { page: true } },
      callbacks: {
        trainBegin: (e) => this.post({ type: 'train-begin', totalSteps: e.total_steps, parameters: e.parameters, trainExamples: e.train_examples, evalExamples: e.eval_examples }),
        batchEnd: async (e) => {
          this.step = e.step;
          this.post({
            type: 'train-step',
            point: { step: e.step, epoch: e.epoch, loss: e.loss, accuracy: e.accuracy, lr: e.lr, examplesPerSecond: e.examples_per_s, elapsedSeconds: e.elapsed_s },
          });
          if (this.pauseWanted && !this.abort.signal.aborted) {
            this.post({ type: 'train-paused', step: e.step });
            await new Promise<void>((resolve) => (this.paused = { resolve }));
          }
        },
        eval: (e) => this.post({ type: 'train-eval', point: { step: e.step, split: e.split, loss: e.loss, accuracy: e.accuracy } }),
        // The model is disposed when train() returns: keep its weights for the download first.
        end: async (e) => {
          this.step = e.summary.steps;
          this.finalWeights = await weightsFile(this.model!, graph, this.step);
        },
      },
    });
    this.model = null;
    this.post({
      type: 'train-end',
      status: summary.status,
      message: summary.message,
      steps: summary.steps,
      examplesPerSecond: summary.examples_per_s,
      testAccuracy: summary.test_accuracy,
    });
  }
}
