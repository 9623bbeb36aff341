// R3-R5 on our engine, written the way a user writes them: the graph built by @skipinit/layers, the
// step as @skipinit/trainer's loop does it (input tensor from host data, forward in training mode,
// cross-entropy, loss read back, backward, SGD with momentum, gradients freed), and the per-block
// statistics as @skipinit/analysis gathers them.

import { channelStats } from '@skipinit/analysis';
import { build } from '@skipinit/layers';
import type { BlockInfo } from '@skipinit/layers';
import type { Engine } from '@skipinit/tensor';
import { crossEntropy, noGrad, tensor, tidy } from '@skipinit/tensor';
import { Sgd } from '@skipinit/trainer';
import type { Prepared, SignalCase, TrainCase } from '../types';
import { archGraph } from '../workloads/arch';

/** `asyncReads`: the backend reads only asynchronously (webgpu). */
export function trainSteps(engine: Engine, c: TrainCase, asyncReads = false): Prepared {
  const model = build(archGraph(c.arch), { seed: c.seed, engine });
  const sgd = new Sgd(model.parameters(), { lr: c.lr, momentum: c.momentum });
  const shape = [c.batch, ...c.arch.input];
  const losses: number[] = [];
  if (asyncReads) return trainStepsAsync(engine, c, model, sgd);
  return {
    run() {
      const batch = c.batches[losses.length % c.batches.length]!;
      tidy(() => {
        const x = tensor(batch.x, shape, { engine });
        const loss = crossEntropy(model.forward(x, { training: true }), batch.y);
        losses.push(loss.item());
        loss.backward();
        sgd.step();
        sgd.zeroGrad();
      });
    },
    async sample() {
      if (losses.length < c.compareSteps) throw new Error(`only ${losses.length} steps ran; the check compares the first ${c.compareSteps}`);
      return Float32Array.from(losses.slice(0, c.compareSteps));
    },
    dispose() {
      sgd.dispose();
      model.dispose();
    },
  };
}

/** The same step where reads are asynchronous only (webgpu): the loss is read after the update, as the trainer does there. */
function trainStepsAsync(engine: Engine, c: TrainCase, model: ReturnType<typeof build>, sgd: Sgd): Prepared {
  const shape = [c.batch, ...c.arch.input];
  const losses: number[] = [];
  return {
    async run() {
      const batch = c.batches[losses.length % c.batches.length]!;
      const loss = tidy(() => {
        const l = crossEntropy(model.forward(tensor(batch.x, shape, { engine }), { training: true }), batch.y);
        l.backward();
        sgd.step();
        sgd.zeroGrad();
        return l;
      });
      losses.push((await loss.data())[0]!);
      loss.dispose();
    },
    async sample() {
      if (losses.length < c.compareSteps) throw new Error(`only ${losses.length} steps ran; the check compares the first ${c.compareSteps}`);
      return Float32Array.from(losses.slice(0, c.compareSteps));
    },
    dispose() {
      sgd.dispose();
      model.dispose();
    },
  };
}

/**
 * R5 as `skipinit analyze` does it (@skipinit/analysis's signal propagation): each block's skip path
 * and branch are read back in its hook and reduced on the host in float64 (channelStats). Reducing on
 * the device instead costs our engine more here: five small ops per block, each paying a kernel call's
 * overhead, cost more than the two read-backs.
 */
export function signalForward(engine: Engine, c: SignalCase, asyncReads = false): Prepared {
  const model = build(archGraph(c.arch), { seed: c.seed, engine });
  const shape = [c.batch, ...c.arch.input];
  let last: Float32Array | null = null;
  if (asyncReads) return signalForwardAsync(engine, c, model);
  return {
    run() {
      const out = new Float32Array(3 * c.arch.depth);
      const onBlock = (b: BlockInfo): void => {
        const skip = channelStats(b.skip.dataSync(), b.skip.shape);
        const branch = channelStats(b.branch.dataSync(), b.branch.shape);
        out.set([skip.squaredMean ?? NaN, skip.variance ?? NaN, branch.variance ?? NaN], 3 * b.index);
      };
      noGrad(() => tidy(() => void model.forward(tensor(c.x, shape, { engine }), { training: true, onBlock })));
      last = out;
    },
    async sample() {
      if (last === null) throw new Error('R5 has not run');
      return last;
    },
    dispose() {
      model.dispose();
    },
  };
}

/** R5 where reads are asynchronous only (webgpu): forwardAsync awaits each block's hook, as analysis does. */
function signalForwardAsync(engine: Engine, c: SignalCase, model: ReturnType<typeof build>): Prepared {
  const shape = [c.batch, ...c.arch.input];
  let last: Float32Array | null = null;
  return {
    async run() {
      const out = new Float32Array(3 * c.arch.depth);
      const onBlock = async (b: BlockInfo): Promise<void> => {
        const skip = channelStats(await b.skip.data(), b.skip.shape);
        const branch = channelStats(await b.branch.data(), b.branch.shape);
        out.set([skip.squaredMean ?? NaN, skip.variance ?? NaN, branch.variance ?? NaN], 3 * b.index);
      };
      const x = tensor(c.x, shape, { engine });
      try {
        (await noGrad(() => model.forwardAsync(x, { training: true, onBlock }))).dispose();
      } finally {
        x.dispose();
      }
      last = out;
    },
    async sample() {
      if (last === null) throw new Error('R5 has not run');
      return last;
    },
    dispose() {
      model.dispose();
    },
  };
}
