import { graph, head, input as inputNode, conv, preact, resblock, relu, stage } from '@skipinit/graph';
import { noGrad } from '@skipinit/tensor';
import { describe, expect, it } from 'vitest';
import type { BlockInfo } from '../src';
import { build } from '../src';
import { deepMlpGraph, smallResNet } from './fixtures';
import { input, refEngine, sameValues } from './helpers';

// SkipInit with alpha = 0 (De & Smith 2020): at initialisation every residual block computes
// x_{l+1} = x_l + 0 * f(x_l) = x_l EXACTLY (bit for bit: x + 0 is x in IEEE arithmetic), in training
// and evaluation mode, whatever the branch computes. A block with a projection shortcut changes the
// shape, so there the exact statement is output == skip path == projection(pre(x)): the branch adds
// exactly nothing. Both are checked for every block through the onBlock hook.

function collect(run: (hook: (info: BlockInfo) => void) => void): { name: string; identity: boolean; skipOnly: boolean; shapeKept: boolean; branchNonzero: boolean }[] {
  const seen: ReturnType<typeof collect> = [];
  run((b) => {
    const out = b.output.dataSync64();
    const branch = b.branch.dataSync64();
    const shapeKept = b.input.shape.join() === b.output.shape.join();
    seen.push({
      name: b.name,
      shapeKept,
      identity: shapeKept && sameValues(out, b.input.dataSync64()),
      skipOnly: sameValues(out, b.skip.dataSync64()),
      branchNonzero: branch.some((v) => v !== 0),
    });
  });
  return seen;
}

describe('skipinit alpha = 0: every block is exactly the identity at initialisation', () => {
  it('deep MLP (100 blocks, no norm): output == input bit for bit in every block, though the branch is not zero', () => {
    const engine = refEngine();
    const m = build(deepMlpGraph(100, 'none', 'skipinit', 32), { engine, seed: 4 });
    for (const training of [false, true]) {
      const seen = collect((onBlock) => noGrad(() => m.forward(input(engine, [3, 1, 28, 28]), { training, onBlock })));
      expect(seen).toHaveLength(100);
      expect(seen.every((b) => b.identity && b.branchNonzero)).toBe(true);
    }
  });

  it('conv ResNet with batch norm in the branches and a projection: identity blocks exact, projection block output == projection(pre(x))', () => {
    const engine = refEngine();
    const m = build(smallResNet({ norm: 'bn', init: 'skipinit', widths: [4, 8, 8], blocks: [3, 2, 1] }), { engine, seed: 4 });
    for (const training of [false, true]) {
      const seen = collect((onBlock) => noGrad(() => m.forward(input(engine, [4, 3, 8, 8]), { training, onBlock })));
      expect(seen.map((b) => b.name)).toEqual(['stage1.block1', 'stage1.block2', 'stage1.block3', 'stage2.block1', 'stage2.block2', 'stage3.block1']);
      expect(seen.every((b) => b.branchNonzero && b.skipOnly)).toBe(true);
      expect(seen.filter((b) => !b.shapeKept).map((b) => b.name)).toEqual(['stage2.block1', 'stage3.block1']);
      expect(seen.filter((b) => b.shapeKept).every((b) => b.identity)).toBe(true);
    }
  });

  it('the whole stack of identity blocks is skipped: logits equal those of the network without them', () => {
    const engine = refEngine();
    const deep = build(
      graph('with', [inputNode([2, 6, 6]), conv(3), stage({ width: 3, blocks: 40, block: { init: 'skipinit', branch: { norm: 'none' } } }), relu(), head(4)]),
      { engine, seed: 8 },
    );
    const shallow = build(graph('without', [inputNode([2, 6, 6]), conv(3), relu(), head(4)]), { engine, seed: 8 });
    const x = input(engine, [2, 2, 6, 6]);
    // conv1 and head have the same names in both, hence the same initial values.
    expect(sameValues(deep.forward(x).dataSync64(), shallow.forward(x).dataSync64())).toBe(true);
  });

  it('a non-zero alpha breaks the identity (the check is not vacuous), and the hook reports alpha', () => {
    const engine = refEngine();
    const g = graph('a', [inputNode([8]), resblock({ count: 4, branch: preact({ kind: 'mlp', width: 8, norm: 'none' }), init: 'skipinit', alpha: 0.5 }), head(2)]);
    const seen: { identity: boolean; alpha: number; close: boolean }[] = [];
    const m = build(g, { engine });
    m.forward(input(engine, [3, 8]), {
      onBlock: (b) => {
        const x = b.input.dataSync64();
        const f = b.branch.dataSync64();
        const y = b.output.dataSync64();
        seen.push({ identity: sameValues(x, y), alpha: b.alpha, close: y.every((v, i) => Math.abs(v - (x[i] + 0.5 * f[i])) < 1e-12) });
      },
    });
    expect(seen).toEqual(Array(4).fill({ identity: false, alpha: 0.5, close: true }));
  });
});
