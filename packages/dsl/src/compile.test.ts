import { expandSweep } from '@skipinit/graph';
import type { ResblockNode, StageNode } from '@skipinit/graph';
import { describe, expect, it } from 'vitest';
import { compile } from './compile';
import { cellOverrides } from './sweep-cells';

const DESIGN = `let depth = 1000
let init  = skipinit

model deep_mlp {
  input 1x28x28
  flatten
  dense 128
  resblock x depth, kind=mlp, width=128, norm=none, init=init
  relu
  dense 10
}

train {
  data mnist, batch=64
  sgd lr=0.01, momentum=0.9, weight_decay=5e-4
  schedule cosine, warmup=100
  steps 2000, eval_every=500, seed=0
}

sweep {
  init  = [skipinit, he]
  lr    = [0.01, 0.1]
}
`;

const ok = (src: string, overrides?: Record<string, string | number | boolean>) => {
  const r = compile(src, { file: 't.arch', ...(overrides ? { overrides } : {}) });
  expect(r.errors.map((e) => `${e.code}: ${e.message}`)).toEqual([]);
  return r;
};
const codes = (src: string, overrides?: Record<string, string | number | boolean>): string[] =>
  compile(src, { file: 't.arch', ...(overrides ? { overrides } : {}) }).errors.map((e) => e.code);

describe('compile', () => {
  it("compiles a whole deep-MLP study (model, train recipe and sweep in one file): one resblock node with a count, the train recipe, the sweep", () => {
    const r = ok(DESIGN);
    const res = r.graph!.nodes[3] as ResblockNode;
    expect(res).toMatchObject({ kind: 'resblock', count: 1000, scheme: 'skipinit', weights: 'he', shortcut: 'auto' });
    expect(res.branch).toEqual({ kind: 'mlp', width: 128, stride: 1, kernel: 3, norm: 'none', act: 'relu', bias: false, dropout: 0 });
    expect(r.graph!.nodes.map((n) => n.kind)).toEqual(['input', 'flatten', 'dense', 'resblock', 'activation', 'dense']);
    expect(r.inference!.blocks).toBe(1000);
    expect(r.train).toEqual({
      data: { name: 'mnist', batch: 64 },
      optimizer: { name: 'sgd', lr: 0.01, momentum: 0.9, weightDecay: 5e-4 },
      schedule: { name: 'cosine', warmup: 100 },
      steps: 2000,
      evalEvery: 500,
      seed: 0,
    });
    expect(r.sweep!.axes.map((a) => [a.name, a.target, a.values])).toEqual([
      ['init', 'let', ['skipinit', 'he']],
      ['lr', 'train', [0.01, 0.1]],
    ]);
    expect(r.lets).toEqual({ depth: 1000, init: 'skipinit' });
  });

  it('puts the source span of its statement on every node', () => {
    const r = ok(DESIGN);
    const res = r.graph!.nodes[3];
    expect(res.span).toMatchObject({ file: 't.arch', line: 8, col: 3 });
    expect(DESIGN.slice(res.span!.offset, res.span!.endOffset)).toBe('resblock x depth, kind=mlp, width=128, norm=none, init=init');
  });

  it('lowers a stage to a first block with the stride and a block x (blocks-1)', () => {
    const r = ok('model m {\n  input 3x32x32\n  conv 16\n  stage width=32, blocks=4, stride=2 { resblock norm=bn, init=fixup }\n  head 10\n}\n');
    const stage = r.graph!.nodes[2] as StageNode;
    expect(stage).toMatchObject({ kind: 'stage', width: 32, blocks: 4, stride: 2 });
    expect(stage.body.map((b) => [(b as ResblockNode).count, ((b as ResblockNode).branch as { stride: number }).stride])).toEqual([
      [1, 2],
      [3, 1],
    ]);
    expect(r.inference!.output).toEqual([10]);
  });

  it('uses a user block as a residual branch, passing width and stride to parameters of those names', () => {
    const src = `block bottleneck(width, stride=1) {
  let mid = width / 4
  conv mid, kernel=1
  conv mid, stride=stride
  conv width, kernel=1
}
model m {
  input 3x32x32
  conv 64
  resblock x 2, branch=bottleneck(64)
  stage width=128, blocks=2, stride=2 { resblock branch=bottleneck }
  head 10
}
`;
    const r = ok(src);
    const res = r.graph!.nodes[2] as ResblockNode;
    expect(res.branch).toMatchObject({ kind: 'custom', name: 'bottleneck', args: { width: 64 } });
    expect((res.branch as { nodes: { kind: string; out: number }[] }).nodes.map((n) => `${n.kind} ${n.out}`)).toEqual(['conv 16', 'conv 16', 'conv 64']);
    const first = (r.graph!.nodes[3] as StageNode).body[0] as ResblockNode;
    expect(first.branch).toMatchObject({ args: { width: 128, stride: 2 } });
    expect(r.inference!.output).toEqual([10]);
  });

  it('inlines a block used as a statement, and repeats it compactly with x N', () => {
    const r = ok('block act(p) {\n  relu\n  dropout p\n}\nmodel m {\n  input 784\n  act 0.1\n  act x 3, p=0.2\n  head 10\n}\n');
    expect(r.graph!.nodes.map((n) => n.kind)).toEqual(['input', 'activation', 'dropout', 'repeat', 'head']);
    expect(r.graph!.nodes[3]).toMatchObject({ kind: 'repeat', count: 3, body: [{ kind: 'activation' }, { kind: 'dropout', p: 0.2 }] });
  });

  it('defaults a resblock to kind=mlp on a flat input and kind=conv on an image', () => {
    const flat = ok('model m { input 784; resblock width=784; head 10 }');
    expect((flat.graph!.nodes[1] as ResblockNode).branch).toMatchObject({ kind: 'mlp' });
    const image = ok('model m { input 3x8x8; resblock width=3; head 10 }');
    expect((image.graph!.nodes[1] as ResblockNode).branch).toMatchObject({ kind: 'conv' });
  });

  it('replaces lets with overrides (numbers, names, expressions)', () => {
    const r = ok(DESIGN, { depth: 100, init: 'he', lr: '0.5' });
    expect((r.graph!.nodes[3] as ResblockNode).count).toBe(100);
    expect(r.graph!.nodes[3]).toMatchObject({ scheme: 'plain', weights: 'he' });
    expect(r.train!.optimizer!.lr).toBe(0.5);
    expect(r.lets).toEqual({ depth: 100, init: 'he' });
    expect((ok(DESIGN, { depth: '2 * 5' }).graph!.nodes[3] as ResblockNode).count).toBe(10);
  });

  it('lets --set steps replace epochs and the other way round', () => {
    const src = 'model m { input 784; head 10 }\ntrain {\n  data mnist\n  epochs 3\n}\n';
    expect(ok(src, { steps: 10 }).train).toMatchObject({ steps: 10 });
    expect(ok(src, { steps: 10 }).train!.epochs).toBeUndefined();
  });

  it('reports overrides that name nothing, with the closest names', () => {
    const r = compile(DESIGN, { file: 't.arch', overrides: { dpeth: 3 } });
    expect(r.errors).toHaveLength(1);
    expect(r.errors[0]).toMatchObject({ code: 'sem/unknown-override', file: '--set dpeth' });
    expect(r.errors[0].suggestions![0]).toBe('depth');
    expect(r.sources.get('--set dpeth')).toBe('dpeth=3');
  });

  it('compiles every sweep cell through cellOverrides', () => {
    const r = ok(DESIGN);
    const cells = expandSweep(r.sweep!, r.train);
    expect(cells.map((c) => c.key)).toEqual(['init=skipinit,lr=0.01', 'init=skipinit,lr=0.1', 'init=he,lr=0.01', 'init=he,lr=0.1']);
    const he = ok(DESIGN, cellOverrides(cells[3]));
    expect(he.graph!.nodes[3]).toMatchObject({ scheme: 'plain' });
    expect(he.train!.optimizer!.lr).toBe(0.1);
    expect(cells[3].train!.optimizer.lr).toBe(0.1);
  });

  it('compiles a cell whose let is used by a training setting, and list values', () => {
    const src = 'let lr = 0.1\nmodel m { input 784; head 10 }\ntrain {\n  data mnist\n  sgd lr=lr\n  schedule step, milestones=[1, 2]\n  epochs 3\n}\nsweep {\n  lr = [0.5, 1]\n  milestones = [[1], [1, 2]]\n}\n';
    const r = ok(src);
    const cells = expandSweep(r.sweep!, r.train);
    const last = ok(src, cellOverrides(cells[3]));
    expect(last.train).toMatchObject({ optimizer: { lr: 1 }, schedule: { milestones: [1, 2] } });
    expect(ok(src, cellOverrides(cells[0])).train).toMatchObject({ optimizer: { lr: 0.5 }, schedule: { milestones: [1] } });
  });

  it('checks each sweep value where it is written', () => {
    const r = compile(DESIGN.replace('[skipinit, he]', '[skipinit, hee]').replace('[0.01, 0.1]', '[0.01, 0]'), { file: 't.arch' });
    expect(r.errors.map((e) => [e.code, DESIGN.length > 0 && r.sources.get('t.arch')!.slice(e.span.start, e.span.end)])).toEqual([
      ['sem/unknown-init', 'hee'],
      ['sem/out-of-range', '0'],
    ]);
  });

  it('accepts a flat input of the data set size (the images come flattened)', () => {
    ok('model m { input 784; head 10 }\ntrain { data mnist; steps 1 }');
    expect(codes('model m { input 785; head 10 }\ntrain { data mnist; steps 1 }')).toEqual(['sem/data-mismatch']);
  });

  it('reports every error of a file, each once', () => {
    const src = 'let init = skipint\nmodel m {\n  input 784\n  desne 10\n  resblock x 2, width=64, init=init, norm=bm\n  resblock x 2, width=64, init=init\n}\ntrain {\n  data mnsit\n}\n';
    expect(codes(src)).toEqual(['sem/unknown-init', 'sem/unknown-layer', 'sem/unknown-norm', 'sem/unknown-dataset']);
  });

  it('answers a huge repetition instantly with a limit, not by building it', () => {
    const t0 = performance.now();
    expect(codes('model m { input 784; resblock x 1000000000, width=128; head 10 }')).toEqual(['limit/repeat']);
    expect(codes('model m { input 784; resblock x 1000, width=1000000000000; head 10 }')).toEqual(['limit/width']);
    expect(codes('model m { input 784; stage width=8, blocks=1000, stride=1 { resblock } x 1000000; head 10 }')).toEqual(['parse/expected-end-of-statement']);
    expect(codes('model m { input 784; stage x 1000000, width=8, blocks=1000 { resblock }; head 10 }')).toEqual(['limit/blocks']);
    expect(performance.now() - t0).toBeLessThan(1000);
  });

  it('never throws, whatever it is given', () => {
    for (const bad of [undefined, null, 42, {}, '\u0000', '\ud800', 'model m { input 784; head 10 }\u2028']) {
      const r = compile(bad as unknown as string);
      expect(r.errors.every((e) => e.code !== 'internal/error')).toBe(true);
    }
  });
});
