// Laws of inference over random valid graphs.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { arbGraph } from '../test/arbitrary';
import type { NodeInfo } from './infer';
import { inferGraph } from './infer';
import type { Graph, Node } from './types';

/** Every resblock x k written out as k blocks of count 1 (a repeat's body is left alone). */
function writeOut(g: Graph): Graph {
  const expand = (nodes: Node[]): Node[] =>
    nodes.flatMap((n): Node[] => {
      if (n.kind === 'resblock') return Array.from({ length: n.count }, () => ({ ...n, count: 1 }));
      if (n.kind === 'stage') return [{ ...n, body: expand(n.body) }];
      return [n];
    });
  return { ...g, nodes: expand(g.nodes) };
}

function checkSums(n: NodeInfo): void {
  if (n.runs) {
    expect(n.params).toBe(n.runs.reduce((s, r) => s + r.reps * r.params, 0));
    expect(n.runs.reduce((s, r) => s + r.reps, 0)).toBe(n.blocks);
    for (const r of n.runs) {
      const layers = [...r.pre, ...r.branch, ...r.shortcut];
      expect(r.params).toBe(layers.reduce((s, l) => s + l.params, 0) + (r.expanded.alpha?.learnable ? 1 : 0));
    }
  }
  if (n.body) expect(n.params).toBe(n.body.reduce((s, b) => s + b.params, 0));
  if (n.repeats) expect(n.params).toBe(n.repeats.reduce((s, r) => s + r.reps * r.body.reduce((t, b) => t + b.params, 0), 0));
  if (n.head) expect(n.params).toBe(n.head.reduce((s, l) => s + l.params, 0));
  for (const b of n.body ?? []) checkSums(b);
  for (const r of n.repeats ?? []) for (const b of r.body) checkSums(b);
}

describe('inference laws', () => {
  it('total params = sum of node params, at every level', () => {
    fc.assert(
      fc.property(arbGraph, (g) => {
        const r = inferGraph(g);
        expect(r.issues.filter((i) => i.severity === 'error')).toEqual([]);
        expect(r.params).toBe(r.nodes.reduce((s, n) => s + n.params, 0));
        expect(r.flops).toBe(r.nodes.reduce((s, n) => s + n.flops, 0));
        for (const n of r.nodes) checkSums(n);
      }),
      { numRuns: 300, seed: 2 },
    );
  });

  it('a compact repetition infers exactly like the blocks written out', () => {
    fc.assert(
      fc.property(arbGraph, (g) => {
        const a = inferGraph(g);
        const b = inferGraph(writeOut(g));
        expect([b.params, b.buffers, b.flops, b.blocks, b.output]).toEqual([a.params, a.buffers, a.flops, a.blocks, a.output]);
      }),
      { numRuns: 200, seed: 3 },
    );
  });

  it('every node\'s input is the previous node\'s output', () => {
    fc.assert(
      fc.property(arbGraph, (g) => {
        const r = inferGraph(g);
        for (let i = 1; i < r.nodes.length; i++) expect(r.nodes[i].inShape).toEqual(r.nodes[i - 1].outShape);
      }),
      { numRuns: 100, seed: 4 },
    );
  });
});
