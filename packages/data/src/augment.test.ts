import { describe, expect, it } from 'vitest';
import { augmentParams, cropFlip } from './augment';
import { BatchLoader } from './batch-loader';
import { createDataset, type Dataset } from './dataset';

const C = 2;
const H = 4;
const W = 5;
const SIZE = C * H * W;

/** Images [2, 4, 5] whose every value is unique and nonzero: example i, position p holds 1000 i + p + 1. */
function uniqueImages(n: number): Dataset {
  const x = Float32Array.from({ length: n * SIZE }, (_, k) => 1000 * Math.floor(k / SIZE) + (k % SIZE) + 1);
  return createDataset({ name: 'img/train', x, y: new Int32Array(n), shape: [C, H, W], numClasses: 1 });
}

/** An independent oracle: pad explicitly into a bigger array, slice the window, then mirror it. */
function oracle(img: Float32Array, p: number, dy: number, dx: number, flip: boolean, fill: number[]): number[] {
  const hp = H + 2 * p;
  const wp = W + 2 * p;
  const padded: number[][][] = [];
  for (let c = 0; c < C; c++) {
    padded.push(Array.from({ length: hp }, () => new Array(wp).fill(fill[c])));
    for (let i = 0; i < H; i++) for (let j = 0; j < W; j++) padded[c][i + p][j + p] = img[(c * H + i) * W + j];
  }
  const out: number[] = [];
  for (let c = 0; c < C; c++)
    for (let i = 0; i < H; i++) {
      const row = padded[c][i + dy].slice(dx, dx + W);
      out.push(...(flip ? row.reverse() : row));
    }
  return out;
}

describe('cropFlip', () => {
  it('equals pad-slice-mirror for every offset and flip (exhaustive, padding 2)', () => {
    const img = uniqueImages(1).x;
    const fill = Float32Array.from([-1, -2]);
    const p = 2;
    for (let dy = 0; dy <= 2 * p; dy++)
      for (let dx = 0; dx <= 2 * p; dx++)
        for (const flip of [false, true]) {
          const out = new Float32Array(SIZE);
          cropFlip(img, 0, out, 0, [C, H, W], p, dy, dx, flip, fill);
          expect(Array.from(out)).toEqual(oracle(img, p, dy, dx, flip, [-1, -2]));
        }
  });

  it('is the identity at offsets (padding, padding) without flip; a flip twice is the identity', () => {
    const img = uniqueImages(1).x;
    const zero = new Float32Array(C);
    const out = new Float32Array(SIZE);
    cropFlip(img, 0, out, 0, [C, H, W], 3, 3, 3, false, zero);
    expect(out).toEqual(img);
    const once = new Float32Array(SIZE);
    const twice = new Float32Array(SIZE);
    cropFlip(img, 0, once, 0, [C, H, W], 0, 0, 0, true, zero);
    cropFlip(once, 0, twice, 0, [C, H, W], 0, 0, 0, true, zero);
    expect(once).not.toEqual(img);
    expect(twice).toEqual(img);
    expect(once[0]).toBe(img[W - 1]); // the first value of a mirrored row is the last of the original
  });
});

describe('augmentParams', () => {
  it('draws offsets uniformly in [0, 2 padding] and flips with probability 1/2, as a pure function', () => {
    const p = 4;
    const counts = new Array(2 * p + 1).fill(0);
    let flips = 0;
    let total = 0;
    for (let b = 0; b < 200; b++) {
      const a = augmentParams({ cropPadding: p, flip: true }, 7, 1, b, 64);
      const again = augmentParams({ cropPadding: p, flip: true }, 7, 1, b, 64);
      expect(again).toEqual(a);
      for (let k = 0; k < 64; k++) {
        counts[a.dy[k]]++;
        counts[a.dx[k]]++;
        flips += a.flip[k];
        total++;
      }
    }
    expect(counts.reduce((s, c) => s + c, 0)).toBe(2 * total); // every offset landed in [0, 2p]
    const e = (2 * total) / (2 * p + 1);
    const chi2 = counts.reduce((s, c) => s + (c - e) ** 2 / e, 0);
    expect(chi2).toBeLessThan(26.1); // p = 0.001, 8 degrees of freedom
    expect(Math.abs(flips / total - 0.5)).toBeLessThan(5 * Math.sqrt(0.25 / total));
    expect(augmentParams({ cropPadding: p, flip: true }, 7, 1, 0, 64)).not.toEqual(
      augmentParams({ cropPadding: p, flip: true }, 7, 2, 0, 64),
    );
    expect(augmentParams({}, 7, 1, 0, 3)).toEqual({ dy: new Int32Array(3), dx: new Int32Array(3), flip: new Uint8Array(3) });
  });
});

describe('BatchLoader with augmentation', () => {
  it('each example is one crop/flip of its source, with offsets in range, drawn from (seed, epoch, batch)', () => {
    const ds = uniqueImages(12);
    const p = 1;
    const loader = new BatchLoader(ds, { batchSize: 5, seed: 4, augment: { cropPadding: p, flip: true } });
    const seenFlip = new Set<boolean>();
    for (const epoch of [0, 1]) {
      for (const b of loader.epoch(epoch)) {
        const params = augmentParams(loader.augment, 4, epoch, b.index, b.size);
        for (let k = 0; k < b.size; k++) {
          const src = ds.x.subarray(b.indices[k] * SIZE, (b.indices[k] + 1) * SIZE);
          const got = Array.from(b.x.subarray(k * SIZE, (k + 1) * SIZE));
          // Which (dy, dx, flip) made it? With unique values exactly one candidate matches.
          const matches: [number, number, boolean][] = [];
          for (let dy = 0; dy <= 2 * p; dy++)
            for (let dx = 0; dx <= 2 * p; dx++)
              for (const flip of [false, true]) {
                if (oracle(src, p, dy, dx, flip, [0, 0]).every((v, q) => v === got[q])) matches.push([dy, dx, flip]);
              }
          expect(matches).toEqual([[params.dy[k], params.dx[k], params.flip[k] === 1]]);
          seenFlip.add(matches[0][2]);
        }
      }
    }
    expect(seenFlip.size).toBe(2);
  });

  it('pads with the given fill per channel, and augmentation repeats exactly on resume', () => {
    const ds = uniqueImages(8);
    const options = { batchSize: 3, seed: 8, augment: { cropPadding: 2, fill: [-5, -6] } };
    const a = new BatchLoader(ds, options);
    const batches = Array.from({ length: 6 }, () => a.next());
    const values = new Set(batches.flatMap((b) => Array.from(b.x)).filter((v) => v < 0));
    expect(values).toEqual(new Set([-5, -6]));
    const b = new BatchLoader(ds, options);
    b.restore({ ...a.state(), epoch: 0, batch: 2 });
    for (let k = 2; k < 6; k++) expect(b.next().x).toEqual(batches[k].x);
  });
});
