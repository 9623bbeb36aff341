import type { Graph, ResblockNode, StageNode } from '@skipinit/graph';
import { batchnorm, conv, custom, dense, graph, head, inferGraph, input, relu, resblock } from '@skipinit/graph';
import { describe, expect, test } from 'vitest';
import { convnet, mlp } from '../test/nets';
import { ANALYSIS_SCHEMES, withScheme } from './schemes';

const blocks = (g: Graph): ResblockNode[] =>
  g.nodes.flatMap((n) => (n.kind === 'resblock' ? [n] : n.kind === 'stage' ? (n as StageNode).body.filter((b): b is ResblockNode => b.kind === 'resblock') : []));

describe('withScheme', () => {
  test.each(ANALYSIS_SCHEMES)('%s rewrites every block (stages too) and the graph still infers', (scheme) => {
    const g = withScheme(convnet(2, { norm: 'bn', init: 'skipinit' }), scheme);
    expect(inferGraph(g).ok).toBe(true);
    const want = { plain: ['none', 'plain'], bn: ['bn', 'plain'], ln: ['ln', 'plain'], skipinit: ['none', 'skipinit'], scaled: ['none', 'scaled'], fixup: ['none', 'fixup'], nf: ['none', 'nf'], regularised_skipinit: ['none', 'skipinit'] }[scheme];
    for (const b of blocks(g)) expect([b.branch.kind === 'custom' ? null : b.branch.norm, b.scheme]).toEqual(want);
  });

  test('nf and regularised_skipinit put biases on the built-in branch; regularised_skipinit adds dropout 0.2 to the head', () => {
    const g = convnet(2, { norm: 'bn', init: 'plain' });
    for (const b of blocks(withScheme(g, 'nf'))) expect(b.branch).toMatchObject({ norm: 'none', bias: true });
    const reg = withScheme(g, 'regularised_skipinit');
    for (const b of blocks(reg)) expect([b.scheme, b.branch]).toMatchObject(['skipinit', { norm: 'none', bias: true }]);
    expect(reg.nodes.find((n) => n.kind === 'head')).toMatchObject({ dropout: 0.2 });
    expect(withScheme(g, 'skipinit').nodes.find((n) => n.kind === 'head')).toMatchObject({ dropout: 0 });
  });

  test('drops explicit alpha/learnable, keeps the weight initialiser, does not change its input', () => {
    const original = graph('g', [input([4]), resblock({ branch: custom('b', [relu(), dense(4)]), init: 'xavier', alpha: 0.3, learnable: true }), head(2)]);
    const before = JSON.stringify(original);
    const b = blocks(withScheme(original, 'skipinit'))[0];
    expect(b.alpha).toBeUndefined();
    expect(b.learnable).toBeUndefined();
    expect(b.weights).toBe('xavier');
    expect(JSON.stringify(original)).toBe(before);
  });

  test('custom branches: norm layers removed without norm, turned into the scheme norm with it', () => {
    const g = graph('g', [input([2, 4, 4]), resblock({ branch: custom('b', [batchnorm(), relu(), conv(2)]), init: 'plain' }), head(2)]);
    expect(blocks(withScheme(g, 'plain'))[0].branch).toMatchObject({ nodes: [{ kind: 'activation' }, { kind: 'conv' }] });
    expect(blocks(withScheme(g, 'ln'))[0].branch).toMatchObject({ nodes: [{ kind: 'layernorm', eps: 1e-5, affine: true }, {}, {}] });
  });

  test('errors: a custom branch without a norm cannot take bn; an unknown scheme names the known ones', () => {
    const g = graph('g', [input([4]), resblock({ branch: custom('mine', [relu(), dense(4)]) }), head(2)]);
    expect(() => withScheme(g, 'bn')).toThrow("nodes[1]: scheme 'bn' puts batch norm in the branch, but block 'mine' is user-defined and has no norm layer");
    expect(() => withScheme(mlp(2), 'batchnorm' as never)).toThrow("unknown scheme 'batchnorm'; expected one of plain, bn, ln, skipinit, scaled, fixup, nf, regularised_skipinit");
  });
});
