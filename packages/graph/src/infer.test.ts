import { describe, expect, it } from 'vitest';
import { deepMlp, wideResNet } from '../test/fixtures';
import {
  batchnorm,
  conv,
  custom,
  dense,
  flatten,
  globalPool,
  graph,
  head,
  input,
  pool,
  preact,
  relu,
  repeat,
  resblock,
  stage,
} from './builders';
import type { NodeInfo } from './infer';
import { inferGraph } from './infer';
import type { Graph, Span } from './types';

const infer = (g: Graph) => {
  const r = inferGraph(g);
  expect(r.issues.filter((i) => i.severity === 'error')).toEqual([]);
  return r;
};

/** Hand count of a pre-activation conv block with batch norm: bn(in) + conv in->w + bn(w) + conv w->w [+ 1x1 projection]. */
const preactConvParams = (cin: number, w: number, project: boolean): number =>
  2 * cin + cin * w * 9 + 2 * w + w * w * 9 + (project ? cin * w : 0);

describe('inferGraph: Wide-ResNet 16-4', () => {
  const r = infer(wideResNet(16, 4));

  it('infers every stage output shape', () => {
    expect(r.input).toEqual([3, 32, 32]);
    expect(r.nodes.map((n) => n.outShape)).toEqual([
      [3, 32, 32],
      [16, 32, 32],
      [64, 32, 32],
      [128, 16, 16],
      [256, 8, 8],
      [256, 8, 8],
      [256, 8, 8],
      [10],
    ]);
    expect(r.output).toEqual([10]);
    expect(r.blocks).toBe(6);
  });

  it('counts parameters as by hand (2,748,890: the published 2.7M)', () => {
    const hand =
      3 * 16 * 9 +
      preactConvParams(16, 64, true) +
      preactConvParams(64, 64, false) +
      preactConvParams(64, 128, true) +
      preactConvParams(128, 128, false) +
      preactConvParams(128, 256, true) +
      preactConvParams(256, 256, false) +
      2 * 256 +
      (256 * 10 + 10);
    expect(r.params).toBe(hand);
    expect(r.params).toBe(2_748_890);
    // Running mean and variance of every batch norm: two per block, plus the final one.
    const bns = [16, 64, 64, 64, 64, 128, 128, 128, 128, 256, 256, 256, 256];
    expect(r.buffers).toBe(2 * bns.reduce((a, b) => a + b, 0));
  });

  it('projects exactly where the shape changes, from the pre-activated input', () => {
    const s2 = r.nodes[3].body!;
    const first = s2[0].runs![0];
    expect(first.inShape).toEqual([64, 32, 32]);
    expect(first.outShape).toEqual([128, 16, 16]);
    expect(first.expanded.pre.map((n) => n.kind)).toEqual(['batchnorm', 'activation']);
    expect(first.expanded.branch.map((n) => n.kind)).toEqual(['conv', 'batchnorm', 'activation', 'conv']);
    expect(first.expanded.shortcut).toEqual([
      { kind: 'conv', out: 128, kernel: 1, stride: 2, padding: 0, bias: false, init: 'he' },
    ]);
    expect(first.expanded.alpha).toBeNull();
    const second = s2[1].runs![0];
    expect(second.expanded.pre).toEqual([]);
    expect(second.expanded.shortcut).toEqual([]);
  });

  it('counts FLOPs of the first conv by hand', () => {
    expect(r.nodes[1].flops).toBe(2 * 3 * 9 * 16 * 32 * 32);
  });
});

describe('inferGraph: a 1000-block MLP', () => {
  const r = infer(deepMlp(1000));

  it('keeps the repetition as one run and counts it in O(1)', () => {
    const block = r.nodes[3];
    expect(block.runs).toHaveLength(1);
    expect(block.runs![0].reps).toBe(1000);
    // Per block: two 128x128 dense layers without bias, plus alpha.
    expect(block.runs![0].params).toBe(2 * 128 * 128 + 1);
    expect(block.params).toBe(1000 * (2 * 128 * 128 + 1));
    // Per block: relu 128, dense 2*128*128, relu 128, dense 2*128*128, alpha 128, add 128.
    expect(block.runs![0].flops).toBe(4 * 128 + 4 * 128 * 128);
    expect(r.blocks).toBe(1000);
    expect(r.params).toBe(100_480 + 1000 * 32_769 + 1_290);
  });

  it('gives skipinit blocks a learnable alpha of 0 and he weights', () => {
    const e = r.nodes[3].runs![0].expanded;
    expect(e.alpha).toEqual({ init: 0, learnable: true });
    expect(e.branch).toEqual([
      { kind: 'activation', fn: 'relu' },
      { kind: 'dense', units: 128, bias: false, init: 'he' },
      { kind: 'activation', fn: 'relu' },
      { kind: 'dense', units: 128, bias: false, init: 'he' },
    ]);
  });

  it('scaled blocks get a fixed alpha 1/sqrt(d) with d counted over the network', () => {
    const e = infer(deepMlp(400, 'bn', 'scaled')).nodes[3].runs![0].expanded;
    expect(e.alpha).toEqual({ init: 0.05, learnable: false });
    expect(e.branch.map((n) => n.kind)).toEqual(['batchnorm', 'activation', 'dense', 'batchnorm', 'activation', 'dense']);
  });
});

describe('inferGraph: Fixup', () => {
  const g = graph('fixup', [
    input([3, 16, 16]),
    conv(8, { bias: false }),
    stage({ width: 8, blocks: 16, stride: 1, block: { init: 'fixup', branch: { norm: 'none' } } }),
    relu(),
    head(10),
  ]);
  const r = infer(g);

  it('zeroes the last branch layer, scales the others by d^(-1/(2m-2)) and adds scalar biases', () => {
    const e = r.nodes[2].body![0].runs![0].expanded;
    expect(e.pre).toEqual([]);
    expect(e.branch).toEqual([
      { kind: 'bias', init: 0 },
      { kind: 'activation', fn: 'relu' },
      { kind: 'bias', init: 0 },
      { kind: 'conv', out: 8, kernel: 3, stride: 1, padding: 'same', bias: false, init: 'he', gain: 0.25 },
      { kind: 'bias', init: 0 },
      { kind: 'activation', fn: 'relu' },
      { kind: 'bias', init: 0 },
      { kind: 'conv', out: 8, kernel: 3, stride: 1, padding: 'same', bias: false, init: 'zeros' },
      { kind: 'bias', init: 0 },
    ]);
    expect(e.alpha).toEqual({ init: 1, learnable: true });
    // 5 scalar biases + 1 multiplier per block.
    expect(r.nodes[2].body![0].runs![0].params).toBe(2 * 8 * 8 * 9 + 6);
  });

  it('zero-initialises the classifier', () => {
    expect(r.nodes[4].head!.at(-1)!.node).toMatchObject({ kind: 'dense', units: 10, init: 'zeros' });
    const plain = infer(wideResNet(16, 1, 'none', 'plain'));
    expect(plain.nodes.at(-1)!.head!.at(-1)!.node).toMatchObject({ init: 'he' });
  });
});

describe('inferGraph: repetition', () => {
  it('walks repetitions only while they change the shape', () => {
    const g = graph('strided', [input([4, 32, 32]), resblock({ count: 100, branch: preact({ width: 8, stride: 2 }) })]);
    const r = infer(g);
    const runs = r.nodes[1].runs!;
    // 32 -> 16 -> 8 -> 4 -> 2 -> 1, then 1x1 stays 1x1 (same padding rounds up).
    expect(runs.map((x) => [x.reps, x.outShape.join('x')])).toEqual([
      [1, '8x16x16'],
      [1, '8x8x8'],
      [1, '8x4x4'],
      [1, '8x2x2'],
      [1, '8x1x1'],
      [95, '8x1x1'],
    ]);
    // Projections while the shape changes; the identity once it stays.
    expect(runs.map((x) => x.shortcut.length)).toEqual([1, 1, 1, 1, 1, 0]);
  });

  it('a compact repetition counts exactly like the blocks written out', () => {
    const block = () => resblock({ branch: preact({ width: 16, norm: 'ln' }), init: 'scaled' });
    const compact = infer(graph('c', [input([3, 8, 8]), resblock({ count: 7, branch: preact({ width: 16, norm: 'ln' }), init: 'scaled' })]));
    const written = infer(graph('w', [input([3, 8, 8]), ...Array.from({ length: 7 }, block)]));
    expect([compact.params, compact.flops, compact.buffers, compact.blocks]).toEqual([written.params, written.flops, written.buffers, written.blocks]);
    expect(compact.nodes[1].runs!.map((x) => x.reps)).toEqual([1, 6]);
  });

  it('repeat multiplies its body and d', () => {
    const g = graph('rep', [input([8]), repeat(3, [dense(8), relu(), resblock({ count: 2, branch: preact({ kind: 'mlp', width: 8 }) })])]);
    const r = infer(g);
    expect(r.blocks).toBe(6);
    const body = 8 * 8 + 8 + 2 * (2 * 8 + 64 + 2 * 8 + 64 + 1);
    expect(r.params).toBe(3 * body);
    expect(r.nodes[1].repeats).toHaveLength(1);
  });
});

describe('inferGraph: custom branches', () => {
  const bottleneck = (w: number, stride: number) =>
    custom('bottleneck', [batchnorm(), relu(), conv(w, { kernel: 1, bias: false }), batchnorm(), relu(), conv(w, { stride, bias: false }), batchnorm(), relu(), conv(4 * w, { kernel: 1, bias: false })], { width: w, stride });

  it('infers the projection from the shapes', () => {
    const r = infer(graph('b', [input([16, 8, 8]), resblock({ branch: bottleneck(8, 2) }), resblock({ count: 3, branch: bottleneck(8, 1) })]));
    expect(r.nodes[1].runs![0].expanded.shortcut).toEqual([{ kind: 'conv', out: 32, kernel: 1, stride: 2, padding: 0, bias: false, init: 'he' }]);
    expect(r.nodes[1].runs![0].expanded.pre).toEqual([]);
    expect(r.nodes[2].runs![0].expanded.shortcut).toEqual([]);
    expect(r.output).toEqual([32, 4, 4]);
  });
});

describe('inferGraph: errors carry where', () => {
  const span: Span = { file: 'net.arch', offset: 40, endOffset: 48, line: 4, col: 3, endLine: 4, endCol: 11 };

  it('dense after a conv without flatten', () => {
    const r = inferGraph(graph('e', [input([3, 8, 8]), conv(4), dense(10, { span })]));
    expect(r.ok).toBe(false);
    expect(r.issues).toEqual([
      {
        code: 'shape/needs-flat',
        severity: 'error',
        message: "dense 10 needs a flat input, got 4x8x8: add 'flatten' or 'pool global' before it",
        path: ['nodes', 2],
        where: 'nodes[2]',
        span,
      },
    ]);
    expect(r.output).toBeNull();
  });

  it('a stride or pool that shrinks a feature map to nothing', () => {
    const r = inferGraph(graph('e', [input([1, 4, 4]), pool('max'), pool('max'), pool('max')]));
    expect(r.issues.map((i) => [i.code, i.where, i.message])).toEqual([['shape/empty', 'nodes[3]', 'pool max 2x2/2 shrinks a 1x1x1 feature map to nothing']]);
    const conv5 = inferGraph(graph('e', [input([1, 4, 4]), conv(2, { kernel: 5, padding: 'valid' })]));
    expect(conv5.issues[0].code).toBe('shape/empty');
  });

  it('a projection-free residual whose shapes differ', () => {
    const r = inferGraph(graph('e', [input([16, 8, 8]), resblock({ branch: preact({ width: 32 }), shortcut: 'identity', span })]));
    expect(r.issues).toHaveLength(1);
    expect(r.issues[0]).toMatchObject({ code: 'shape/shortcut-mismatch', path: ['nodes', 1], span });
    expect(r.issues[0].message).toContain('16x8x8 to 32x8x8');
  });

  it('a channel mismatch inside a custom branch points at the branch layer', () => {
    const bad = custom('twoconv', [conv(8, { span }), flatten(), conv(8)]);
    const r = inferGraph(graph('e', [input([8, 4, 4]), resblock({ branch: bad })]));
    expect(r.issues[0]).toMatchObject({ code: 'shape/needs-image', path: ['nodes', 1, 'branch', 'nodes', 2] });
  });

  it('a branch no 1x1 projection can match', () => {
    const r = inferGraph(graph('e', [input([8, 4, 4]), resblock({ branch: custom('flat', [flatten(), dense(8)]) })]));
    expect(r.issues[0].code).toBe('shape/projection-impossible');
  });

  it('a stage whose description disagrees with its body', () => {
    const s = stage({ width: 32, blocks: 2, stride: 2, block: { branch: {} } });
    const r = inferGraph(graph('e', [input([16, 8, 8]), { ...s, width: 64 }]));
    expect(r.issues[0]).toMatchObject({ code: 'graph/stage-mismatch', path: ['nodes', 1] });
  });

  it('the head after an image pools globally; after a flat input it does not', () => {
    expect(infer(graph('h', [input([8, 4, 4]), head(3)])).nodes[1].head!.map((l) => l.node.kind)).toEqual(['pool', 'dense']);
    expect(infer(graph('h', [input([8]), head(3, { dropout: 0.2 })])).nodes[1].head!.map((l) => l.node.kind)).toEqual(['dropout', 'dense']);
  });

  it('limits: too many parameters', () => {
    const r = inferGraph(graph('big', [input([4096]), resblock({ count: 1000, branch: preact({ kind: 'mlp', width: 4096 }) })]));
    expect(r.issues.map((i) => i.code)).toEqual(['graph/limit']);
    expect(r.issues[0].message).toContain('parameters; the limit is 10000000000');
  });

  it('a structural error stops before shapes', () => {
    const r = inferGraph(graph('bad', [input([3, 8, 8]), conv(0), dense(10)]));
    expect(r.issues.map((i) => i.code)).toEqual(['graph/not-positive']);
    expect(r.nodes).toEqual([]);
  });
});

describe('inferGraph: totals are sums', () => {
  it('each composite adds up its parts', () => {
    const check = (n: NodeInfo): void => {
      if (n.runs) expect(n.params).toBe(n.runs.reduce((s, r) => s + r.reps * r.params, 0));
      if (n.body) expect(n.params).toBe(n.body.reduce((s, b) => s + b.params, 0));
      for (const b of n.body ?? []) check(b);
    };
    const r = infer(wideResNet(28, 2, 'bn', 'skipinit'));
    for (const n of r.nodes) check(n);
    expect(r.params).toBe(r.nodes.reduce((s, n) => s + n.params, 0));
    expect(r.flops).toBe(r.nodes.reduce((s, n) => s + n.flops, 0));
  });

  it('global pool + dense equals a flatten-free head', () => {
    const a = infer(graph('a', [input([8, 4, 4]), globalPool(), dense(3)]));
    const b = infer(graph('b', [input([8, 4, 4]), head(3)]));
    expect([a.params, a.flops]).toEqual([b.params, b.flops]);
  });
});
