import type { Graph } from '@skipinit/graph';
import { resolveTrainSpec } from '@skipinit/graph';
import { describe, expect, test } from 'vitest';
import { mlp } from '../../test/nets';
import { planSweep } from './plan';

const train = (lr: number) => resolveTrainSpec({ data: { name: 'blobs', batch: 16 }, optimizer: { name: 'sgd', lr }, steps: 10 });
const withSpans = (g: Graph): Graph => ({
  ...g,
  nodes: g.nodes.map((n, i) => ({ ...n, span: { offset: i, endOffset: i + 1, line: i + 1, col: 1, endLine: i + 1, endCol: 2 } })),
});
/** The same graph with every object's keys in reverse order. */
const reversed = <T>(v: T): T =>
  Array.isArray(v) ? (v.map(reversed) as T) : v !== null && typeof v === 'object' ? (Object.fromEntries(Object.entries(v).reverse().map(([k, x]) => [k, reversed(x)])) as T) : v;

describe('planSweep: cells keyed by the hash of their resolved configuration', () => {
  const cell = (index: number, g: Graph, lr: number) => ({ index, key: `lr=${lr}`, values: { lr }, graph: g, train: train(lr) });

  test('the same configuration gets the same key and directory, whatever its key order or source spans', () => {
    const [a] = planSweep([cell(0, mlp(3), 0.1)]);
    const [b] = planSweep([cell(5, reversed(withSpans(mlp(3))), 0.1)]);
    expect(b.hash).toBe(a.hash);
    expect(b.dir).toBe(a.dir);
    expect(a.hash).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(a.dir).toBe(`cells/${a.hash.slice(7, 23)}`);
    expect({ depth: a.depth, lr: a.lr, batch: a.batch, seed: a.seed }).toEqual({ depth: 3, lr: 0.1, batch: 16, seed: 0 });
  });

  test('anything that changes the run changes the key: the learning rate, the graph, the logging', () => {
    const base = planSweep([cell(0, mlp(3), 0.1)])[0].hash;
    expect(planSweep([cell(0, mlp(3), 0.2)])[0].hash).not.toBe(base);
    expect(planSweep([cell(0, mlp(4), 0.1)])[0].hash).not.toBe(base);
    expect(planSweep([cell(0, mlp(3), 0.1)], { logEvery: 5, evalBatchSize: 500, checkpointEvery: 'eval' })[0].hash).not.toBe(base);
    // how often checkpoints are written does not change the results, so it does not change the key
    expect(planSweep([cell(0, mlp(3), 0.1)], { logEvery: 1, evalBatchSize: 500, checkpointEvery: 7 })[0].hash).toBe(base);
  });

  test('two cells with one configuration (an axis that changes nothing) are an error naming both', () => {
    expect(() => planSweep([cell(0, mlp(3), 0.1), { ...cell(1, mlp(3), 0.1), key: 'unused=1' }])).toThrow(/sweep cells 'lr=0.1' and 'unused=1' resolve to the same configuration/);
  });

  test('a cell whose graph has errors is an error naming the cell', () => {
    const broken: Graph = { name: 'b', nodes: [] };
    expect(() => planSweep([cell(3, broken, 0.1)])).toThrow(/sweep cell 3 \(lr=0.1\): the graph has errors/);
  });
});
