// fetchDataset and download against a real HTTP server on loopback that serves small archives in the
// official formats, made here: a CIFAR-style .tar.gz (cifar-10-batches-bin/*.bin) and Fashion-MNIST-style .gz
// files. The real URLs are never contacted.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { c as tar } from 'tar';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DataError } from '../errors';
import { FETCHABLE } from './archives';
import type { FetchableDataset } from './archives';
import { download } from './download';
import { FETCHED_FILE, fetchDataset } from './fetch-dataset';
import { serveFiles } from '../../test/fetch-server';
import type { TestServer } from '../../test/fetch-server';

const temp = (p: string) => mkdtempSync(join(tmpdir(), `skipinit-fetch-${p}-`));
const sha = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');

/** Seeded bytes that do not compress (so the archives are tens of kilobytes, and a cut lands mid-file). */
function noise(n: number, seed: number): Buffer {
  const b = Buffer.alloc(n);
  let x = seed >>> 0 || 1;
  for (let i = 0; i < n; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    b[i] = x & 255;
  }
  return b;
}

/** A gzipped tar in CIFAR-10's layout: three 3073-byte records of noise per .bin. */
async function cifarLikeArchive(): Promise<Uint8Array> {
  const src = temp('src');
  mkdirSync(join(src, 'cifar-10-batches-bin'));
  for (const [i, f] of FETCHABLE.cifar10.expect.entries()) writeFileSync(join(src, f), noise(3073 * 3, i + 1));
  writeFileSync(join(src, 'cifar-10-batches-bin', 'batches.meta.txt'), 'airplane\n');
  const out = join(src, 'archive.tar.gz');
  await tar({ gzip: true, file: out, cwd: src, portable: true }, ['cifar-10-batches-bin']);
  return readFileSync(out);
}

let server: TestServer;
let cifar: Uint8Array;
const fashionFiles = FETCHABLE.fashion_mnist.expect.map((f, i) => ({ name: `${f}.gz`, raw: Buffer.alloc(100 + i, 7 + i) }));

function dataset(name: 'cifar10' | 'fashion_mnist', tweak: (f: { sha256: string; bytes: number }) => Partial<{ sha256: string; bytes: number }> = () => ({})): FetchableDataset {
  const d = FETCHABLE[name];
  const bodies = name === 'cifar10' ? [cifar] : fashionFiles.map((f) => gzipSync(f.raw));
  return {
    ...d,
    files: d.files.map((f, i) => {
      const file = { url: `${server.base}/${name}/${new URL(f.url).pathname.split('/').pop()}`, format: f.format, sha256: sha(bodies[i]), bytes: bodies[i].length };
      return { ...file, ...tweak(file) };
    }),
  };
}

beforeAll(async () => {
  cifar = await cifarLikeArchive();
  const files: Record<string, Uint8Array> = { '/cifar10/cifar-10-binary.tar.gz': cifar };
  for (const f of fashionFiles) files[`/fashion_mnist/${f.name}`] = gzipSync(f.raw);
  server = await serveFiles(files);
});
afterAll(() => server.close());

describe('fetchDataset (loopback server, archives made by the test)', () => {
  it('downloads, checks and extracts a tar.gz; records it; a second call finds it present and downloads nothing', async () => {
    const dir = temp('cifar');
    const progress: number[] = [];
    const r = await fetchDataset('cifar10', { dir, dataset: dataset('cifar10'), onProgress: (p) => progress.push(p.received) });
    expect(r).toMatchObject({ name: 'cifar10', path: join(dir, 'cifar10'), status: 'fetched', files: [{ how: 'downloaded' }] });
    for (const [i, f] of FETCHABLE.cifar10.expect.entries()) expect(readFileSync(join(r.path, f))).toEqual(noise(3073 * 3, i + 1));
    expect(readdirSync(r.path).sort()).toEqual(['cifar-10-batches-bin', FETCHED_FILE]); // the archive is gone
    expect(progress.at(-1)).toBe(cifar.length);
    const before = server.requests.length;
    expect((await fetchDataset('cifar10', { dir, dataset: dataset('cifar10') })).status).toBe('present');
    expect(server.requests.length).toBe(before);
  });

  it('decompresses single .gz files (Fashion-MNIST) to the names the loader reads', async () => {
    const r = await fetchDataset('fashion_mnist', { dir: temp('fashion'), dataset: dataset('fashion_mnist') });
    for (const [i, f] of FETCHABLE.fashion_mnist.expect.entries()) expect(readFileSync(join(r.path, f))).toEqual(fashionFiles[i].raw);
  });

  it('an unknown name lists the data sets it can fetch', async () => {
    await expect(fetchDataset('imagenet', { dir: temp('x') })).rejects.toThrow(/no download for 'imagenet': the data sets to fetch are cifar10, cifar100, fashion_mnist/);
  });
});

describe('download', () => {
  const url = () => `${server.base}/cifar10/cifar-10-binary.tar.gz`;
  const opts = () => ({ sha256: sha(cifar), bytes: cifar.length });

  it('resumes after a dropped connection with a Range request, in the same call', async () => {
    const dest = join(temp('drop'), 'a.tar.gz');
    expect(cifar.length).toBeGreaterThan(50_000);
    server.dropOnce('/cifar10/cifar-10-binary.tar.gz', 20_000);
    const from = server.requests.length;
    expect((await download(url(), dest, opts())).how).toBe('downloaded');
    expect(readFileSync(dest)).toEqual(Buffer.from(cifar));
    const ranges = server.requests.slice(from).map((r) => r.range);
    expect(ranges[0]).toBeUndefined();
    expect(ranges[1]).toBe('bytes=20000-'); // the second request continues where the first broke off
  });

  it('continues a part file left by an interrupted run', async () => {
    const dest = join(temp('part'), 'a.tar.gz');
    writeFileSync(`${dest}.part`, cifar.subarray(0, 30_000));
    const from = server.requests.length;
    expect((await download(url(), dest, opts())).how).toBe('resumed');
    expect(server.requests[from].range).toBe('bytes=30000-');
    expect(readFileSync(dest)).toEqual(Buffer.from(cifar));
    expect(existsSync(`${dest}.part`)).toBe(false);
  });

  it('restarts when the server ignores the range (200), and is still right', async () => {
    const dest = join(temp('norange'), 'a.tar.gz');
    writeFileSync(`${dest}.part`, Buffer.alloc(500, 9)); // garbage that a 200 must replace
    server.ignoreRanges = true;
    try {
      await download(url(), dest, opts());
    } finally {
      server.ignoreRanges = false;
    }
    expect(readFileSync(dest)).toEqual(Buffer.from(cifar));
  });

  it('refuses a file whose SHA-256 is not the published one, deleting it', async () => {
    const dest = join(temp('bad'), 'a.tar.gz');
    const err = await download(url(), dest, { ...opts(), sha256: '0'.repeat(64) }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DataError);
    expect((err as DataError).code).toBe('data/checksum');
    expect((err as DataError).message).toMatch(/SHA-256 [0-9a-f]{64}; the published archive has \d+ bytes and 0{64}/);
    expect(existsSync(dest) || existsSync(`${dest}.part`)).toBe(false);
  });

  it('says what went wrong with the server: HTTP errors and unreachable hosts', async () => {
    const dest = join(temp('404'), 'a');
    await expect(download(`${server.base}/nothing`, dest, opts())).rejects.toMatchObject({ code: 'data/download', message: expect.stringMatching(/HTTP 404/) });
    await expect(download('http://127.0.0.1:1/x', dest, opts())).rejects.toMatchObject({ code: 'data/download', message: expect.stringMatching(/cannot reach http:\/\/127\.0\.0\.1:1\/x/) });
  });
});
