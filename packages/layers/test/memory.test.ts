import { crossEntropy, memory, noGrad } from '@skipinit/tensor';
import { describe, expect, it } from 'vitest';
import { build } from '../src';
import { deepMlpGraph } from './fixtures';
import { input, labels, refEngine } from './helpers';

// A 1000-block MLP of width 128 (examples/deep-mlp.arch's deep_mlp: 32.9M parameters): the forward pass holds about
// one block's activations at a time (counted with memory() inside the hooks), and after a training step
// only parameters, buffers and gradients remain.

describe('1000-block MLP, width 128', () => {
  const engine = refEngine();
  const started = performance.now();
  const model = build(deepMlpGraph(1000, 'none', 'skipinit', 128), { engine, seed: 0 });
  const buildMs = performance.now() - started;
  const resident = memory(engine);

  it(`builds in seconds (took ${Math.round(buildMs)} ms here) with one tensor per parameter`, () => {
    expect(model.numParameters()).toBe(32_870_770);
    expect(model.blocks).toHaveLength(1000);
    expect(resident.numTensors).toBe(model.parameters().length + model.buffers().length);
    expect(buildMs).toBeLessThan(20_000); // a generous bound for a busy shared machine; quiet: about 1 s
  });

  it('forward without gradient: live tensors stay flat across the 1000 blocks, and only the logits remain', () => {
    const x = input(engine, [2, 1, 28, 28]);
    const live: number[] = [];
    const logits = noGrad(() => model.forward(x, { onBlock: () => void live.push(memory(engine).numTensors) }));
    expect(live).toHaveLength(1000);
    expect(Math.max(...live)).toBe(Math.min(...live));
    expect(Math.max(...live) - resident.numTensors).toBeLessThan(20);
    expect(memory(engine).numTensors).toBe(resident.numTensors + 2); // x and the logits
    logits.dispose();
    x.dispose();
    expect(memory(engine)).toMatchObject({ numTensors: resident.numTensors, numDataBuffers: resident.numDataBuffers, numBytes: resident.numBytes });
  });

  it('a training step: the tape holds what backward needs; afterwards only gradients were added', () => {
    const x = input(engine, [2, 1, 28, 28]);
    const before = memory(engine);
    const logits = model.forward(x, { training: true });
    const loss = crossEntropy(logits, labels(2, 10));
    const live = memory(engine);
    expect(live.numTensors).toBe(before.numTensors + 2); // logits and loss; activations are held by the tape only
    loss.backward();
    loss.dispose();
    logits.dispose();
    const params = model.parameters();
    expect(params.every((p) => p.grad !== null)).toBe(true);
    const after = memory(engine);
    expect(after.numTensors).toBe(before.numTensors + params.length);
    expect(after.numDataBuffers).toBe(before.numDataBuffers + params.length);
    model.zeroGrad();
    x.dispose();
    expect(memory(engine)).toMatchObject({ numTensors: resident.numTensors, numDataBuffers: resident.numDataBuffers });
  });

  it('dispose frees everything', () => {
    model.dispose();
    expect(memory(engine).numTensors).toBe(0);
    expect(memory(engine).numDataBuffers).toBe(0);
  });
});
