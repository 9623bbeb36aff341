import { describe, expect, test } from 'vitest';
import { toMarkdown } from '../table';
import { batchRows, batchTable, depthAxes, depthTable, lrPoints, schemeLabels } from './derived';
import type { CellResult } from './results';
import { parseMetrics, resultsTable } from './results';

function result(values: Record<string, string | number>, r: Partial<CellResult> & { lr: number; batch: number }): CellResult {
  return {
    index: 0,
    key: Object.entries(values).map(([k, v]) => `${k}=${v}`).join(','),
    values,
    hash: 'sha256:x',
    dir: 'cells/x',
    depth: 10,
    classes: 10,
    seed: 0,
    status: r.diverged ? 'diverged' : 'completed',
    finalTestAccuracy: r.diverged ? null : 0.5,
    bestTestAccuracy: null,
    finalTrainLoss: 1,
    diverged: false,
    divergedAt: null,
    steps: 10,
    totalSteps: 10,
    ...r,
  };
}

const axes = [
  { name: 'init', values: ['bn', 'skipinit'] },
  { name: 'lr', values: [0.01, 0.1, 1] },
  { name: 'batch', values: [16, 256] },
];
// bn: best at 0.1 for batch 16, diverges at 1 for batch 16; skipinit: diverges at 0.1 and 1 for batch 256.
const results: CellResult[] = [
  result({ init: 'bn', lr: 0.01, batch: 16 }, { lr: 0.01, batch: 16, finalTestAccuracy: 0.8 }),
  result({ init: 'bn', lr: 0.1, batch: 16 }, { lr: 0.1, batch: 16, finalTestAccuracy: 0.9 }),
  result({ init: 'bn', lr: 1, batch: 16 }, { lr: 1, batch: 16, diverged: true }),
  result({ init: 'bn', lr: 0.01, batch: 256 }, { lr: 0.01, batch: 256, finalTestAccuracy: 0.7 }),
  result({ init: 'bn', lr: 0.1, batch: 256 }, { lr: 0.1, batch: 256, finalTestAccuracy: 0.8 }),
  result({ init: 'bn', lr: 1, batch: 256 }, { lr: 1, batch: 256, finalTestAccuracy: 0.85 }),
  result({ init: 'skipinit', lr: 0.01, batch: 16 }, { lr: 0.01, batch: 16, finalTestAccuracy: 0.85 }),
  result({ init: 'skipinit', lr: 0.1, batch: 16 }, { lr: 0.1, batch: 16, finalTestAccuracy: 0.85 }),
  result({ init: 'skipinit', lr: 1, batch: 16 }, { lr: 1, batch: 16, diverged: true }),
  result({ init: 'skipinit', lr: 0.01, batch: 256 }, { lr: 0.01, batch: 256, finalTestAccuracy: 0.6 }),
  result({ init: 'skipinit', lr: 0.1, batch: 256 }, { lr: 0.1, batch: 256, diverged: true }),
  result({ init: 'skipinit', lr: 1, batch: 256 }, { lr: 1, batch: 256, diverged: true }),
];

describe('derived tables', () => {
  test('scheme labels leave out lr, batch, seed and depth axes', () => {
    expect(schemeLabels({ axes }, results.slice(0, 1))).toEqual(['bn']);
    const two = [{ name: 'norm', values: ['bn'] }, ...axes];
    expect(schemeLabels({ axes: two }, [result({ norm: 'bn', init: 'he', lr: 0.1, batch: 16 }, { lr: 0.1, batch: 16 })])).toEqual(['norm=bn init=he']);
    expect(schemeLabels({ axes: [{ name: 'lr', values: [1] }] }, [results[0]])).toEqual(['all']);
  });

  test('a depth axis is one whose values set the number of blocks', () => {
    const deep = [
      result({ depth: 10, init: 'bn' }, { lr: 0.1, batch: 16, depth: 10 }),
      result({ depth: 100, init: 'bn' }, { lr: 0.1, batch: 16, depth: 100 }),
    ];
    expect(depthAxes({ axes: [{ name: 'depth', values: [10, 100] }, { name: 'init', values: ['bn'] }] }, deep)).toEqual(['depth']);
  });

  test('per batch size: optimal lr (best accuracy, ties to the smaller lr), largest stable lr, smallest diverged lr', () => {
    const rows = batchRows(lrPoints({ axes }, results));
    expect(rows.map((r) => [r.batch, r.scheme, r.optimalLr, r.optimalAccuracy, r.largestStableLr, r.smallestFailedLr])).toEqual([
      [16, 'bn', 0.1, 0.9, 0.1, 1],
      [16, 'skipinit', 0.01, 0.85, 0.1, 1],
      [256, 'bn', 1, 0.85, 1, null],
      [256, 'skipinit', 0.01, 0.6, 0.01, 0.1],
    ]);
    expect(toMarkdown(batchTable(rows))).toBe(
      [
        '| batch | scheme   | lrs tried | optimal lr | test acc at optimal lr | largest stable lr | smallest failed lr |',
        '| ----: | -------- | --------: | ---------: | ---------------------: | ----------------: | -----------------: |',
        '|    16 | bn       |         3 |        0.1 |                 90.00% |               0.1 |                  1 |',
        '|    16 | skipinit |         3 |       0.01 |                 85.00% |               0.1 |                  1 |',
        '|   256 | bn       |         3 |          1 |                 85.00% |                 1 |                    |',
        '|   256 | skipinit |         3 |       0.01 |                 60.00% |              0.01 |                0.1 |',
        '',
      ].join('\n'),
    );
  });

  test('a run that completes at chance accuracy (twice chance or less) fails like a diverged one', () => {
    const stalled = [
      result({ init: 'bn', lr: 0.1, batch: 16 }, { lr: 0.1, batch: 16, finalTestAccuracy: 0.9 }),
      result({ init: 'bn', lr: 1, batch: 16 }, { lr: 1, batch: 16, finalTestAccuracy: 0.2 }),
      result({ init: 'bn', lr: 3, batch: 16 }, { lr: 3, batch: 16, finalTestAccuracy: 0.1 }),
    ];
    const points = lrPoints({ axes }, stalled);
    expect(points.map((p) => [p.lr, p.diverged, p.stalled])).toEqual([
      [0.1, false, false],
      [1, false, true],
      [3, false, true],
    ]);
    expect(batchRows(points)[0]).toMatchObject({ optimalLr: 0.1, largestStableLr: 0.1, smallestFailedLr: 1 });
  });

  test('per depth: each scheme at its optimal lr; "failed" when every lr failed', () => {
    const all = [...results, result({ init: 'fixup', lr: 1, batch: 16 }, { lr: 1, batch: 16, diverged: true })];
    const t = depthTable(batchRows(lrPoints({ axes }, all)));
    expect(t.columns.map((c) => c.key)).toEqual(['blocks', 'batch', 'bn', 'skipinit', 'fixup']);
    expect(t.rows).toEqual([
      { blocks: 10, batch: 16, bn: 0.9, skipinit: 0.85, fixup: 'failed' },
      { blocks: 10, batch: 256, bn: 0.85, skipinit: 0.6, fixup: null },
    ]);
  });

  test('replicates (cells differing by seed) are averaged; one diverged replicate makes the lr unstable', () => {
    const reps = [
      result({ init: 'bn', seed: 0 }, { lr: 0.1, batch: 16, seed: 0, finalTestAccuracy: 0.8 }),
      result({ init: 'bn', seed: 1 }, { lr: 0.1, batch: 16, seed: 1, finalTestAccuracy: 0.9 }),
      result({ init: 'bn', seed: 0 }, { lr: 1, batch: 16, seed: 0, finalTestAccuracy: 0.95 }),
      result({ init: 'bn', seed: 1 }, { lr: 1, batch: 16, seed: 1, diverged: true }),
    ];
    const seeds = [{ name: 'init', values: ['bn'] }, { name: 'seed', values: [0, 1] }];
    const points = lrPoints({ axes: seeds }, reps);
    expect(points.map((p) => [p.lr, p.accuracy, p.diverged, p.replicates])).toEqual([
      [0.1, 0.8500000000000001, false, 2],
      [1, 0.95, true, 2],
    ]);
    expect(batchRows(points)[0]).toMatchObject({ optimalLr: 0.1, largestStableLr: 0.1, smallestFailedLr: 1 });
  });
});

describe('results', () => {
  test('the results table: settings, final and best test accuracy, final training loss, diverged', () => {
    const t = resultsTable({ axes: [{ name: 'init', values: ['bn'] }] }, [
      { ...results[1], bestTestAccuracy: 0.91 },
      { ...results[2], divergedAt: 7, finalTrainLoss: null },
    ]);
    expect(t.columns.map((c) => c.key)).toEqual(['cell', 'init', 'lr', 'batch', 'blocks', 'status', 'test_accuracy', 'best_test_accuracy', 'train_loss', 'diverged', 'steps']);
    expect(t.rows[1]).toMatchObject({ init: 'bn', lr: 1, status: 'diverged', test_accuracy: null, diverged: true });
    expect(t.rows[0]).toMatchObject({ test_accuracy: 0.9, best_test_accuracy: 0.91 });
  });

  test('metrics.jsonl: a last line cut short by a kill is left out; a bad line in the middle is an error', () => {
    expect(parseMetrics('{"type":"step","step":1}\n{"type":"st')).toEqual([{ type: 'step', step: 1 }]);
    expect(() => parseMetrics('{"type":"step","step":1}\n{oops\n{"type":"step","step":2}\n')).toThrow(/metrics line 2 is not valid JSON/);
  });
});
