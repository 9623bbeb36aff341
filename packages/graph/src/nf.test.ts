import { describe, expect, it } from 'vitest';
import { wideResNet } from '../test/fixtures';
import { conv, custom, dense, graph, head, input, preact, relu, repeat, resblock, stage } from './builders';
import type { BlockRun, NodeInfo } from './infer';
import { inferGraph } from './infer';
import { NF_ALPHA, WS_GAMMA, nfBeta, nfVariance, wsFor } from './nf';
import { tryExpandBlock } from './expand';
import { validateGraph } from './validate';
import { formatSummary, summarize } from './summary';
import { toDot } from './dot';

const RELU_WS = { gamma: Math.sqrt(2 / (1 - 1 / Math.PI)), eps: 1e-4 };

/** Every block run of an inference, in order. */
function runsOf(infos: readonly NodeInfo[]): BlockRun[] {
  return infos.flatMap((i) => [...(i.runs ?? []), ...runsOf(i.body ?? []), ...(i.repeats ?? []).flatMap((r) => runsOf(r.body))]);
}

/** beta_l^2 of every block, repetitions written out (null: not an NF block). */
function variances(infos: readonly NodeInfo[]): (number | null)[] {
  return runsOf(infos).flatMap((r) => Array.from({ length: r.reps }, (_, k) => (r.nf === null ? null : nfVariance(r.nf, k))));
}

describe('NF-ResNet blocks (Brock, De & Smith 2021)', () => {
  it('the pre-activation branch: act -> Scaled WS conv -> act -> Scaled WS conv, no norm, biases, alpha 0.2 fixed', () => {
    const r = tryExpandBlock(resblock({ branch: preact({ width: 8, norm: 'none', bias: true }), init: 'nf' }), [8, 6, 6], 10);
    if ('code' in r) throw new Error(r.message);
    expect(r.block.pre).toEqual([]);
    expect(r.block.shortcut).toEqual([]);
    expect(r.block.branch).toEqual([
      { kind: 'activation', fn: 'relu' },
      { kind: 'conv', out: 8, kernel: 3, stride: 1, padding: 'same', bias: true, init: 'he', ws: RELU_WS },
      { kind: 'activation', fn: 'relu' },
      { kind: 'conv', out: 8, kernel: 3, stride: 1, padding: 'same', bias: true, init: 'he', ws: RELU_WS },
    ]);
    expect(r.block.alpha).toEqual({ init: NF_ALPHA, learnable: false });
    // the gains: one per output of each conv
    expect(r.branch.map((l) => l.params)).toEqual([0, 8 * 8 * 9 + 8 + 8, 0, 8 * 8 * 9 + 8 + 8]);
  });

  it("a transition block shares the activation with a Scaled WS projection (the shortcut reads relu(x / beta))", () => {
    const r = tryExpandBlock(resblock({ branch: preact({ width: 16, stride: 2, norm: 'none', act: 'gelu', bias: true }), init: 'nf' }), [8, 6, 6], 10);
    if ('code' in r) throw new Error(r.message);
    expect(r.block.pre).toEqual([{ kind: 'activation', fn: 'gelu' }]);
    expect(r.block.shortcut).toEqual([{ kind: 'conv', out: 16, kernel: 1, stride: 2, padding: 0, bias: true, init: 'he', ws: wsFor('gelu') }]);
    expect(r.block.branch[0]).toMatchObject({ kind: 'conv', stride: 2, ws: { gamma: WS_GAMMA.gelu } });
  });

  it('a custom branch keeps its layers as written (the block only downscales and scales); its projection is Scaled WS with gamma 1', () => {
    const b = resblock({ branch: custom('mine', [relu(), dense(6, { bias: false })]), init: 'nf' });
    const r = tryExpandBlock(b, [4], 3);
    if ('code' in r) throw new Error(r.message);
    expect(r.block.branch).toEqual([relu(), { ...dense(6, { bias: false }), init: 'he' }]);
    expect(r.block.shortcut).toEqual([{ kind: 'dense', units: 6, bias: false, init: 'he', ws: { gamma: 1, eps: 1e-4 } }]);
  });

  it('beta_l^2 = beta_{l-1}^2 + alpha^2, reset to 1 + alpha^2 after every transition (a WRN-16-2 and a WRN-40-2)', () => {
    const a2 = NF_ALPHA ** 2;
    const close = (got: (number | null)[], want: number[]) => {
      expect(got).toHaveLength(want.length);
      got.forEach((v, i) => expect(v, `block ${i}`).toBeCloseTo(want[i], 12));
    };
    const inf = inferGraph(wideResNet(16, 2, 'none', 'nf'));
    expect(inf.ok).toBe(true);
    // every stage starts with a transition (stage 1 widens 16 -> 32, stages 2 and 3 downsample); 2 blocks each
    close(variances(inf.nodes), [1, 1 + a2, 1 + 2 * a2, 1 + a2, 1 + 2 * a2, 1 + a2]);
    const deep = inferGraph(wideResNet(40, 2, 'none', 'nf')); // 6 blocks per stage
    const stage = (first: number) => [first, 1 + a2, 1 + 2 * a2, 1 + 3 * a2, 1 + 4 * a2, 1 + 5 * a2];
    close(variances(deep.nodes), [...stage(1), ...stage(1 + 6 * a2), ...stage(1 + 6 * a2)]);
    expect(runsOf(deep.nodes).map((r) => [r.reps, r.nf!.transition])).toEqual([[1, true], [5, false], [1, true], [5, false], [1, true], [5, false]]);
  });

  it('an identity chain of 1000 blocks stays one run; beta follows in closed form', () => {
    const g = graph('deep', [input([16]), resblock({ count: 1000, branch: preact({ kind: 'mlp', width: 16, norm: 'none' }), init: 'nf' }), head(2)]);
    const runs = runsOf(inferGraph(g).nodes);
    expect(runs).toHaveLength(1);
    expect(runs[0].nf).toEqual({ variance: 1, alpha2: NF_ALPHA ** 2, transition: false });
    expect(nfBeta(runs[0].nf!, 999)).toBeCloseTo(Math.sqrt(1 + 999 * 0.04), 12);
  });

  it('the recursion restarts at 1 after anything that is not an NF block, and follows an explicit alpha', () => {
    const nf = (count: number, alpha?: number) =>
      resblock({ count, branch: preact({ kind: 'mlp', width: 8, norm: 'none' }), init: 'nf', ...(alpha === undefined ? {} : { alpha }) });
    const g = graph('chains', [
      input([8]),
      nf(2, 0.5),
      resblock({ branch: preact({ kind: 'mlp', width: 8, norm: 'none' }), init: 'skipinit' }),
      nf(2),
      dense(8),
      nf(1),
      head(2),
    ]);
    expect(variances(inferGraph(g).nodes)).toEqual([1, 1.25, null, 1, 1.04, 1]);
  });

  it('a repeat whose body accumulates variance is walked repetition by repetition; one that resets collapses', () => {
    const block = resblock({ count: 2, branch: preact({ kind: 'mlp', width: 8, norm: 'none' }), init: 'nf' });
    const accumulating = inferGraph(graph('r', [input([8]), repeat(3, [block]), head(2)]));
    expect(accumulating.nodes[1].repeats!.map((r) => r.reps)).toEqual([1, 1, 1]);
    expect(variances(accumulating.nodes).map((v) => Number(v!.toFixed(12)))).toEqual([1, 1.04, 1.08, 1.12, 1.16, 1.2]);
    const resetting = inferGraph(graph('r', [input([8]), repeat(50, [dense(8), block]), head(2)]));
    expect(resetting.nodes[1].repeats!.map((r) => r.reps)).toEqual([50]);
  });

  it('an NF block with a norm is built, with a warning; weight standardisation needs a fan-in of 2', () => {
    const bn = graph('g', [input([3, 8, 8]), stage({ width: 8, blocks: 1, block: { init: 'nf', branch: { norm: 'bn' } } }), head(2)]);
    expect(validateGraph(bn)).toMatchObject([{ code: 'graph/nf-norm', severity: 'warning', where: 'nodes[1].body[0].branch.norm' }]);
    expect(inferGraph(bn).ok).toBe(true);
    const thin = inferGraph(graph('g', [input([1, 8, 8]), conv(4, { kernel: 1, ws: wsFor('identity') }), head(2)]));
    expect(thin.issues).toMatchObject([{ code: 'shape/fan-in', message: expect.stringContaining('conv 4 1x1/1 ws on 1x8x8 has a fan-in of 1') }]);
    expect(validateGraph(graph('g', [input([4]), dense(4, { ws: { gamma: -1, eps: 0 } })]))).toMatchObject([{ code: 'graph/bad-attribute', where: 'nodes[1].ws' }]);
  });

  it('the summary and the DOT drawing show the downscaling and the weight standardisation', () => {
    const g = graph('nf', [input([8]), resblock({ count: 26, branch: preact({ kind: 'mlp', width: 8, norm: 'none' }), init: 'nf' }), head(2)]);
    const text = formatSummary(summarize(g, { expand: true }));
    expect(text).toContain('x / beta, beta 1 .. 1.414 (NF; identity shortcut reads x)');
    expect(text).toContain('dense 8 ws no-bias');
    expect(text).toContain('alpha 0.2 (fixed), add');
    expect(toDot(g)).toContain('x / beta\\nbeta 1 .. 1.414');
  });
});
