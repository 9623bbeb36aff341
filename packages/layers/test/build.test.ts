import type { Graph } from '@skipinit/graph';
import {
  activation,
  batchnorm,
  bias,
  conv,
  custom,
  dense,
  dropout,
  flatten,
  globalPool,
  graph,
  head,
  inferGraph,
  input as inputNode,
  layernorm,
  pool,
  preact,
  relu,
  repeat,
  resblock,
  scale,
  stage,
} from '@skipinit/graph';
import { fans } from '@skipinit/init';
import { Rng, noGrad } from '@skipinit/tensor';
import { describe, expect, it } from 'vitest';
import { build, LayersError } from '../src';
import { deepMlpGraph, smallResNet } from './fixtures';
import { input, refEngine, sameValues } from './helpers';

const bottleneck = (stride: number) =>
  custom('bottleneck', [
    batchnorm(),
    relu(),
    conv(4, { kernel: 1, bias: false }),
    batchnorm(),
    relu(),
    conv(4, { stride, bias: false }),
    batchnorm(),
    relu(),
    conv(16, { kernel: 1, bias: false }),
  ]);

/** Architectures covering every node kind, scheme and shortcut. */
export const ARCHITECTURES: Record<string, Graph> = {
  'deep mlp x12, skipinit, no norm': deepMlpGraph(12, 'none', 'skipinit', 16),
  'deep mlp x5, bn, he (plain)': deepMlpGraph(5, 'bn', 'he', 16),
  'deep mlp x4, ln, fixup': deepMlpGraph(4, 'ln', 'fixup', 16),
  'resnet bn he': smallResNet(),
  'resnet skipinit, biases, head dropout': smallResNet({ norm: 'none', init: 'skipinit', bias: true, dropout: 0.2 }),
  'resnet fixup': smallResNet({ norm: 'none', init: 'fixup', blocks: [3, 2] }),
  'resnet scaled, ln': smallResNet({ norm: 'ln', init: 'scaled' }),
  'resnet nf (Scaled WS, x / beta, a transition)': smallResNet({ norm: 'none', init: 'nf', bias: true }),
  'deep mlp x6, nf, gelu': graph('nf-mlp', [inputNode([5]), resblock({ count: 6, branch: preact({ kind: 'mlp', width: 7, norm: 'none', act: 'gelu' }), init: 'nf' }), head(3)]),
  'wide-resnet 10-2 (CIFAR shapes)': graph('wrn-10-2', [
    inputNode([3, 32, 32]),
    conv(16, { bias: false }),
    stage({ width: 32, blocks: 1, stride: 1, block: { init: 'skipinit', branch: { norm: 'none', dropout: 0.3 } } }),
    stage({ width: 64, blocks: 1, stride: 2, block: { init: 'skipinit', branch: { norm: 'none', dropout: 0.3 } } }),
    stage({ width: 128, blocks: 1, stride: 2, block: { init: 'skipinit', branch: { norm: 'none', dropout: 0.3 } } }),
    relu(),
    head(10, { dropout: 0.5 }),
  ]),
  'custom bottleneck branch under fixup, auto projection, x3': graph('bottleneck', [
    inputNode([3, 8, 8]),
    conv(8, { bias: false }),
    resblock({ count: 3, branch: bottleneck(2), init: 'fixup' }),
    stage({ width: 16, blocks: 2, stride: 1, block: { init: 'fixup', branch: () => bottleneck(1) } }),
    relu(),
    head(4),
  ]),
  'every primitive: pools, repeat, scale, bias, layernorm, dropout, flatten, orthogonal/xavier inits': graph('kitchen', [
    inputNode([2, 9, 9]),
    conv(4, { padding: 1, init: 'orthogonal' }),
    pool('max', { size: 3, stride: 2, padding: 'same' }),
    pool('avg', { size: 2, stride: 1, padding: 'same' }),
    repeat(2, [conv(4, { bias: false, init: 'xavier' }), layernorm(), activation('gelu'), resblock({ branch: preact({ width: 4, norm: 'ln', act: 'tanh' }), init: 'scaled' })]),
    scale(0.5, true),
    scale(2, false),
    bias(0.1),
    dropout(0.1),
    flatten(),
    dense(7, { init: 'lecun' }),
    activation('sigmoid'),
    dense(6, { init: 'he_uniform' }),
    resblock({ branch: preact({ kind: 'mlp', width: 3, norm: 'bn' }), shortcut: 'projection', init: 'xavier_uniform' }),
    head(3),
  ]),
  'global pool then dense head without pooling': graph('gap', [inputNode([3, 4, 4]), conv(2), globalPool(), dense(5), relu(), head(2)]),
};

describe('build', () => {
  for (const [what, g] of Object.entries(ARCHITECTURES)) {
    it(`${what}: parameters, buffers and blocks equal the graph's counts, and a forward pass runs`, () => {
      const engine = refEngine();
      const inf = inferGraph(g);
      expect(inf.ok, JSON.stringify(inf.issues)).toBe(true);
      const m = build(g, { engine, seed: 1 });
      expect(m.numParameters()).toBe(inf.params);
      expect(m.parameters().reduce((n, p) => n + p.value.size, 0)).toBe(inf.params);
      expect(m.buffers().reduce((n, b) => n + b.value.size, 0)).toBe(inf.buffers);
      expect(m.blocks.length).toBe(inf.blocks);
      expect(m.blocks.map((b) => b.index)).toEqual([...Array(inf.blocks).keys()]);
      expect(new Set(m.parameters().map((p) => p.value)).size).toBe(m.parameters().length); // no shared tensors
      const x = input(engine, [2, ...inf.input!]);
      for (const training of [false, true]) {
        const y = noGrad(() => m.forward(x, { training }));
        expect(y.shape).toEqual([2, ...inf.output!]);
        expect(y.dataSync().every(Number.isFinite)).toBe(true);
        y.dispose();
      }
      m.dispose();
    });
  }

  it('names parameters and buffers stably and readably (the documented scheme)', () => {
    const m = build(smallResNet({ widths: [4, 8], blocks: [2, 1] }), { engine: refEngine() });
    expect(m.parameters().map((p) => `${p.name} ${p.role}`)).toEqual([
      'conv1.weight weight',
      'stage1.block1.bn1.weight norm',
      'stage1.block1.bn1.bias norm',
      'stage1.block1.conv1.weight weight',
      'stage1.block1.bn2.weight norm',
      'stage1.block1.bn2.bias norm',
      'stage1.block1.conv2.weight weight',
      'stage1.block2.bn1.weight norm',
      'stage1.block2.bn1.bias norm',
      'stage1.block2.conv1.weight weight',
      'stage1.block2.bn2.weight norm',
      'stage1.block2.bn2.bias norm',
      'stage1.block2.conv2.weight weight',
      'stage2.block1.bn1.weight norm',
      'stage2.block1.bn1.bias norm',
      'stage2.block1.conv1.weight weight',
      'stage2.block1.bn2.weight norm',
      'stage2.block1.bn2.bias norm',
      'stage2.block1.conv2.weight weight',
      'stage2.block1.shortcut.weight weight',
      'bn1.weight norm',
      'bn1.bias norm',
      'head.weight weight',
      'head.bias bias',
    ]);
    expect(m.buffers()[0].name).toBe('stage1.block1.bn1.running_mean');
    expect(m.buffers()[1].name).toBe('stage1.block1.bn1.running_var');
    expect(m.blocks.map((b) => b.name)).toEqual(['stage1.block1', 'stage1.block2', 'stage2.block1']);
    expect(m.modules().map((l) => l.name).slice(0, 8)).toEqual([
      'conv1',
      'stage1.block1.bn1',
      'stage1.block1.relu1',
      'stage1.block1.conv1',
      'stage1.block1.bn2',
      'stage1.block1.relu2',
      'stage1.block1.conv2',
      'stage1.block2.bn1',
    ]);
  });

  it('names Fixup scalars, alpha, repeats and a 1000-block MLP as documented', () => {
    const engine = refEngine();
    const fix = build(deepMlpGraph(2, 'none', 'fixup', 4), { engine });
    expect(fix.parameters().map((p) => p.name)).toEqual([
      'dense1.weight',
      'dense1.bias',
      'block1.bias1',
      'block1.bias2',
      'block1.dense1.weight',
      'block1.bias3',
      'block1.bias4',
      'block1.dense2.weight',
      'block1.bias5',
      'block1.alpha',
      'block2.bias1',
      'block2.bias2',
      'block2.dense1.weight',
      'block2.bias3',
      'block2.bias4',
      'block2.dense2.weight',
      'block2.bias5',
      'block2.alpha',
      'dense2.weight',
      'dense2.bias',
    ]);
    const kitchen = build(ARCHITECTURES['every primitive: pools, repeat, scale, bias, layernorm, dropout, flatten, orthogonal/xavier inits'], { engine });
    const names = kitchen.parameters().map((p) => p.name);
    expect(names).toContain('repeat1.rep2.conv1.weight');
    expect(names).toContain('repeat1.rep2.block1.ln2.bias');
    expect(names).toContain('scale1');
    expect(names).not.toContain('scale2'); // a fixed scale has no parameter
    expect(names).toContain('bias1');
    expect(names).toContain('block1.shortcut.weight');
    expect(names.filter((n) => n.endsWith('.alpha'))).toEqual([]); // 'scaled' is fixed and xavier_uniform is plain
    expect(kitchen.modules().map((l) => l.name)).toContain('pool2');
  });

  it('gives the same values for the same seed and name, and different ones for another seed', () => {
    const engine = refEngine();
    const a = build(deepMlpGraph(3, 'none', 'skipinit', 8), { engine, seed: 5 }).state();
    const b = build(deepMlpGraph(3, 'none', 'skipinit', 8), { engine, seed: 5 }).state();
    const c = build(deepMlpGraph(3, 'none', 'skipinit', 8), { engine, seed: 6 }).state();
    for (const name of Object.keys(a)) expect(sameValues(a[name].data, b[name].data), name).toBe(true);
    expect(sameValues(a['block1.dense1.weight'].data, c['block1.dense1.weight'].data)).toBe(false);
    // A parameter's values depend on the seed and its name only: a deeper network shares block1..3.
    const deeper = build(deepMlpGraph(5, 'none', 'skipinit', 8), { engine, seed: 5 }).state();
    for (const name of Object.keys(a)) if (name.startsWith('block')) expect(sameValues(a[name].data, deeper[name].data), name).toBe(true);
    // Repeated blocks are separate modules with their own values.
    expect(sameValues(a['block1.dense1.weight'].data, a['block2.dense1.weight'].data)).toBe(false);
  });

  it('draws dropout masks from the model\'s stream: same seed, same masks; restoring rng.state() replays them', () => {
    const engine = refEngine();
    const g = smallResNet({ norm: 'none', init: 'skipinit', dropout: 0.5 });
    const x = input(engine, [4, 3, 8, 8]);
    const a = build(g, { engine, seed: 3 });
    const b = build(g, { engine, seed: 3 });
    const c = build(g, { engine, seed: 4 });
    c.load(a.state());
    const saved = a.rng.state();
    const ya = noGrad(() => a.forward(x, { training: true })).dataSync64();
    const yb = noGrad(() => b.forward(x, { training: true })).dataSync64();
    const yc = noGrad(() => c.forward(x, { training: true })).dataSync64(); // same weights, other dropout stream
    const again = noGrad(() => a.forward(x, { training: true })).dataSync64(); // the stream moved on
    expect(sameValues(ya, yb)).toBe(true);
    expect(sameValues(ya, yc)).toBe(false);
    expect(sameValues(ya, again)).toBe(false);
    a.rng = Rng.fromState(saved);
    expect(sameValues(noGrad(() => a.forward(x, { training: true })).dataSync64(), ya)).toBe(true);
    expect(sameValues(noGrad(() => a.forward(x)).dataSync64(), noGrad(() => c.forward(x)).dataSync64())).toBe(true); // eval: no dropout
  });

  it("initialises as the graph says: he statistics, Fixup's zero layers and classifier, gains, norm scales", () => {
    const engine = refEngine();
    const d = 9;
    const m = build(smallResNet({ norm: 'none', init: 'fixup', widths: [16, 16], blocks: [5, 4] }), { engine, seed: 2 });
    const get = (n: string) => m.parameters().find((p) => p.name === n)!;
    const values = (n: string) => get(n).value.dataSync64();
    expect(values('stage1.block3.conv2.weight').every((v) => v === 0)).toBe(true);
    expect(values('head.weight').every((v) => v === 0)).toBe(true);
    expect([...values('stage2.block1.alpha')]).toEqual([1]);
    expect([...values('stage2.block1.bias3')]).toEqual([0]);
    // conv1 of a branch: he * d^(-1/2) (m = 2 weight layers): variance 2 / fanIn / d.
    const w = [1, 2, 3, 4, 5].flatMap((k) => [...values(`stage1.block${k}.conv1.weight`)]);
    const varW = w.reduce((s, v) => s + v * v, 0) / w.length;
    const expected = 2 / fans([16, 16, 3, 3]).fanIn / d;
    expect(Math.abs(varW - expected) / expected).toBeLessThan(5 * Math.sqrt(2 / w.length));
    const bnm = build(smallResNet(), { engine });
    const gamma = bnm.parameters().find((p) => p.name === 'stage1.block1.bn1.weight')!;
    expect([...gamma.value.dataSync64()]).toEqual([1, 1, 1, 1]);
  });

  it('refuses a graph that does not infer, listing where and why', () => {
    const bad = graph('bad', [inputNode([3, 8, 8]), dense(4), head(2)]);
    expect(() => build(bad, { engine: refEngine() })).toThrow(LayersError);
    expect(() => build(bad, { engine: refEngine() })).toThrow(/build: graph 'bad' does not build: nodes\[1\]: shape\/needs-flat: dense 4 needs a flat input/);
    try {
      build(bad, { engine: refEngine() });
    } catch (e) {
      expect((e as LayersError).issues.map((i) => [i.code, i.where])).toEqual([['shape/needs-flat', 'nodes[1]']]);
    }
    expect(() => build(graph('empty', []), { engine: refEngine() })).toThrow(/graph\/empty/);
    expect(() => build(deepMlpGraph(1), { engine: refEngine(), seed: -1 })).toThrow(/build: seed must be a non-negative integer, got -1/);
  });

  it('refuses a forward input of the wrong shape or engine, naming the model and both shapes', () => {
    const engine = refEngine();
    const m = build(deepMlpGraph(1, 'none', 'skipinit', 4), { engine });
    expect(() => m.forward(input(engine, [2, 784]))).toThrow(/forward: model 'deep_mlp' expects input \[N, 1, 28, 28\], got \[2, 784\]/);
    expect(() => m.forward(input(refEngine(), [2, 1, 28, 28]))).toThrow(/another engine/);
    m.dispose();
    expect(() => m.forward(input(engine, [2, 1, 28, 28]))).toThrow(/forward: model 'deep_mlp' was disposed/);
  });
});
