import { createDataset, featureSize, type Dataset, type DatasetSplits } from './dataset';
import { check } from './errors';
import { Rng, Stream } from './rng';
import { checkSynthetic, type SyntheticOptions } from './synthetic-shape';

/**
 * Gaussian clusters ("blobs"): k classes, each an isotropic Gaussian around its own centre in D dimensions
 * (D = the product of the shape, so image-shaped clusters are the same thing reshaped).
 *
 * Centres are drawn once, N(0, s^2 I) with s = separation / sqrt(2D), so the expected distance between two
 * centres is about `separation` whatever D is; each example is its centre plus N(0, noise^2 I). Telling two
 * classes apart along the line between their centres then errs with probability about
 * Phi(-separation / (2 noise)) (separation 4, noise 1: 2.3%). Classes are balanced (counts differ by at most
 * one) and come in random order. Everything is a pure function of the options.
 */
export interface GaussianClustersOptions extends SyntheticOptions {
  /** Expected distance between two class centres (default 4). */
  separation?: number;
  /** Standard deviation of each coordinate around its centre (default 1). */
  noise?: number;
}

export interface GaussianClusters extends DatasetSplits {
  /** The class centres, [classes, ...shape] row-major. */
  readonly centres: Float32Array;
}

export function gaussianClusters(options: GaussianClustersOptions): GaussianClusters {
  const where = 'gaussianClusters';
  const shape = checkSynthetic(options, where);
  const separation = options.separation ?? 4;
  const noise = options.noise ?? 1;
  check(Number.isFinite(separation) && separation >= 0, where, `separation must be >= 0, got ${separation}`);
  check(Number.isFinite(noise) && noise >= 0, where, `noise must be >= 0, got ${noise}`);
  const d = featureSize(shape);
  const k = options.classes;
  const scale = separation / Math.sqrt(2 * d);
  const centreRng = new Rng(options.seed, Stream.synthetic, 0);
  const centres = new Float32Array(k * d);
  for (let i = 0; i < centres.length; i++) centres[i] = scale * centreRng.normal();
  const split = (part: 'train' | 'test', stream: number): Dataset => {
    const n = options[part];
    const rng = new Rng(options.seed, Stream.synthetic, stream);
    const y = new Int32Array(n);
    for (let i = 0; i < n; i++) y[i] = i % k;
    rng.shuffle(y);
    const x = new Float32Array(n * d);
    for (let i = 0; i < n; i++) {
      const c = y[i] * d;
      for (let j = 0; j < d; j++) x[i * d + j] = centres[c + j] + noise * rng.normal();
    }
    return createDataset({ name: `blobs/${part}`, x, y, shape, numClasses: k });
  };
  return { train: split('train', 1), test: split('test', 2), centres };
}
