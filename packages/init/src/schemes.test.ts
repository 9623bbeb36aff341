import type { LayerNode, ResidualSchemeName } from '@skipinit/graph';
import { preact, RESIDUAL_SCHEME_NAMES, residualScalar, resblock, custom, conv, dense, relu, batchnorm, tryExpandBlock } from '@skipinit/graph';
import { describe, expect, it } from 'vitest';
import { branchScalar, fixupScale, RESIDUAL_SCHEMES, skipinitAlpha } from './schemes';

// The numbers of each scheme, as the papers state them; then the same numbers read back from
// @skipinit/graph's block expansion (what @skipinit/layers builds), so the two cannot drift apart.

describe('RESIDUAL_SCHEMES', () => {
  it('covers the vocabulary, each with a formula and a source', () => {
    expect(Object.keys(RESIDUAL_SCHEMES).sort()).toEqual([...RESIDUAL_SCHEME_NAMES].sort());
    for (const s of Object.values(RESIDUAL_SCHEMES)) {
      expect(s.formula).toMatch(/x_\{l\+1\}/);
      expect(s.source).toMatch(/20\d\d/);
    }
  });

  it('skipinit: learnable alpha = 0; scaled: fixed 1/sqrt(d); plain: none; fixup: learnable multiplier 1', () => {
    expect(RESIDUAL_SCHEMES.skipinit.alpha(1000)).toEqual({ init: 0, learnable: true });
    expect(RESIDUAL_SCHEMES.scaled.alpha(400)).toEqual({ init: 0.05, learnable: false });
    expect(RESIDUAL_SCHEMES.plain.alpha(10)).toBeNull();
    expect(RESIDUAL_SCHEMES.fixup.alpha(10)).toEqual({ init: 1, learnable: true });
  });

  it("skipinit's alpha = c or c/sqrt(d), and the paper's bound (1 + alpha^2)^d <= e for alpha = 1/sqrt(d)", () => {
    expect(skipinitAlpha(0.1, 100)).toBe(0.1);
    expect(skipinitAlpha(1, 100, { perSqrtDepth: true })).toBe(0.1);
    for (const d of [1, 16, 1000]) expect((1 + skipinitAlpha(1, d, { perSqrtDepth: true }) ** 2) ** d).toBeLessThanOrEqual(Math.E);
    expect(() => skipinitAlpha(1, 0)).toThrow(/skipinitAlpha: d .* must be a positive integer, got 0/);
  });

  it("fixup: d^(-1/(2m-2)) on the non-last layers, zero last layer and classifier, scalar biases", () => {
    expect(fixupScale(16, 2)).toBeCloseTo(1 / 4, 14);
    expect(fixupScale(81, 3)).toBeCloseTo(1 / 3, 14);
    expect(fixupScale(7, 1)).toBe(1);
    const f = RESIDUAL_SCHEMES.fixup;
    expect([0, 1, 2].map((i) => f.weightGain(81, 3, i))).toEqual([fixupScale(81, 3), fixupScale(81, 3), 1]);
    expect([f.lastLayer, f.classifier, f.scalarBiases]).toEqual(['zeros', 'zeros', true]);
    for (const s of ['skipinit', 'scaled', 'plain'] as const) {
      expect(RESIDUAL_SCHEMES[s].weightGain(100, 2, 0)).toBe(1);
      expect([RESIDUAL_SCHEMES[s].lastLayer, RESIDUAL_SCHEMES[s].classifier, RESIDUAL_SCHEMES[s].scalarBiases]).toEqual([null, null, false]);
    }
  });

  it('branchScalar applies a block\'s overrides exactly as the graph does', () => {
    const overrides = [{}, { alpha: 0.3 }, { learnable: true }, { learnable: false }, { alpha: 0.2, learnable: false }];
    for (const scheme of RESIDUAL_SCHEME_NAMES)
      for (const o of overrides)
        for (const d of [1, 9, 1000]) expect(branchScalar(scheme, d, o), `${scheme} ${JSON.stringify(o)} d=${d}`).toEqual(residualScalar({ scheme, ...o }, d));
  });
});

describe("the graph's block expansion carries these numbers", () => {
  const weightLayers = (nodes: LayerNode[]) => nodes.filter((n): n is LayerNode & { kind: 'conv' | 'dense' } => n.kind === 'conv' || n.kind === 'dense');

  for (const scheme of RESIDUAL_SCHEME_NAMES) {
    for (const [what, branch, x] of [
      ['conv pre-activation', preact({ width: 8 }), [8, 6, 6]],
      ['mlp pre-activation', preact({ kind: 'mlp', width: 16, norm: 'none' }), [16]],
      ['custom 3-layer bottleneck', custom('bottleneck', [batchnorm(), relu(), conv(4, { kernel: 1, bias: false }), relu(), conv(4, { bias: false }), relu(), conv(8, { kernel: 1, bias: false })]), [8, 5, 5]],
    ] as const) {
      it(`${scheme}, ${what}, d = 36`, () => {
        const d = 36;
        const block = resblock({ branch, scheme: scheme as ResidualSchemeName, weights: 'he' });
        const r = tryExpandBlock(block, x, d);
        if ('code' in r) throw new Error(r.message);
        const rule = RESIDUAL_SCHEMES[scheme];
        expect(r.block.alpha).toEqual(rule.alpha(d));
        const w = weightLayers([...r.block.pre, ...r.block.branch]);
        const m = w.length;
        w.forEach((layer, i) => {
          expect(layer.gain ?? 1, `gain of weight layer ${i}`).toBeCloseTo(rule.weightGain(d, m, i), 14);
          expect(layer.init).toBe(i === m - 1 && rule.lastLayer !== null ? rule.lastLayer : 'he');
        });
        const biases = [...r.block.pre, ...r.block.branch].filter((n) => n.kind === 'bias');
        const written = branch.kind === 'custom' ? branch.nodes : [...r.block.pre, ...r.block.branch];
        const activations = written.filter((n) => n.kind === 'activation' && n.fn !== 'identity').length;
        expect(biases.length).toBe(rule.scalarBiases ? m + activations + 1 : 0);
        for (const b of biases) expect(b).toMatchObject({ kind: 'bias', init: 0 });
      });
    }
  }

  it('a dense-only custom branch under fixup: both non-last layers scaled', () => {
    const block = resblock({ branch: custom('mlp3', [dense(8), relu(), dense(8), relu(), dense(8)]), scheme: 'fixup', weights: 'he' });
    const r = tryExpandBlock(block, [8], 16);
    if ('code' in r) throw new Error(r.message);
    expect(weightLayers(r.block.branch).map((l) => [l.init, l.gain ?? 1])).toEqual([
      ['he', fixupScale(16, 3)],
      ['he', fixupScale(16, 3)],
      ['zeros', 1],
    ]);
  });
});
