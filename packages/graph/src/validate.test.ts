import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { deepMlp, wideResNet } from '../test/fixtures';
import { conv, custom, dense, graph, head, input, preact, relu, resblock, stage } from './builders';
import type { Graph, Span } from './types';
import { validateGraph } from './validate';

const codes = (g: unknown) => validateGraph(g).map((i) => [i.code, i.where]);

describe('validateGraph', () => {
  it('accepts the fixtures without a word', () => {
    expect(validateGraph(wideResNet(16, 4))).toEqual([]);
    expect(validateGraph(deepMlp(1000))).toEqual([]);
  });

  it('requires a graph object with nodes, the input first and only there', () => {
    expect(codes(null)).toEqual([['graph/bad-attribute', '']]);
    expect(codes({ name: 'x', nodes: [] })).toEqual([['graph/empty', 'nodes']]);
    expect(codes(graph('x', [relu()]))).toEqual([['graph/input-first', 'nodes[0]']]);
    expect(codes(graph('x', [input(3), input(3)]))).toEqual([['graph/misplaced-node', 'nodes[1]']]);
    expect(codes({ name: 'x', nodes: [input(3)], extra: 1 })).toEqual([['graph/bad-attribute', 'extra']]);
  });

  it('names the node and attribute of a bad size, at its path', () => {
    const issues = validateGraph(graph('x', [input([3, 8, 8]), conv(0), conv(4, { stride: 1.5 })]));
    expect(issues.map((i) => [i.code, i.where, i.message])).toEqual([
      ['graph/not-positive', 'nodes[1].out', "conv: 'out' must be a positive integer, got 0"],
      ['graph/not-positive', 'nodes[2].stride', "conv: 'stride' must be a positive integer, got 1.5"],
    ]);
  });

  it('suggests the closest name for an unknown one', () => {
    const g = graph('x', [input(8), resblock({ branch: { ...preact({ kind: 'mlp', width: 8 }), norm: 'bm' as 'bn' } })]);
    const [issue] = validateGraph(g);
    expect(issue.code).toBe('graph/unknown-name');
    expect(issue.where).toBe('nodes[1].branch.norm');
    expect(issue.message).toBe("branch: unknown norm 'bm'; did you mean 'bn'? (expected one of bn, ln, none)");
    expect(validateGraph({ name: 'x', nodes: [input(3), { kind: 'desne', units: 3 }] })[0].message).toBe(
      'unknown node kind "desne"; did you mean \'dense\'?',
    );
    expect(validateGraph({ name: 'x', nodes: [input(3), { ...dense(3), unit: 3 }] })[0].message).toBe(
      "dense: unknown attribute 'unit'; did you mean 'units' or 'init'?",
    );
  });

  it('checks ranges of probabilities, momentum and eps', () => {
    const g = {
      name: 'x',
      nodes: [input(4), { kind: 'dropout', p: 1 }, { kind: 'batchnorm', momentum: 1.5, eps: 1e-5, affine: true }, { kind: 'layernorm', eps: 0, affine: true }],
    };
    expect(codes(g)).toEqual([
      ['graph/out-of-range', 'nodes[1].p'],
      ['graph/out-of-range', 'nodes[2].momentum'],
      ['graph/out-of-range', 'nodes[3].eps'],
    ]);
  });

  it('enforces the stated limits', () => {
    expect(codes(graph('x', [input(8), dense(100_000)]))).toEqual([['graph/limit', 'nodes[1].units']]);
    expect(codes(graph('x', [input(8), resblock({ count: 2_000_000, branch: preact({ kind: 'mlp', width: 8 }) })]))).toEqual([
      ['graph/limit', 'nodes[1].count'],
    ]);
    const many = graph('x', [input(8), { kind: 'repeat', count: 1000, body: [resblock({ count: 1001, branch: preact({ kind: 'mlp', width: 8 }) })] }]);
    expect(validateGraph(many).map((i) => i.message)).toEqual(['the network has 1001000 residual blocks; the limit is 1000000']);
    expect(codes(graph('x', [input([3, 5000, 8])]))).toEqual([['graph/limit', 'nodes[0].shape']]);
  });

  it('keeps composites out of branches and finds duplicate ids', () => {
    const inner = custom('bad', [resblock({ branch: preact({ kind: 'mlp', width: 4 }) }) as never]);
    expect(codes(graph('x', [input(4), resblock({ branch: inner })]))).toEqual([['graph/misplaced-node', 'nodes[1].branch.nodes[0]']]);
    expect(codes(graph('x', [input(4, { id: 'a' }), relu({ id: 'a' })]))).toEqual([['graph/duplicate-id', 'nodes[1]']]);
  });

  it('checks a stage\'s block count against its body', () => {
    const s = stage({ width: 8, blocks: 3, block: { branch: {} } });
    expect(codes(graph('x', [input([8, 4, 4]), { ...s, blocks: 4 }]))).toEqual([['graph/stage-mismatch', 'nodes[1]']]);
  });

  it('warns (not errors) about a bias right before batch norm', () => {
    const issues = validateGraph(graph('x', [input([3, 8, 8]), conv(4), { kind: 'batchnorm', momentum: 0.1, eps: 1e-5, affine: true }]));
    expect(issues.map((i) => [i.code, i.severity])).toEqual([['graph/redundant-bias', 'warning']]);
    const b = validateGraph(graph('x', [input(4), resblock({ branch: preact({ kind: 'mlp', width: 4, bias: true }) })]));
    expect(b.map((i) => i.severity)).toEqual(['warning']);
    expect(validateGraph(graph('x', [input(4), resblock({ branch: preact({ kind: 'mlp', width: 4, bias: true, norm: 'none' }) })]))).toEqual([]);
  });

  it('carries the nearest span: the node\'s own or its enclosing one', () => {
    const span: Span = { offset: 0, endOffset: 5, line: 1, col: 1, endLine: 1, endCol: 6 };
    const g = graph('x', [input(4), resblock({ span, branch: custom('c', [dense(0)]) })]);
    expect(validateGraph(g)[0]).toMatchObject({ where: 'nodes[1].branch.nodes[0].units', span });
  });

  it('never throws, whatever it is given', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (v) => {
        validateGraph(v);
        validateGraph({ name: 'x', nodes: [input(3), v] });
        validateGraph({ name: 'x', nodes: [input(3), { kind: 'resblock', count: 1, branch: v }] });
      }),
      { numRuns: 500, seed: 7 },
    );
  });

  it('never throws on mutated valid graphs', () => {
    const base: Graph = graph('x', [input([3, 8, 8]), conv(4), stage({ width: 8, blocks: 2, stride: 2, block: { branch: {} } }), relu(), head(3)]);
    const text = JSON.stringify(base);
    fc.assert(
      fc.property(fc.nat(text.length - 1), fc.string({ maxLength: 3 }), (at, s) => {
        let v: unknown;
        try {
          v = JSON.parse(text.slice(0, at) + s + text.slice(at + 1));
        } catch {
          return;
        }
        validateGraph(v);
      }),
      { numRuns: 1000, seed: 11 },
    );
  });
});
