import { augmentParams, checkAugment, cropFlip, type AugmentOptions } from './augment';
import { featureSize, type Dataset } from './dataset';
import { check, DataError } from './errors';
import { Rng, Stream } from './rng';

/**
 * Batches of a Dataset, deterministic and resumable, in the spirit of torch's DataLoader with a seeded
 * sampler:
 *
 * - the order of epoch e is a pure function of (seed, e): a Fisher-Yates permutation from the stream
 *   (seed, shuffle, e), or 0..N-1 with `shuffle: false`;
 * - the augmentation of batch b of epoch e is a pure function of (seed, e, b);
 * - so the position of the next batch, `state()` = { epoch, batch } (plus the settings it belongs to), is all
 *   a checkpoint must store: `restore(state)` and `next()` continue exactly where the run stopped.
 */
export interface BatchLoaderOptions {
  batchSize: number;
  /** Shuffle each epoch (default true). */
  shuffle?: boolean;
  /** Drop the last, smaller batch of each epoch (default false). */
  dropLast?: boolean;
  /** Seed of the batch order and augmentation (default 0). Any safe integer. */
  seed?: number;
  augment?: AugmentOptions;
  /**
   * Write every batch into the same buffers (default false). The arrays of a batch are then valid only until
   * the next batch is made; saves an allocation of batchSize x example size per batch.
   */
  reuseBuffers?: boolean;
}

export interface Batch {
  /** [size, ...dataset.shape], row-major. */
  readonly x: Float32Array;
  readonly y: Int32Array;
  readonly size: number;
  readonly epoch: number;
  /** The index of this batch within its epoch. */
  readonly index: number;
  /** The dataset indices of the examples, in batch order. */
  readonly indices: Uint32Array;
  /** True for the last batch of the epoch. */
  readonly last: boolean;
}

/** The loader's position (the next batch to make) and the settings it is valid for. Plain JSON. */
export interface LoaderState {
  readonly epoch: number;
  readonly batch: number;
  readonly seed: number;
  readonly length: number;
  readonly batchSize: number;
  readonly shuffle: boolean;
  readonly dropLast: boolean;
}

export class BatchLoader {
  readonly dataset: Dataset;
  readonly batchSize: number;
  readonly shuffle: boolean;
  readonly dropLast: boolean;
  readonly seed: number;
  readonly augment: AugmentOptions;
  readonly batchesPerEpoch: number;
  private readonly featureSize: number;
  private readonly fill: Float32Array;
  private readonly augmenting: boolean;
  private readonly buffers: { x: Float32Array; y: Int32Array; indices: Uint32Array } | undefined;
  private orderEpoch = -1;
  private orderCache: Uint32Array = new Uint32Array(0);
  private epochAt = 0;
  private batchAt = 0;

  constructor(dataset: Dataset, options: BatchLoaderOptions) {
    const where = `BatchLoader(${dataset.name})`;
    const { batchSize } = options;
    check(Number.isInteger(batchSize) && batchSize >= 1, where, `batchSize must be an integer >= 1, got ${batchSize}`);
    const seed = options.seed ?? 0;
    check(Number.isSafeInteger(seed), where, `seed must be a safe integer, got ${seed}`);
    this.dataset = dataset;
    this.batchSize = batchSize;
    this.shuffle = options.shuffle ?? true;
    this.dropLast = options.dropLast ?? false;
    this.seed = seed;
    this.augment = { ...(options.augment ?? {}) };
    this.fill = checkAugment(this.augment, dataset.shape, where);
    this.augmenting = (this.augment.cropPadding ?? 0) > 0 || this.augment.flip === true;
    this.featureSize = featureSize(dataset.shape);
    this.batchesPerEpoch = this.dropLast
      ? Math.floor(dataset.length / batchSize)
      : Math.ceil(dataset.length / batchSize);
    check(
      this.batchesPerEpoch > 0,
      where,
      `no batch in an epoch: ${dataset.length} examples` +
        (this.dropLast ? ` with dropLast and batchSize ${batchSize}` : ''),
    );
    this.buffers = options.reuseBuffers
      ? {
          x: new Float32Array(batchSize * this.featureSize),
          y: new Int32Array(batchSize),
          indices: new Uint32Array(batchSize),
        }
      : undefined;
  }

  /** The number of examples one epoch visits (all of them, or fewer with dropLast). */
  get examplesPerEpoch(): number {
    return this.dropLast ? this.batchesPerEpoch * this.batchSize : this.dataset.length;
  }

  /** The order in which epoch `epoch` visits the dataset: a pure function of (seed, epoch). */
  order(epoch: number): Uint32Array {
    checkPosition(epoch, 0, this.batchesPerEpoch, this.dataset.name);
    if (epoch !== this.orderEpoch) {
      const n = this.dataset.length;
      this.orderCache = this.shuffle ? new Rng(this.seed, Stream.shuffle, epoch).permutation(n) : identity(n);
      this.orderEpoch = epoch;
    }
    return this.orderCache;
  }

  /** Batch `index` of epoch `epoch`, made directly (random access; does not move the position). */
  batch(epoch: number, index: number): Batch {
    checkPosition(epoch, index, this.batchesPerEpoch, this.dataset.name);
    const order = this.order(epoch);
    const start = index * this.batchSize;
    const size = Math.min(this.batchSize, this.dataset.length - start);
    const f = this.featureSize;
    const b = this.buffers;
    const x = b ? b.x.subarray(0, size * f) : new Float32Array(size * f);
    const y = b ? b.y.subarray(0, size) : new Int32Array(size);
    const indices = b ? b.indices.subarray(0, size) : new Uint32Array(size);
    indices.set(order.subarray(start, start + size));
    const src = this.dataset.x;
    const params = this.augmenting ? augmentParams(this.augment, this.seed, epoch, index, size) : undefined;
    const padding = this.augment.cropPadding ?? 0;
    for (let k = 0; k < size; k++) {
      const i = indices[k];
      y[k] = this.dataset.y[i];
      if (params) {
        cropFlip(src, i * f, x, k * f, this.dataset.shape, padding, params.dy[k], params.dx[k], params.flip[k] === 1, this.fill);
      } else {
        x.set(src.subarray(i * f, (i + 1) * f), k * f);
      }
    }
    return { x, y, size, epoch, index, indices, last: index === this.batchesPerEpoch - 1 };
  }

  /** The batches of epoch `epoch` from batch `from` on (does not move the position). */
  *epoch(epoch: number, from = 0): Generator<Batch, void, undefined> {
    checkPosition(epoch, from, this.batchesPerEpoch, this.dataset.name);
    for (let b = from; b < this.batchesPerEpoch; b++) yield this.batch(epoch, b);
  }

  /** The batch at the position, then moves the position on (to the next epoch after its last batch). */
  next(): Batch {
    const batch = this.batch(this.epochAt, this.batchAt);
    if (++this.batchAt === this.batchesPerEpoch) {
      this.batchAt = 0;
      this.epochAt++;
    }
    return batch;
  }

  /** The position of the next batch `next()` makes, with the settings it is valid for. */
  state(): LoaderState {
    return {
      epoch: this.epochAt,
      batch: this.batchAt,
      seed: this.seed,
      length: this.dataset.length,
      batchSize: this.batchSize,
      shuffle: this.shuffle,
      dropLast: this.dropLast,
    };
  }

  /** Moves to a saved position. Refuses a state made by a loader with other settings or data size. */
  restore(state: LoaderState): void {
    const mismatches = (['seed', 'length', 'batchSize', 'shuffle', 'dropLast'] as const)
      .filter((k) => state?.[k] !== this.state()[k])
      .map((k) => `${k} ${JSON.stringify(state?.[k])} (this loader: ${JSON.stringify(this.state()[k])})`);
    if (mismatches.length > 0) {
      throw new DataError(
        'data/bad-state',
        `BatchLoader(${this.dataset.name}).restore: the state belongs to another loader: ${mismatches.join(', ')}`,
      );
    }
    const message = positionError(state.epoch, state.batch, this.batchesPerEpoch);
    if (message !== undefined) {
      throw new DataError('data/bad-state', `BatchLoader(${this.dataset.name}).restore: ${message}`);
    }
    this.epochAt = state.epoch;
    this.batchAt = state.batch;
  }

  /** Moves the position to batch `batch` of epoch `epoch`. */
  seek(epoch: number, batch = 0): void {
    checkPosition(epoch, batch, this.batchesPerEpoch, this.dataset.name);
    this.epochAt = epoch;
    this.batchAt = batch;
  }
}

function positionError(epoch: number, batch: number, perEpoch: number): string | undefined {
  if (!Number.isInteger(epoch) || epoch < 0 || epoch > 0xffffffff) {
    return `epoch must be an integer in [0, 2^32), got ${epoch}`;
  }
  if (!Number.isInteger(batch) || batch < 0 || batch >= perEpoch) {
    return `batch index must be an integer in [0, ${perEpoch}), got ${batch}`;
  }
  return undefined;
}

function checkPosition(epoch: number, batch: number, perEpoch: number, name: string): void {
  const message = positionError(epoch, batch, perEpoch);
  check(message === undefined, `BatchLoader(${name})`, message ?? '');
}

function identity(n: number): Uint32Array {
  const a = new Uint32Array(n);
  for (let i = 0; i < n; i++) a[i] = i;
  return a;
}
