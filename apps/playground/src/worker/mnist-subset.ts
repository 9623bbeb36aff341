// The MNIST subset shipped with the page (scripts/mnist-subset.mjs writes it): four gzipped IDX files,
// fetched, decompressed by the browser and parsed by @skipinit/data as `loadMnist` parses the full files
// (pixels / 255 in [0, 1], images 1x28x28, labels 0..9).
import { createDataset, DataError, MNIST_CLASSES, parseIdx } from '@skipinit/data';
import type { Dataset, DatasetSplits } from '@skipinit/data';

async function idx(base: URL, name: string) {
  const response = await fetch(new URL(name, base));
  if (!response.ok || response.body === null) throw new DataError('data/missing-file', `the page's MNIST subset is missing (HTTP ${response.status})`, name);
  const bytes = new Uint8Array(await new Response(response.body.pipeThrough(new DecompressionStream('gzip'))).arrayBuffer());
  return parseIdx(bytes, name);
}

async function split(base: URL, prefix: 'train' | 't10k'): Promise<Dataset> {
  const images = await idx(base, `${prefix}-images-idx3-ubyte.gz`);
  const labels = await idx(base, `${prefix}-labels-idx1-ubyte.gz`);
  const [n, h, w] = images.dims;
  if (images.type !== 'uint8' || h !== 28 || w !== 28 || labels.dims[0] !== n) {
    throw new DataError('data/bad-format', `expected ${n} uint8 28x28 images with as many labels`, `${prefix}-images-idx3-ubyte.gz`);
  }
  const x = new Float32Array(images.data.length);
  for (let i = 0; i < x.length; i++) x[i] = images.data[i] / 255;
  const y = Int32Array.from(labels.data);
  return createDataset({ name: `mnist/${prefix === 'train' ? 'train' : 'test'}`, x, y, shape: [1, 28, 28], numClasses: 10, classNames: MNIST_CLASSES });
}

let cached: Promise<DatasetSplits> | null = null;

/** The subset's splits (fetched once per worker). */
export function mnistSubset(base: URL): Promise<DatasetSplits> {
  cached ??= Promise.all([split(base, 'train'), split(base, 't10k')]).then(([train, test]) => ({ train, test }));
  return cached;
}
