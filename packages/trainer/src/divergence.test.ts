import { describe, expect, it } from 'vitest';
import { activation, dense, flatten, graph, head, input, preact, resblock, resolveTrainSpec } from '@skipinit/graph';
import { defaultMaxLoss, divergenceMessage, divergenceReason, divergenceSuggestions } from './divergence';

const deep = (init: 'plain' | 'skipinit', norm: 'none' | 'bn') =>
  graph('deep', [input([8]), flatten(), dense(8), resblock({ branch: preact({ kind: 'mlp', width: 8, norm }), init, count: 100 }), activation('relu'), head(10)]);
const spec = resolveTrainSpec({ data: { name: 'blobs' }, optimizer: { name: 'sgd', lr: 0.1 } });

describe('divergence', () => {
  it('counts NaN, infinities and losses above the threshold (100 ln(classes))', () => {
    expect(defaultMaxLoss(10)).toBeCloseTo(230.2585, 4);
    expect(divergenceReason(NaN, 230)).toBe('the loss is NaN');
    expect(divergenceReason(Infinity, 230)).toBe('the loss is +Infinity');
    expect(divergenceReason(231, 230)).toBe('the loss 231 exceeds the explosion threshold 230');
    expect(divergenceReason(2.3, 230)).toBeNull();
  });

  it('suggests only init/norm when the loss is bad before any update (no lr or warm-up can help), the learning rate first later', () => {
    const first = divergenceSuggestions(deep('plain', 'none'), spec, 0.1, 1);
    expect(first[0]).toMatch(/^init=skipinit .* 100 unnormalised residual branches/);
    expect(first[1]).toMatch(/^norm=bn/);
    expect(first.join(' ')).not.toMatch(/learning rate|lr=|warm-up/);
    const bn = divergenceSuggestions(deep('plain', 'bn'), spec, 0.1, 1);
    expect(bn).toEqual(['smaller initial weights (init=lecun or init=xavier, or gain=0.5 on the dense and conv layers)']);
    const later = divergenceSuggestions(deep('plain', 'none'), spec, 0.1, 50);
    expect(later[0]).toMatch(/^a lower learning rate \(the step used lr=0\.1; try --set lr=0\.01\)/);
    expect(later[1]).toMatch(/warm-up/);
    // a batch-normalised network is not told to add batch norm or skipinit
    expect(divergenceSuggestions(deep('plain', 'bn'), spec, 0.1, 1).join(' ')).not.toMatch(/norm=bn|init=skipinit/);
    expect(divergenceSuggestions(deep('skipinit', 'none'), spec, 0.1, 5).join(' ')).not.toMatch(/init=skipinit/);
  });

  it('names the step, the epoch, the reason and the kept checkpoint', () => {
    const m = divergenceMessage({ step: 1, epoch: 0, reason: 'the loss is NaN', suggestions: ['a', 'b'], lastCheckpoint: null });
    expect(m).toBe('training diverged at step 1 (epoch 1): the loss is NaN before any update: the network overflows at initialisation. Try a; or b. No checkpoint had been written yet.');
    const k = divergenceMessage({ step: 40, epoch: 2, reason: 'the loss is NaN', suggestions: ['a'], lastCheckpoint: { path: 'r/last.safetensors', step: 39 } });
    expect(k).toBe('training diverged at step 40 (epoch 3): the loss is NaN. Try a. The last finite checkpoint (step 39) is kept: r/last.safetensors.');
  });
});
