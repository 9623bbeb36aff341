// SkipInit through a projecting transition. With alpha = 0 a block is the identity unless its shortcut is a
// projection (a He-initialised 1x1 convolution on relu(x)): there the skip path's second moment changes,
// and the theory (theory.ts) predicts its expectation over the projection's random weights. One draw of a
// 1x1 convolution with tens of output channels moves it by tens of percent (the depth-1000 Wide-ResNet of
// docs/reproduction.md, seed 0: 2.13 -> 2.81 over its three transitions, theory 2.13), so the law is
// checked as a mean over seeds, on the float64 reference backend.
import { Engine, ReferenceBackend } from '@skipinit/tensor';
import { describe, expect, test } from 'vitest';
import { convnet } from '../test/nets';
import { signalPropagation } from './signal';

const engine = new Engine(new ReferenceBackend());

describe('SkipInit at a projection: the theory is the expectation over the weights', () => {
  test('measured / theory at the projecting block: mean 1 within 3 standard errors over 40 seeds; single draws spread', async () => {
    const g = convnet(1, { width: 8, init: 'skipinit' });
    const ratios: number[] = [];
    for (let seed = 0; seed < 40; seed++) {
      const r = await signalPropagation(g, { engine, batch: 8, seed });
      const projecting = r.records.findIndex((b) => b.output.secondMoment !== b.input.secondMoment);
      expect(projecting, `seed ${seed}: only the transition changes the stream`).toBe(1);
      expect(r.records[0].output).toEqual(r.records[0].input);
      const b = r.records[projecting];
      ratios.push(b.output.secondMoment! / b.theory!.output);
    }
    const mean = ratios.reduce((a, b) => a + b, 0) / ratios.length;
    const sd = Math.sqrt(ratios.reduce((a, b) => a + (b - mean) ** 2, 0) / (ratios.length - 1));
    expect(Math.abs(mean - 1)).toBeLessThan((3 * sd) / Math.sqrt(ratios.length));
    expect(sd).toBeGreaterThan(0.05); // one draw is not the expectation
  });
});
