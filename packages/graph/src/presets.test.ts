import { describe, expect, it } from 'vitest';
import { wideResNet } from '../test/fixtures';
import { batchnorm, conv, custom, graph, head, input, preact, relu, resblock, stage } from './builders';
import { inferGraph } from './infer';
import { PRESETS, applyPreset } from './presets';

describe('presets', () => {
  it('regularised_skipinit: every block SkipInit without norm and with branch biases, dropout 0.2 before the classifier', () => {
    const g = applyPreset(wideResNet(16, 2, 'bn', 'plain'), 'regularised_skipinit');
    const want = graph('wrn-16-2', [
      input([3, 32, 32]),
      conv(16, { bias: false }),
      stage({ width: 32, blocks: 2, stride: 1, block: { init: 'skipinit', branch: { norm: 'none', bias: true } } }),
      stage({ width: 64, blocks: 2, stride: 2, block: { init: 'skipinit', branch: { norm: 'none', bias: true } } }),
      stage({ width: 128, blocks: 2, stride: 2, block: { init: 'skipinit', branch: { norm: 'none', bias: true } } }),
      batchnorm(), // layers outside the blocks stay as written
      relu(),
      head(10, { dropout: 0.2 }),
    ]);
    expect(g).toEqual(want);
    expect(inferGraph(g).ok).toBe(true);
    expect(PRESETS.regularised_skipinit.source).toMatch(/De & Smith 2020/);
  });

  it('the dropout is an option; a custom branch keeps its layers as written; alpha overrides go', () => {
    const g = graph('g', [input([4, 6, 6]), resblock({ branch: custom('b', [batchnorm(), relu(), conv(4, { bias: false })]), init: 'plain', alpha: 2 }), head(3)]);
    const r = applyPreset(g, 'regularised_skipinit', { dropout: 0.3 });
    expect(r.nodes[1]).toEqual(resblock({ branch: custom('b', [batchnorm(), relu(), conv(4, { bias: false })]), init: 'skipinit', weights: 'he' }));
    expect(r.nodes[2]).toEqual(head(3, { dropout: 0.3 }));
    expect(g.nodes[1]).toMatchObject({ alpha: 2 }); // the input is not changed
  });

  it('without a head there is nowhere to put the dropout: an error that says so', () => {
    const g = graph('flat', [input([4]), resblock({ branch: preact({ kind: 'mlp', width: 4 }) })]);
    expect(() => applyPreset(g, 'regularised_skipinit')).toThrow("preset regularised_skipinit puts dropout before the classifier, but graph 'flat' has no head");
  });
});
