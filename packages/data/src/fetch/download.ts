// Downloading one file with resume and a checksum. Bytes go to `<dest>.part`; an existing part is continued
// with an HTTP Range request (a server that answers 200 instead of 206 sends the whole file again, and the
// part is restarted), a dropped connection is retried from where it stopped, and the finished file must have
// the expected size and SHA-256 before it is renamed to `dest`. A wrong digest deletes the part, so the next
// attempt starts clean.
import { createHash } from 'node:crypto';
import { createReadStream, existsSync } from 'node:fs';
import { open, rename, rm, stat } from 'node:fs/promises';
import { DataError } from '../errors';

export interface DownloadProgress {
  readonly url: string;
  /** Bytes on disk so far (a resumed download starts at the part's size). */
  readonly received: number;
  /** The expected size, when known. */
  readonly total: number | null;
}

export interface DownloadOptions {
  readonly sha256: string;
  /** The expected size in bytes. */
  readonly bytes?: number;
  readonly onProgress?: (p: DownloadProgress) => void;
  readonly signal?: AbortSignal;
  /** Attempts after a dropped connection (default 3), each resuming from the part's size. */
  readonly retries?: number;
}

export interface DownloadResult {
  readonly path: string;
  /** 'cached': dest already held the right bytes; 'resumed': a part file was continued. */
  readonly how: 'downloaded' | 'resumed' | 'cached';
}

/** SHA-256 of a file, hex. */
export async function sha256File(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

const sizeOf = async (path: string): Promise<number> => (existsSync(path) ? (await stat(path)).size : 0);

/** One HTTP request from `offset`; appends to `part`. Returns true when the response was complete. */
async function fetchFrom(url: string, part: string, offset: number, o: DownloadOptions): Promise<boolean> {
  const headers: Record<string, string> = offset > 0 ? { range: `bytes=${offset}-` } : {};
  let res: Response;
  try {
    res = await fetch(url, { headers, ...(o.signal ? { signal: o.signal } : {}) });
  } catch (error) {
    throw new DataError('data/download', `cannot reach ${url}: ${(error as Error & { cause?: Error }).cause?.message ?? (error as Error).message}`);
  }
  if (res.status === 416 && offset > 0 && o.bytes === offset) return true; // the part is already whole
  if (res.status !== 200 && res.status !== 206) throw new DataError('data/download', `${url}: HTTP ${res.status} ${res.statusText}`);
  const resumed = res.status === 206;
  if (resumed && !new RegExp(`^bytes ${offset}-`).test(res.headers.get('content-range') ?? '')) {
    throw new DataError('data/download', `${url}: the server resumed at '${res.headers.get('content-range')}', not at byte ${offset}`);
  }
  const file = await open(part, resumed ? 'a' : 'w');
  let received = resumed ? offset : 0;
  const length = Number(res.headers.get('content-length'));
  const total = o.bytes ?? (Number.isFinite(length) && length > 0 ? received + length : null);
  try {
    if (!res.body) throw new DataError('data/download', `${url}: the response has no body`);
    for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
      await file.write(chunk);
      received += chunk.length;
      o.onProgress?.({ url, received, total });
    }
  } catch (error) {
    if (error instanceof DataError || o.signal?.aborted) throw error;
    return false; // the connection dropped: the bytes so far stay in the part
  } finally {
    await file.close();
  }
  return true;
}

/** Downloads `url` to `dest` (resuming `<dest>.part`), checking its size and SHA-256. */
export async function download(url: string, dest: string, o: DownloadOptions): Promise<DownloadResult> {
  if (existsSync(dest) && (await sha256File(dest)) === o.sha256) return { path: dest, how: 'cached' };
  const part = `${dest}.part`;
  const resumedFrom = await sizeOf(part);
  let done = false;
  for (let attempt = 0; !done; attempt++) {
    if (attempt > (o.retries ?? 3)) throw new DataError('data/download', `${url}: the connection dropped ${attempt} times; run the command again to resume`);
    done = await fetchFrom(url, part, await sizeOf(part), o);
  }
  const size = await sizeOf(part);
  const digest = await sha256File(part);
  if ((o.bytes !== undefined && size !== o.bytes) || digest !== o.sha256) {
    await rm(part, { force: true });
    throw new DataError('data/checksum', `${url}: got ${size} bytes with SHA-256 ${digest}; the published archive has ${o.bytes ?? '?'} bytes and ${o.sha256} (the file was deleted; run the command again)`);
  }
  await rename(part, dest);
  return { path: dest, how: resumedFrom > 0 ? 'resumed' : 'downloaded' };
}
