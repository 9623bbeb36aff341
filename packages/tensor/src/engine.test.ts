import { describe, expect, it } from 'vitest';
import { getEngine } from './context';
import { Engine, setBackend } from './engine';
import { ReferenceBackend } from './reference/reference-backend';
import { ones, tensor } from './creation';
import type { Backend } from './backend';

/** A reference backend that, like WebGPU, can only read asynchronously. */
function asyncOnly(): Backend {
  const b = new ReferenceBackend();
  const read = b.read.bind(b);
  return Object.assign(b, {
    readAsync: async (id: Parameters<Backend['read']>[0]) => read(id),
    read: () => {
      throw new Error('synchronous reads are not available');
    },
  });
}

describe('Engine', () => {
  it('setBackend makes an engine current and returns it; engines are independent', () => {
    const e = setBackend(new ReferenceBackend(), { seed: 1 });
    expect(getEngine()).toBe(e);
    const other = new Engine(new ReferenceBackend());
    const t = ones([3], { engine: other });
    expect(t.engine).toBe(other);
    expect(e.memory().numTensors).toBe(0);
    expect(other.memory().numTensors).toBe(1);
  });

  it('rejects things that are not backends', () => {
    expect(() => new Engine({} as Backend)).toThrow('Engine: expected a Backend');
  });

  it('async-only backends: data() works, dataSync() says to use it, toString degrades', async () => {
    const e = new Engine(asyncOnly());
    const t = tensor([1, 2], undefined, { engine: e });
    expect(Array.from(await t.data())).toEqual([1, 2]);
    expect(Array.from(await t.data64())).toEqual([1, 2]);
    expect(() => t.dataSync()).toThrow(
      'dataSync: [2]: the reference backend (reference) cannot read synchronously (synchronous reads are not available); use await t.data()',
    );
    expect(() => t.sum().item()).toThrow('use await t.data()');
    expect(String(t)).toBe('tensor(<shape [2] on reference: read it with await t.data()>)');
  });

  it('after destroy, tensors of the engine are unusable', () => {
    const e = new Engine(new ReferenceBackend());
    const t = ones([2], { engine: e });
    e.destroy();
    e.destroy(); // idempotent
    expect(() => t.add(1)).toThrow('its engine was destroyed');
    t.dispose(); // still safe
  });
});
