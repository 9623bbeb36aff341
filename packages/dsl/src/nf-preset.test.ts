// NF-ResNets (init=nf, ws=) and presets in the language: what they lower to, and that a preset is exactly
// the graph written by hand with its options.
import type { Graph } from '@skipinit/graph';
import { applyPreset, wsFor } from '@skipinit/graph';
import { describe, expect, it } from 'vitest';
import { compile } from './compile';

const graphOf = (src: string): Graph => {
  const r = compile(src, { file: 't.arch' });
  expect(r.errors.map((e) => `${e.code}: ${e.message}`)).toEqual([]);
  return r.graph!;
};
/** The graph without source spans (two specs that differ only in layout lower to the same graph). */
const bare = (g: Graph): unknown => JSON.parse(JSON.stringify(g, (k, v) => (k === 'span' ? undefined : v)));

const wrn = (model: string) => `model wrn {
  input 3x32x32
${model}
}`;

describe('regularised SkipInit as a preset', () => {
  const byHand = wrn(`  conv 16
  stage width=32, blocks=2 { resblock norm=none, init=skipinit, bias=true }
  stage width=64, blocks=2, stride=2 { resblock norm=none, init=skipinit, bias=true }
  relu
  head 10, dropout=0.2`);

  it('expands to exactly the graph written by hand', () => {
    const preset = wrn(`  preset regularised_skipinit
  conv 16
  stage width=32, blocks=2 { resblock }
  stage width=64, blocks=2, stride=2 { resblock }
  relu
  head 10`);
    expect(bare(graphOf(preset))).toEqual(bare(graphOf(byHand)));
  });

  it("options that agree with it may be written; dropout= sets the head's; graph's applyPreset says the same", () => {
    const preset = wrn(`  preset regularised_skipinit, dropout=0.3
  conv 16
  stage width=32, blocks=2 { resblock norm=none, bias=true }
  stage width=64, blocks=2, stride=2 { resblock init=skipinit }
  relu
  head 10`);
    const want = bare(graphOf(byHand.replace('dropout=0.2', 'dropout=0.3')));
    expect(bare(graphOf(preset))).toEqual(want);
    const plain = graphOf(wrn(`  conv 16
  stage width=32, blocks=2 { resblock norm=bn }
  stage width=64, blocks=2, stride=2 { resblock norm=bn, init=plain }
  relu
  head 10`));
    expect(bare(applyPreset(plain, 'regularised_skipinit', { dropout: 0.3 }))).toEqual(want);
  });

  it('a preset is written once, at the model top level, before what it applies to', () => {
    const codes = (src: string) => compile(src, { file: 't.arch' }).errors.map((e) => e.code);
    expect(codes(wrn('  preset regularised_skipinit\n  preset regularised_skipinit\n  head 10'))).toEqual(['sem/misplaced-statement']);
    expect(codes(wrn('  preset regular_skipinit\n  head 10'))).toEqual(['sem/unknown-value']);
    expect(codes(`block b(width) {\n  preset regularised_skipinit\n  conv width\n}\n${wrn('  b 8\n  head 10')}`)).toEqual(['sem/misplaced-statement']);
  });
});

describe('NF-ResNets: init=nf', () => {
  it('defaults the branch to norm=none and biases on; alpha 0.2 from the scheme', () => {
    const g = graphOf(wrn('  conv 16\n  stage width=16, blocks=3 { resblock init=nf }\n  head 10'));
    const stage = g.nodes[2] as Extract<Graph['nodes'][number], { kind: 'stage' }>;
    expect(stage.body[0]).toMatchObject({ kind: 'resblock', scheme: 'nf', weights: 'he', branch: { norm: 'none', bias: true, act: 'relu' } });
    expect(stage.body[0]).not.toHaveProperty('alpha');
    const noBias = graphOf(wrn('  conv 16\n  stage width=16, blocks=1 { resblock init=nf, bias=false, alpha=0.3 }\n  head 10'));
    expect((noBias.nodes[2] as { body: unknown[] }).body[0]).toMatchObject({ alpha: 0.3, branch: { bias: false } });
  });

  it('ws= on a conv or dense puts Scaled WS with that activation\'s gamma on it', () => {
    const g = graphOf('model m {\n  input 3x8x8\n  conv 8, ws=identity\n  relu\n  conv 8, ws=relu\n  flatten\n  dense 4, ws=none\n}');
    expect(g.nodes.map((n) => ('ws' in n ? n.ws : null))).toEqual([null, wsFor('identity'), null, wsFor('relu'), null, null]);
  });
});
