import type { BlockRun, NodeInfo } from '@skipinit/graph';
import { ACTIVATION_NAMES, NF_ALPHA, WS_GAMMA, conv, graph, head, inferGraph, input, nfVariance, relu, stage } from '@skipinit/graph';
import { describe, expect, it } from 'vitest';
import { RELU_GAMMA, erf, nfExpectedVariances, nfGamma } from './nf';
import { RESIDUAL_SCHEMES } from './schemes';

// NF-ResNets' numbers from their definitions (Brock, De & Smith 2021, section 4), then the same numbers read
// back from @skipinit/graph (what @skipinit/layers builds), so the two cannot drift apart.

describe('NF-ResNet constants', () => {
  it('erf: known values', () => {
    expect(erf(0)).toBe(0);
    expect(erf(0.5)).toBeCloseTo(0.5204998778130465, 14);
    expect(erf(-1)).toBeCloseTo(-0.8427007929497149, 14);
    expect(erf(2.9)).toBeCloseTo(0.9999589021219005, 13);
    expect(erf(3.5)).toBeCloseTo(0.9999992569016276, 14);
  });

  it('gamma = 1/std(g(z)): relu in closed form sqrt(2 / (1 - 1/pi)); each activation within 1e-10 of the graph table', () => {
    expect(RELU_GAMMA).toBeCloseTo(1.7128585504496627, 15);
    expect(nfGamma('relu')).toBeCloseTo(RELU_GAMMA, 10);
    expect(nfGamma('identity')).toBeCloseTo(1, 12);
    for (const fn of ACTIVATION_NAMES) expect(nfGamma(fn), fn).toBeCloseTo(WS_GAMMA[fn], 10);
    // DeepMind's reference code (nfnets/base.py) bakes in sampled estimates within 0.1% of these
    expect(Math.abs(nfGamma('relu') / 1.7139588594436646 - 1)).toBeLessThan(1e-3);
    expect(Math.abs(nfGamma('tanh') / 1.5939117670059204 - 1)).toBeLessThan(1e-3);
    expect(Math.abs(nfGamma('sigmoid') / 4.803835391998291 - 1)).toBeLessThan(1e-3);
  });

  it('the rule: alpha = 0.2 fixed, no other change to the initialisation', () => {
    const r = RESIDUAL_SCHEMES.nf;
    expect(r.alpha(50)).toEqual({ init: NF_ALPHA, learnable: false });
    expect([r.weightGain(50, 2, 0), r.lastLayer, r.classifier, r.scalarBiases]).toEqual([1, null, null, false]);
  });

  it("beta_l^2: the recursion, and graph's inference of a network with stages says the same", () => {
    expect(nfExpectedVariances([false, false, true, false])).toEqual([1, 1 + 0.04, 1 + 0.08, 1 + 0.04]);
    const g = graph('nf', [
      input([3, 8, 8]),
      conv(8),
      stage({ width: 8, blocks: 4, block: { init: 'nf', branch: { norm: 'none' } } }),
      stage({ width: 16, blocks: 3, stride: 2, block: { init: 'nf', branch: { norm: 'none' } } }),
      relu(),
      head(2),
    ]);
    const runs = (infos: readonly NodeInfo[]): BlockRun[] => infos.flatMap((i) => [...(i.runs ?? []), ...runs(i.body ?? [])]);
    const blocks = runs(inferGraph(g).nodes).flatMap((r) => Array.from({ length: r.reps }, (_, k) => ({ v: nfVariance(r.nf!, k), t: r.nf!.transition })));
    const want = nfExpectedVariances(blocks.map((b) => b.t));
    expect(blocks.map((b) => b.t)).toEqual([false, false, false, false, true, false, false]);
    blocks.forEach((b, i) => expect(b.v, `block ${i}`).toBeCloseTo(want[i], 14));
  });
});
