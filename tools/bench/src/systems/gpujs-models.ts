// R3-R5 on our engine, written the way a user writes them: the graph built by @skipinit/layers, the
// step as @skipinit/trainer's loop does it (input tensor from host data, forward in training mode,
// cross-entropy, loss read back, backward, SGD with momentum, gradients freed), and the per-block
// statistics from the model's block hook.

import { archGraph } from '../workloads/arch';
import { build } from '@skipinit/layers';
import type { BlockInfo } from '@skipinit/layers';
import type { Engine, Tensor } from '@skipinit/tensor';
import { crossEntropy, dispose, keep, moments, noGrad, stack, tensor, tidy } from '@skipinit/tensor';
import { Sgd } from '@skipinit/trainer';
import type { Prepared, SignalCase, TrainCase } from '../types';

export function trainSteps(engine: Engine, c: TrainCase): Prepared {
  const model = build(archGraph(c.arch), { seed: c.seed, engine });
  const sgd = new Sgd(model.parameters(), { lr: c.lr, momentum: c.momentum });
  const shape = [c.batch, ...c.arch.input];
  const losses: number[] = [];
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

/** Average channel squared mean and average channel variance over the batch (axis 0) of [N, F]. */
function stats(t: Tensor): [Tensor, Tensor] {
  const { mean, variance } = moments(t, [0]);
  return [mean.square().mean(), variance.mean()];
}

export function signalForward(engine: Engine, c: SignalCase): Prepared {
  const model = build(archGraph(c.arch), { seed: c.seed, engine });
  const shape = [c.batch, ...c.arch.input];
  let last: Float32Array | null = null;
  return {
    run() {
      // a block's tensors live only during its hook (the block's tidy): keep its three statistics
      const perBlock: Tensor[] = [];
      try {
        last = noGrad(() =>
          tidy(() => {
            const onBlock = (b: BlockInfo): void => {
              const [skipSq, skipVar] = stats(b.skip);
              const [, branchVar] = stats(b.branch);
              perBlock.push(keep(stack([skipSq, skipVar, branchVar])));
            };
            model.forward(tensor(c.x, shape, { engine }), { training: true, onBlock });
            return stack(perBlock).dataSync().slice();
          }),
        );
      } finally {
        dispose(perBlock);
      }
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
