import { describe, expect, it } from 'vitest';
import { Engine } from '../engine';
import { tensor } from '../creation';
import { AsyncReferenceBackend } from './async-reference-backend';
import { ReferenceBackend } from './reference-backend';

describe('AsyncReferenceBackend (the stand-in for WebGPU)', () => {
  it('refuses synchronous reads with a message that names the way out', () => {
    const engine = new Engine(new AsyncReferenceBackend());
    const t = tensor([1, 2, 3], [3], { engine });
    expect(() => t.dataSync()).toThrow(/cannot read synchronously.*use await t\.data\(\)/);
    expect(() => t.sum().item()).toThrow(/use await t\.data\(\)/);
  });

  it('reads asynchronously, on a later turn of the event loop, the values as they were at the call', async () => {
    const engine = new Engine(new AsyncReferenceBackend());
    const t = tensor([0.1, 2, 3], [3], { engine });
    let resolved = false;
    const pending = t.data64().then((v) => {
      resolved = true;
      return v;
    });
    await Promise.resolve();
    expect(resolved).toBe(false);
    t.dispose();
    expect(Array.from(await pending)).toEqual([0.1, 2, 3]);
  });

  it('computes exactly what the reference backend computes', async () => {
    const run = async (engine: Engine) => {
      const x = tensor([0.3, -1.2, 2.5, 0.7, -0.1, 1.9], [2, 3], { engine });
      const y = x.matmul(x.t()).exp().sum(1);
      return Array.from(await y.data64());
    };
    expect(await run(new Engine(new AsyncReferenceBackend()))).toEqual(await run(new Engine(new ReferenceBackend())));
  });
});
