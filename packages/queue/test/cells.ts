// Small planned sweeps for the tests: residual MLPs on gaussian blobs, a few steps each.
import type { SweepCell, SweepManifest } from '@skipinit/analysis/node';
import { planSweep, sweepManifest } from '@skipinit/analysis/node';
import { dense, graph, head, input, preact, relu, resblock, resolveTrainSpec } from '@skipinit/graph';

export function tinyCells(lrs: readonly number[], steps = 20): { cells: SweepCell[]; manifest: SweepManifest } {
  const net = graph('tiny', [input([2]), dense(8), resblock({ branch: preact({ kind: 'mlp', width: 8, norm: 'none' }), count: 2, init: 'skipinit' }), relu(), head(10)]);
  const inputs = lrs.map((lr, index) => ({
    index,
    key: `lr=${lr}`,
    values: { lr },
    graph: net,
    train: resolveTrainSpec({ data: { name: 'blobs', batch: 16, limit: 128 }, optimizer: { name: 'sgd', lr, momentum: 0.9 }, steps, evalEvery: 10, seed: 1 }),
  }));
  const loop = { logEvery: 1, evalBatchSize: 500, checkpointEvery: 'eval' as const };
  const cells = planSweep(inputs, loop);
  return { cells, manifest: sweepManifest('tiny', [{ name: 'lr', values: [...lrs] }], cells, loop, { file: 'tiny.arch' }) };
}
