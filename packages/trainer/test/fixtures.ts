// Small graphs, data and recipes for the loop's tests: fast on the float64 reference backend.

import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gaussianClusters } from '@skipinit/data';
import type { DatasetSplits } from '@skipinit/data';
import { activation, conv, dense, flatten, graph, head, input, preact, resblock, resolveTrainSpec } from '@skipinit/graph';
import type { Graph, ResolvedTrainSpec, TrainSpec } from '@skipinit/graph';
import { AsyncReferenceBackend, Engine, ReferenceBackend } from '@skipinit/tensor';

/** A tiny pre-activation conv ResNet on 1x8x8 images: batch norm, dropout in the branch and the head. */
export function convGraph(): Graph {
  return graph('tiny_conv', [
    input([1, 8, 8]),
    conv(4),
    resblock({ branch: preact({ width: 4, norm: 'bn', dropout: 0.2 }), init: 'skipinit' }),
    activation('relu'),
    head(3, { dropout: 0.1 }),
  ]);
}

/** A residual MLP on 16 features: unnormalised blocks with the given init. */
export function mlpGraph(init: 'skipinit' | 'plain' | 'fixup' = 'skipinit', blocks = 2): Graph {
  return graph('tiny_mlp', [
    input([16]),
    flatten(),
    dense(16),
    resblock({ branch: preact({ kind: 'mlp', width: 16, norm: 'none' }), init, count: blocks }),
    activation('relu'),
    head(3),
  ]);
}

export function blobs(shape: number[], train = 96, test = 48, seed = 3): DatasetSplits {
  return gaussianClusters({ shape, classes: 3, train, test, seed, separation: 3 });
}

export function recipe(spec: Partial<Omit<TrainSpec, 'data'>> & { data?: Partial<TrainSpec['data']> }): ResolvedTrainSpec {
  const { data, ...rest } = spec;
  return resolveTrainSpec({
    optimizer: { name: 'sgd', lr: 0.05, momentum: 0.9, nesterov: true, weightDecay: 5e-4 },
    schedule: { name: 'cosine', warmup: 3 },
    ...rest,
    data: { name: 'blobs', batch: 16, ...data },
  });
}

export function referenceEngine(seed = 0): Engine {
  return new Engine(new ReferenceBackend(), { seed });
}

export function tempDir(prefix: string): string {
  return mkdtempSync(join(tmpdir(), `skipinit-${prefix}-`));
}

/** The reference backend reading only asynchronously (AsyncReferenceBackend: the stand-in for WebGPU). */
export function asyncReferenceEngine(seed = 0): Engine {
  return new Engine(new AsyncReferenceBackend(), { seed });
}
