// R3 (one SGD step of the CIFAR-shaped pre-activation ResNet, batchnorm and skipinit variants),
// R4 (one SGD step of the residual MLP, D = 100 and 1000) and R5 (a forward pass at initialisation
// through R4's network with D = 1000 and batch 256, recording per-block statistics).
//
// The initial weights are made once per workload by @skipinit/layers (build(graph, { seed })) and
// handed to every system: ours builds its model from the same seed, a peer loads the exported values.
// Inputs are N(0, 1) images/features and uniform labels from the seed; a step cycles through a few
// batches and reads its loss back, as a training loop does.

import type { ExportedWeight } from '@skipinit/layers';
import { build } from '@skipinit/layers';
import { Engine, ReferenceBackend, Rng } from '@skipinit/tensor';
import { randomValues } from '../systems/random';
import type { HostBatch, SignalCase, TrainCase, Workload } from '../types';
import type { Arch, MlpArch } from './arch';
import { archGraph, inputSize, r3Arch, r4Arch } from './arch';

/** The model's initial parameters and buffers for `seed`, as @skipinit/layers makes them. */
export function initialWeights(arch: Arch, seed: number): ExportedWeight[] {
  const model = build(archGraph(arch), { seed, engine: new Engine(new ReferenceBackend()) });
  try {
    return model.exportWeights();
  } finally {
    model.dispose();
  }
}

export function hostBatch(arch: Arch, batch: number, seed: number): HostBatch {
  const rng = new Rng(seed);
  return {
    x: randomValues(batch * inputSize(arch), seed),
    y: Array.from({ length: batch }, () => rng.integers(0, arch.classes)),
  };
}

export interface TrainWorkloadOptions {
  readonly id: string;
  readonly group: string;
  readonly title: string;
  readonly arch: Arch;
  readonly batch: number;
  readonly lr?: number;
  /** Distinct batches the steps cycle through (default 2). */
  readonly batches?: number;
  readonly compareSteps?: number;
  readonly tolerance?: number;
}

/** One SGD step (momentum 0.9) per run, images/s. */
export function trainWorkload(o: TrainWorkloadOptions): Workload {
  let cached: TrainCase | null = null;
  const compareSteps = o.compareSteps ?? 3;
  return {
    id: o.id,
    group: o.group,
    title: o.title,
    unit: 'images/s',
    perRun: o.batch,
    tolerance: o.tolerance ?? 1e-3,
    compared: `the losses of the first ${compareSteps} steps from the same initial weights`,
    prepare(system, seed) {
      if (!system.trainSteps) return null;
      cached ??= {
        arch: o.arch,
        batch: o.batch,
        batches: Array.from({ length: o.batches ?? 2 }, (_, i) => hostBatch(o.arch, o.batch, seed * 1000 + i + 1)),
        lr: o.lr ?? 0.01,
        momentum: 0.9,
        seed,
        weights: initialWeights(o.arch, seed),
        compareSteps,
      };
      return system.trainSteps(cached);
    },
    dispose() {
      cached = null;
    },
  };
}

export interface SignalWorkloadOptions {
  readonly id: string;
  readonly group: string;
  readonly title: string;
  readonly arch: MlpArch;
  readonly batch: number;
  readonly tolerance?: number;
}

/** One forward pass at initialisation recording per-block statistics, ms. */
export function signalWorkload(o: SignalWorkloadOptions): Workload {
  let cached: SignalCase | null = null;
  return {
    id: o.id,
    group: o.group,
    title: o.title,
    unit: 'ms',
    perRun: 0,
    tolerance: o.tolerance ?? 1e-4,
    compared: "every block's skip squared mean, skip variance and branch variance",
    prepare(system, seed) {
      if (!system.signalForward) return null;
      cached ??= { arch: o.arch, batch: o.batch, x: randomValues(o.batch * inputSize(o.arch), seed * 1000 + 7), seed, weights: initialWeights(o.arch, seed) };
      return system.signalForward(cached);
    },
    dispose() {
      cached = null;
    },
  };
}

export function modelWorkloads(): Workload[] {
  return [
    trainWorkload({ id: 'R3-resnet-bn', group: 'R3', title: 'R3 ResNet SGD step, batchnorm, batch 64', arch: r3Arch('bn'), batch: 64 }),
    trainWorkload({ id: 'R3-resnet-skipinit', group: 'R3', title: 'R3 ResNet SGD step, skipinit, batch 64', arch: r3Arch('skipinit'), batch: 64 }),
    trainWorkload({ id: 'R4-mlp-100', group: 'R4', title: 'R4 residual MLP SGD step, D=100, batch 64', arch: r4Arch(100), batch: 64 }),
    trainWorkload({ id: 'R4-mlp-1000', group: 'R4', title: 'R4 residual MLP SGD step, D=1000, batch 64', arch: r4Arch(1000), batch: 64 }),
    signalWorkload({ id: 'R5-signal-1000', group: 'R5', title: 'R5 forward at init + per-block stats, D=1000, batch 256', arch: r4Arch(1000), batch: 256 }),
  ];
}
