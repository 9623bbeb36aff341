// model.forwardAsync: per-block hooks that await reads, as they must where reads are asynchronous only
// (WebGPU). AsyncReferenceBackend stands in for such a backend: its synchronous read throws.
import type { Engine, Tensor } from '@skipinit/tensor';
import { AsyncReferenceBackend, Engine as EngineClass, crossEntropy, memory, noGrad } from '@skipinit/tensor';
import { describe, expect, it } from 'vitest';
import { build } from '../src';
import type { BlockInfo } from '../src';
import { smallResNet } from './fixtures';
import { input, labels, refEngine } from './helpers';

const asyncEngine = (seed = 0): Engine => new EngineClass(new AsyncReferenceBackend(), { seed });
const spec = () => smallResNet({ norm: 'bn', init: 'scaled', widths: [4, 6], blocks: [2, 1] });

interface Seen {
  name: string;
  alpha: number;
  values: number[][];
}

async function readBlock(b: BlockInfo): Promise<Seen> {
  const values = await Promise.all([b.input, b.skip, b.branch, b.output].map(async (t) => Array.from(await t.data64())));
  return { name: b.name, alpha: await b.readAlpha(), values };
}

describe('model.forwardAsync', () => {
  it('sees, block by block, exactly what forward() sees, and gives the same logits and gradients', async () => {
    const sync = refEngine();
    const m1 = build(spec(), { engine: sync });
    const seen1: Seen[] = [];
    const logits1 = m1.forward(input(sync, [2, 3, 8, 8]), {
      training: true,
      onBlock: (b) => seen1.push({ name: b.name, alpha: b.alpha, values: [b.input, b.skip, b.branch, b.output].map((t) => Array.from(t.dataSync64())) }),
    });
    crossEntropy(logits1, labels(2, 10)).backward();

    const engine = asyncEngine();
    const m2 = build(spec(), { engine });
    const seen2: Seen[] = [];
    const logits2 = await m2.forwardAsync(input(engine, [2, 3, 8, 8]), { training: true, onBlock: async (b) => void seen2.push(await readBlock(b)) });
    crossEntropy(logits2, labels(2, 10)).backward();

    expect(seen2).toEqual(seen1);
    expect(Array.from(await logits2.data64())).toEqual(Array.from(logits1.dataSync64()));
    const g1 = m1.parameters().map((p) => Array.from(p.value.grad!.dataSync64()));
    const g2 = await Promise.all(m2.parameters().map(async (p) => Array.from(await p.value.grad!.data64())));
    expect(g2).toEqual(g1);
  });

  it('holds one block at a time, frees what it kept for the hook, and keeps the grad mode of the call', async () => {
    const engine = asyncEngine();
    const m = build(smallResNet({ norm: 'bn', blocks: [3, 2] }), { engine });
    const x = input(engine, [2, 3, 8, 8]);
    const before = memory(engine).numTensors;
    const live: number[] = [];
    const handed: Tensor[] = [];
    const logits = await noGrad(() =>
      m.forwardAsync(x, {
        onBlock: async (b) => {
          await b.output.data();
          handed.push(b.skip, b.branch);
          live.push(memory(engine).numTensors - before);
        },
      }),
    );
    expect(logits.gradFn).toBeNull();
    expect(Math.max(...live)).toBeLessThanOrEqual(4);
    expect(handed.filter((t) => t !== x).every((t) => t.isDisposed)).toBe(true);
    expect(memory(engine).numTensors).toBe(before + 1);
    logits.dispose();
  });

  it('propagates an error of the hook and leaks nothing', async () => {
    const engine = asyncEngine();
    const m = build(smallResNet({ norm: 'bn', blocks: [2, 1] }), { engine });
    const x = input(engine, [2, 3, 8, 8]);
    const before = memory(engine);
    await expect(
      m.forwardAsync(x, {
        training: true,
        onBlock: async (b) => {
          await b.branch.data();
          if (b.index === 1) throw new Error('stop at block 1');
        },
      }),
    ).rejects.toThrow('stop at block 1');
    expect(memory(engine).numTensors).toBe(before.numTensors);
    expect(memory(engine).numDataBuffers).toBe(before.numDataBuffers);
  });
});
