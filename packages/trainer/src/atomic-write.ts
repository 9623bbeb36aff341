// Atomic file replacement: write a temporary file in the same directory, fsync it, rename it over the
// target, fsync the directory. A reader (or a crash at any moment) sees either the old file or the
// complete new one, never a partial one: rename(2) within one file system is atomic, and the fsyncs
// make the data durable before the name points at it.

import { closeSync, fsyncSync, openSync, renameSync, unlinkSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';

let counter = 0;

/** The temporary name for `path`: hidden, in the same directory, unique to this process and call. */
export function temporaryPath(path: string): string {
  return join(dirname(path), `.${basename(path)}.tmp-${process.pid}-${counter++}`);
}

/** Writes `chunks` (concatenated) to `path` atomically. */
export function writeFileAtomic(path: string, chunks: Uint8Array | readonly Uint8Array[]): void {
  const list = chunks instanceof Uint8Array ? [chunks] : chunks;
  const tmp = temporaryPath(path);
  let fd: number | null = openSync(tmp, 'wx', 0o644);
  try {
    for (const chunk of list) {
      let at = 0;
      while (at < chunk.length) at += writeSync(fd, chunk, at, chunk.length - at);
    }
    fsyncSync(fd);
    closeSync(fd);
    fd = null;
    renameSync(tmp, path);
  } catch (error) {
    if (fd !== null) closeSync(fd);
    try {
      unlinkSync(tmp);
    } catch {
      // already gone (renamed, or never created)
    }
    throw error;
  }
  fsyncDirectory(dirname(path));
}

/** Makes a rename in `dir` durable. Some platforms cannot open a directory for fsync; that is not an error. */
export function fsyncDirectory(dir: string): void {
  let fd: number | null = null;
  try {
    fd = openSync(dir, 'r');
    fsyncSync(fd);
  } catch {
    // EISDIR/EPERM on platforms without directory fsync (Windows): the rename is still atomic.
  } finally {
    if (fd !== null) closeSync(fd);
  }
}
