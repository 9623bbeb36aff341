import { beforeEach, describe, expect, it } from 'vitest';
import { setBackend } from './engine';
import type { Engine } from './engine';
import { dispose, keep, memory, tidy } from './memory';
import { ReferenceBackend } from './reference/reference-backend';
import { ones, randn, tensor, zeros } from './creation';
import { runMemoryCheck } from './testing/memory-check';
import { crossEntropy } from './ops/loss';
import { linear } from './ops/matmul';
import { sgdUpdate_ } from './ops/inplace';
import { noGrad } from './tape';
import type { Tensor } from './tensor';

let engine: Engine;
beforeEach(() => {
  engine = setBackend(new ReferenceBackend());
});

const live = () => engine.memory().numTensors;

describe('tidy, keep, dispose', () => {
  it('disposes what was created inside except the result', () => {
    const x = ones([3]);
    const n = live();
    const y = tidy(() => x.add(1).mul(2).exp());
    expect(live()).toBe(n + 1);
    expect(y.isDisposed).toBe(false);
    expect(x.isDisposed).toBe(false);
  });

  it('keeps tensors in returned arrays and plain objects; nested tidies hand results outwards', () => {
    const n = live();
    const out = tidy(() => {
      const a = ones([2]);
      const inner = tidy(() => ({ b: a.add(1), list: [a.mul(3), 7] }));
      zeros([5]);
      return [inner.b, inner.list[0]];
    });
    expect(live()).toBe(n + 2);
    expect(out.every((t) => !(t as Tensor).isDisposed)).toBe(true);
  });

  it('keep() exempts a tensor from every tidy', () => {
    let k: Tensor | null = null;
    tidy(() => {
      tidy(() => {
        k = keep(ones([2]));
      });
    });
    expect(k!.isDisposed).toBe(false);
  });

  it('disposes everything created inside when the function throws', () => {
    const n = live();
    expect(() =>
      tidy(() => {
        ones([2]).add(1);
        throw new Error('inside');
      }),
    ).toThrow('inside');
    expect(live()).toBe(n);
  });

  it('rejects async functions', () => {
    expect(() => tidy(async () => ones([1]))).toThrow('tidy: the function must be synchronous');
  });

  it('dispose() takes containers; disposing twice is a no-op', () => {
    const n = live();
    const a = ones([2]);
    const b = ones([3]);
    dispose({ a, list: [b, a] });
    a.dispose();
    expect(live()).toBe(n);
  });

  it('use after dispose is a clear error naming the op and the tensor', () => {
    const a = ones([2, 3]);
    a.dispose();
    expect(() => a.add(1)).toThrow(/^affine: tensor #\d+ \[2,3\] was disposed \(use after dispose\)$/);
    expect(() => a.dataSync()).toThrow('dataSync: tensor');
    expect(() => a.matmul(ones([3, 1]))).toThrow('matmul: tensor');
  });

  it('memory() counts live handles, shared storage once, and what the backend reports', () => {
    const m0 = memory();
    const a = zeros([10]);
    const r = a.reshape([2, 5]); // a second handle on the same storage
    const m1 = memory();
    expect(m1.numTensors - m0.numTensors).toBe(2);
    expect(m1.numDataBuffers - m0.numDataBuffers).toBe(1);
    expect(m1.numBytes - m0.numBytes).toBe(40);
    expect(m1.backend.numBytes - m0.backend.numBytes).toBe(80); // float64 on the reference backend
    a.dispose();
    expect(r.dataSync().length).toBe(10); // the view keeps the storage
    r.dispose();
    expect(memory()).toEqual(m0);
  });
});

describe('the tape and lifetimes', () => {
  it('forward in a tidy, backward outside: the tape kept what it saved', () => {
    const w = tensor([1, 2, 3], undefined, { requiresGrad: true });
    const loss = tidy(() => w.exp().mul(w).sum());
    loss.backward();
    expect(Array.from(w.grad!.dataSync64())).toEqual([1, 2, 3].map((v) => Math.exp(v) * (v + 1)));
  });

  it('a graph whose outputs are disposed without backward is released entirely', () => {
    const w = tensor([1, 2, 3], undefined, { requiresGrad: true });
    const before = engine.memory();
    for (let i = 0; i < 50; i++) tidy(() => w.exp().mul(w).sigmoid().sum().item());
    const after = engine.memory();
    expect(after.numTensors).toBe(before.numTensors);
    expect(after.numDataBuffers).toBe(before.numDataBuffers);
    expect(after.backend.numDataIds).toBe(before.backend.numDataIds);
  });

  it('an intermediate disposed early does not break backward through it', () => {
    const w = tensor([2], undefined, { requiresGrad: true });
    const h = w.mul(w);
    const y = h.exp().sum();
    h.dispose();
    y.backward();
    expect(w.grad!.dataSync64()[0]).toBeCloseTo(2 * 2 * Math.exp(4), 9);
  });
});

describe('memory test: 1,000 training steps keep live tensors and bytes flat', () => {
  it('with the testing helper (2-layer MLP, cross-entropy, momentum SGD)', async () => {
    const r = await runMemoryCheck(new ReferenceBackend(), { iterations: 1000 });
    expect(r.samples.length).toBe(1000);
    expect(r.flat).toBe(true);
    expect(r.lastLoss).toBeLessThan(r.firstLoss * 0.5); // it really trains
  });

  it('written out by hand, with .grad accumulation and zeroGrad', () => {
    const w1 = randn([16, 8], { requiresGrad: true }).keep();
    const w2 = randn([4, 16], { requiresGrad: true }).keep();
    const v = [zeros([16, 8]), zeros([4, 16])];
    const x = randn([32, 8]);
    const labels = Int32Array.from({ length: 32 }, (_, i) => i % 4);
    const counts: number[][] = [];
    for (let i = 0; i < 1000; i++) {
      tidy(() => {
        const loss = crossEntropy(linear(linear(x, w1).relu(), w2), labels);
        loss.backward();
        noGrad(() => [w1, w2].forEach((w, j) => sgdUpdate_(w, w.grad!, v[j], { lr: 0.01, momentum: 0.9, weightDecay: 1e-4, nesterov: true })));
        w1.zeroGrad();
        w2.zeroGrad();
      });
      const m = engine.memory();
      counts.push([m.numTensors, m.numBytes, m.backend.numDataIds, m.backend.numBytes]);
    }
    expect(counts.every((c) => c.join() === counts[0].join())).toBe(true);
  });
});
