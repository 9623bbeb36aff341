// Where each downloadable data set comes from: the official URLs, the published archives' sizes and
// SHA-256 digests, and what extracting them must produce. The digests and sizes are TensorFlow Datasets'
// registered checksums (github.com/tensorflow/datasets, tensorflow_datasets/url_checksums/cifar10.txt,
// cifar100.txt and fashion_mnist.txt); the Fashion-MNIST ones also match its README's table
// (github.com/zalandoresearch/fashion-mnist). The CIFAR page publishes MD5s only
// (https://www.cs.toronto.edu/~kriz/cifar.html: c32a1d4ab5d03f1284b67883e8d87530 for the CIFAR-10 binary
// version), so the SHA-256 comes from TFDS.

export type FetchableName = 'cifar10' | 'cifar100' | 'fashion_mnist';

export interface ArchiveFile {
  /** The official URL. */
  readonly url: string;
  /** The published size in bytes and SHA-256 (lower-case hex). */
  readonly bytes: number;
  readonly sha256: string;
  /** 'tar.gz': a gzipped tar, extracted into the data set's directory; 'gz': one gzipped file, decompressed. */
  readonly format: 'tar.gz' | 'gz';
}

export interface FetchableDataset {
  readonly name: FetchableName;
  readonly title: string;
  readonly files: readonly ArchiveFile[];
  /** Paths (relative to the data set's directory) that extraction must leave; the loaders read these. */
  readonly expect: readonly string[];
  /** Where the numbers come from. */
  readonly source: string;
}

const TFDS = 'TensorFlow Datasets url_checksums (github.com/tensorflow/datasets, tensorflow_datasets/url_checksums)';
const FASHION = 'http://fashion-mnist.s3-website.eu-central-1.amazonaws.com/';

export const FETCHABLE: Readonly<Record<FetchableName, FetchableDataset>> = {
  cifar10: {
    name: 'cifar10',
    title: 'CIFAR-10, binary version (Krizhevsky 2009)',
    files: [{ url: 'https://www.cs.toronto.edu/~kriz/cifar-10-binary.tar.gz', bytes: 170_052_171, sha256: 'c4a38c50a1bc5f3a1c5537f2155ab9d68f9f25eb1ed8d9ddda3db29a59bca1dd', format: 'tar.gz' }],
    expect: ['data_batch_1.bin', 'data_batch_2.bin', 'data_batch_3.bin', 'data_batch_4.bin', 'data_batch_5.bin', 'test_batch.bin'].map((f) => `cifar-10-batches-bin/${f}`),
    source: TFDS,
  },
  cifar100: {
    name: 'cifar100',
    title: 'CIFAR-100, binary version (Krizhevsky 2009)',
    files: [{ url: 'https://www.cs.toronto.edu/~kriz/cifar-100-binary.tar.gz', bytes: 168_513_733, sha256: '58a81ae192c23a4be8b1804d68e518ed807d710a4eb253b1f2a199162a40d8ec', format: 'tar.gz' }],
    expect: ['cifar-100-binary/train.bin', 'cifar-100-binary/test.bin'],
    source: TFDS,
  },
  fashion_mnist: {
    name: 'fashion_mnist',
    title: 'Fashion-MNIST (Xiao, Rasul and Vollgraf 2017)',
    files: [
      { url: `${FASHION}train-images-idx3-ubyte.gz`, bytes: 26_421_880, sha256: '3aede38d61863908ad78613f6a32ed271626dd12800ba2636569512369268a84', format: 'gz' },
      { url: `${FASHION}train-labels-idx1-ubyte.gz`, bytes: 29_515, sha256: 'a04f17134ac03560a47e3764e11b92fc97de4d1bfaf8ba1a3aa29af54cc90845', format: 'gz' },
      { url: `${FASHION}t10k-images-idx3-ubyte.gz`, bytes: 4_422_102, sha256: '346e55b948d973a97e58d2351dde16a484bd415d4595297633bb08f03db6a073', format: 'gz' },
      { url: `${FASHION}t10k-labels-idx1-ubyte.gz`, bytes: 5_148, sha256: '67da17c76eaffca5446c3361aaab5c3cd6d1c2608764d35dfb1850b086bf8dd5', format: 'gz' },
    ],
    expect: ['train-images-idx3-ubyte', 'train-labels-idx1-ubyte', 't10k-images-idx3-ubyte', 't10k-labels-idx1-ubyte'],
    source: `${TFDS}; the same as the Fashion-MNIST README (github.com/zalandoresearch/fashion-mnist)`,
  },
};

export const FETCHABLE_NAMES = Object.keys(FETCHABLE) as FetchableName[];

/** The file name an archive is saved under (the last segment of its URL). */
export function archiveName(f: ArchiveFile): string {
  return new URL(f.url).pathname.split('/').pop()!;
}
