import { describe, expect, it } from 'vitest';
import { BatchLoader, type Batch } from './batch-loader';
import { createDataset, type Dataset } from './dataset';
import { DataError } from './errors';

/** N examples of shape [2] holding (i, -i), labels i mod 3: every batch value names its source example. */
function indexed(n: number): Dataset {
  const x = new Float32Array(2 * n);
  for (let i = 0; i < n; i++) {
    x[2 * i] = i;
    x[2 * i + 1] = -i;
  }
  return createDataset({ name: 'idx/train', x, y: Int32Array.from({ length: n }, (_, i) => i % 3), shape: [2], numClasses: 3 });
}

/** The example ids of a batch, read back from its data (not from `indices`). */
const ids = (b: Batch) => Array.from({ length: b.size }, (_, k) => b.x[2 * k]);

describe('BatchLoader', () => {
  it('visits every example exactly once per epoch, with matching labels; the last batch is smaller', () => {
    const ds = indexed(10);
    const loader = new BatchLoader(ds, { batchSize: 4, seed: 1 });
    expect(loader.batchesPerEpoch).toBe(3);
    const batches = [...loader.epoch(0)];
    expect(batches.map((b) => b.size)).toEqual([4, 4, 2]);
    expect(batches.map((b) => b.last)).toEqual([false, false, true]);
    const seen = batches.flatMap(ids);
    expect([...seen].sort((a, b) => a - b)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(seen).not.toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]); // shuffled
    for (const b of batches) {
      expect(ids(b)).toEqual(Array.from(b.indices));
      expect(Array.from(b.y)).toEqual(ids(b).map((i) => i % 3));
      expect(Array.from({ length: b.size }, (_, k) => b.x[2 * k + 1])).toEqual(ids(b).map((i) => -i));
    }
  });

  it('dropLast drops the smaller batch; shuffle false keeps the dataset order', () => {
    const ds = indexed(10);
    const dropped = new BatchLoader(ds, { batchSize: 4, dropLast: true, seed: 2 });
    expect(dropped.batchesPerEpoch).toBe(2);
    expect(dropped.examplesPerEpoch).toBe(8);
    expect([...dropped.epoch(3)].map((b) => b.size)).toEqual([4, 4]);
    const ordered = new BatchLoader(ds, { batchSize: 3, shuffle: false });
    expect([...ordered.epoch(5)].map(ids)).toEqual([[0, 1, 2], [3, 4, 5], [6, 7, 8], [9]]);
  });

  it('the order of an epoch is a pure function of (seed, epoch)', () => {
    const ds = indexed(50);
    const a = new BatchLoader(ds, { batchSize: 7, seed: 11 });
    const b = new BatchLoader(ds, { batchSize: 7, seed: 11 });
    const c = new BatchLoader(ds, { batchSize: 7, seed: 12 });
    // a walks epochs 0..3 in order, b jumps straight to epoch 3 and back: same orders.
    const orderA = [0, 1, 2, 3].map((e) => Array.from(a.order(e)));
    expect(Array.from(b.order(3))).toEqual(orderA[3]);
    expect(Array.from(b.order(0))).toEqual(orderA[0]);
    expect(orderA[0]).not.toEqual(orderA[1]);
    expect(Array.from(c.order(0))).not.toEqual(orderA[0]);
    // the batch size does not change the order, only how it is cut
    expect(Array.from(new BatchLoader(ds, { batchSize: 5, seed: 11 }).order(2))).toEqual(orderA[2]);
  });

  it('next() walks across epochs; a state saved mid-epoch resumes the exact same batches (through JSON)', () => {
    const ds = indexed(23);
    const options = { batchSize: 5, seed: 3 };
    const straight = new BatchLoader(ds, options);
    const all = Array.from({ length: 17 }, () => straight.next()); // 5 batches per epoch: into epoch 3
    expect(all.map((b) => [b.epoch, b.index]).slice(3, 7)).toEqual([[0, 3], [0, 4], [1, 0], [1, 1]]);
    const first = new BatchLoader(ds, options);
    for (let i = 0; i < 8; i++) first.next(); // stop in the middle of epoch 1
    const saved = JSON.stringify(first.state());
    expect(JSON.parse(saved)).toEqual({ epoch: 1, batch: 3, seed: 3, length: 23, batchSize: 5, shuffle: true, dropLast: false });
    const resumed = new BatchLoader(ds, options); // a fresh process: nothing carried over but the state
    resumed.restore(JSON.parse(saved));
    const rest = Array.from({ length: 9 }, () => resumed.next());
    rest.forEach((b, k) => {
      const want = all[8 + k];
      expect([b.epoch, b.index, b.size]).toEqual([want.epoch, want.index, want.size]);
      expect(Array.from(b.x)).toEqual(Array.from(want.x));
      expect(Array.from(b.y)).toEqual(Array.from(want.y));
    });
  });

  it('refuses to restore a state from a loader with other settings, or out of range', () => {
    const loader = new BatchLoader(indexed(10), { batchSize: 4, seed: 1 });
    const other = new BatchLoader(indexed(12), { batchSize: 3, seed: 1 }).state();
    let e: DataError | undefined;
    try {
      loader.restore(other);
    } catch (err) {
      e = err as DataError;
    }
    expect(e?.code).toBe('data/bad-state');
    expect(e?.message).toBe(
      'BatchLoader(idx/train).restore: the state belongs to another loader: length 12 (this loader: 10), ' +
        'batchSize 3 (this loader: 4)',
    );
    expect(() => loader.restore({ ...loader.state(), batch: 3 })).toThrow(
      'BatchLoader(idx/train).restore: batch index must be an integer in [0, 3), got 3',
    );
    expect(() => loader.restore({ ...loader.state(), epoch: -1 })).toThrow(/epoch must be an integer/);
  });

  it('reuseBuffers yields the same values in the same arrays', () => {
    const ds = indexed(10);
    const fresh = new BatchLoader(ds, { batchSize: 4, seed: 9 });
    const reused = new BatchLoader(ds, { batchSize: 4, seed: 9, reuseBuffers: true });
    const a = [...fresh.epoch(0)].map((b) => Array.from(b.x));
    const buffers = new Set<ArrayBufferLike>();
    let k = 0;
    for (const b of reused.epoch(0)) {
      expect(Array.from(b.x)).toEqual(a[k++]); // read before the next batch overwrites it
      buffers.add(b.x.buffer);
    }
    expect(k).toBe(3);
    expect(buffers.size).toBe(1);
  });

  it('refuses bad options with what and where', () => {
    const ds = indexed(3);
    expect(() => new BatchLoader(ds, { batchSize: 0 })).toThrow('BatchLoader(idx/train): batchSize must be an integer >= 1, got 0');
    expect(() => new BatchLoader(ds, { batchSize: 4, dropLast: true })).toThrow(
      'BatchLoader(idx/train): no batch in an epoch: 3 examples with dropLast and batchSize 4',
    );
    expect(() => new BatchLoader(ds, { batchSize: 1, seed: 1.5 })).toThrow(/seed must be a safe integer, got 1.5/);
    expect(() => new BatchLoader(ds, { batchSize: 1, augment: { flip: true } })).toThrow(
      'BatchLoader(idx/train): crop and flip need image examples [C, H, W], got [2]',
    );
    expect(() => new BatchLoader(ds, { batchSize: 1 }).batch(0, 3)).toThrow(/batch index must be an integer in \[0, 3\), got 3/);
  });
});
