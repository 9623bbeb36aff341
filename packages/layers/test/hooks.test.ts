import { graph, head, input as inputNode, preact, resblock } from '@skipinit/graph';
import type { Tensor } from '@skipinit/tensor';
import { keep, memory, noGrad } from '@skipinit/tensor';
import { describe, expect, it } from 'vitest';
import { build } from '../src';
import { smallResNet } from './fixtures';
import { input, refEngine } from './helpers';

describe('onBlock hooks', () => {
  it('are called for every block, in order, with index, name, and output = skip + alpha * branch', () => {
    const engine = refEngine();
    const m = build(smallResNet({ norm: 'bn', init: 'scaled', widths: [4, 6], blocks: [3, 2] }), { engine });
    const seen: string[] = [];
    noGrad(() =>
      m.forward(input(engine, [2, 3, 8, 8]), {
        training: true,
        onBlock: (b) => {
          seen.push(`${b.index} ${b.name}`);
          expect(b.training).toBe(true);
          expect(b.alpha).toBeCloseTo(1 / Math.sqrt(5), 7);
          const s = b.skip.dataSync64();
          const f = b.branch.dataSync64();
          const y = b.output.dataSync64();
          for (let i = 0; i < y.length; i++) expect(y[i]).toBeCloseTo(s[i] + b.alpha * f[i], 12);
        },
      }),
    );
    expect(seen).toEqual(['0 stage1.block1', '1 stage1.block2', '2 stage1.block3', '3 stage2.block1', '4 stage2.block2']);
  });

  it("report each scheme's alpha (skipinit 0, plain 1, fixup 1, an explicit value)", () => {
    const engine = refEngine();
    const block = (init: 'skipinit' | 'he' | 'fixup', alpha?: number) =>
      resblock({ branch: preact({ kind: 'mlp', width: 4, norm: 'none' }), init, ...(alpha === undefined ? {} : { alpha }) });
    const m = build(graph('s', [inputNode([4]), block('skipinit'), block('he'), block('fixup'), block('skipinit', 0.25), head(2)]), { engine });
    const alphas: number[] = [];
    m.forward(input(engine, [2, 4]), { onBlock: (b) => alphas.push(b.alpha) });
    expect(alphas).toEqual([0, 1, 1, 0.25]);
  });

  it('hand out tensors valid only during the call; kept clones survive; nothing else leaks', () => {
    const engine = refEngine();
    const m = build(smallResNet({ norm: 'bn', blocks: [2, 1] }), { engine });
    const x = input(engine, [2, 3, 8, 8]);
    const before = memory(engine).numTensors;
    const handed: Tensor[] = [];
    const kept: Tensor[] = [];
    const logits = noGrad(() =>
      m.forward(x, {
        onBlock: (b) => {
          handed.push(b.input, b.skip, b.branch, b.output);
          b.branch.square().mean(); // a hook's own temporaries go with the block's scope
          kept.push(keep(b.branch.clone()));
        },
      }),
    );
    expect(handed.filter((t) => t !== x).every((t) => t.isDisposed)).toBe(true);
    expect(x.isDisposed).toBe(false);
    expect(kept.every((t) => !t.isDisposed)).toBe(true);
    expect(memory(engine).numTensors).toBe(before + 1 + kept.length);
    for (const t of [logits, ...kept]) t.dispose();
    expect(memory(engine).numTensors).toBe(before);
  });

  it('propagate an error thrown by the hook and leak nothing', () => {
    const engine = refEngine();
    const m = build(smallResNet({ norm: 'bn', blocks: [2, 1] }), { engine });
    const x = input(engine, [2, 3, 8, 8]);
    const before = memory(engine);
    expect(() =>
      m.forward(x, {
        training: true,
        onBlock: (b) => {
          if (b.index === 1) throw new Error('stop at block 1');
        },
      }),
    ).toThrow('stop at block 1');
    expect(memory(engine).numTensors).toBe(before.numTensors);
    expect(memory(engine).numDataBuffers).toBe(before.numDataBuffers);
  });
});
