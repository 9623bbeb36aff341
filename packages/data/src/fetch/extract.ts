// Extracting what was downloaded: a .tar.gz with node-tar (which refuses absolute paths and '..' entries,
// so an archive cannot write outside the target), a single .gz with node:zlib.
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, rename } from 'node:fs/promises';
import { pipeline } from 'node:stream/promises';
import { createGunzip } from 'node:zlib';
import { DataError } from '../errors';

/** Extracts the gzipped tar `archive` into `dir`. */
export async function extractTarGz(archive: string, dir: string): Promise<void> {
  await mkdir(dir, { recursive: true });
  // loaded when needed: importing @skipinit/data/fetch (the CLI does, for `skipinit data`) costs no tar
  const { x: untar } = await import('tar');
  try {
    await untar({ file: archive, cwd: dir, strict: true });
  } catch (error) {
    throw new DataError('data/bad-format', `cannot extract: ${(error as Error).message}`, archive);
  }
}

/** Decompresses the gzipped `archive` to `dest` (through `<dest>.tmp`, renamed when whole). */
export async function gunzipFile(archive: string, dest: string): Promise<void> {
  const tmp = `${dest}.tmp`;
  try {
    await pipeline(createReadStream(archive), createGunzip(), createWriteStream(tmp));
  } catch (error) {
    throw new DataError('data/bad-format', `cannot decompress: ${(error as Error).message}`, archive);
  }
  await rename(tmp, dest);
}
