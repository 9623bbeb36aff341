// An append-only JSON Lines file (one JSON object per line), written synchronously so that every line
// of a step is on disk, in order, before the next step starts. Its byte length is what a checkpoint
// records: resuming truncates the file to that length, dropping the lines of steps that the checkpoint
// does not contain, so the resumed file equals an uninterrupted run's byte for byte.

import { closeSync, fstatSync, fsyncSync, ftruncateSync, openSync, writeSync } from 'node:fs';

export class JsonLines {
  private fd: number | null;
  private bytes: number;

  /**
   * Opens `path` for appending (creating it). With `truncateTo`, the file is first cut to that many
   * bytes; a file shorter than that is an error (lines the checkpoint relies on are missing).
   */
  constructor(
    readonly path: string,
    options: { truncateTo?: number } = {},
  ) {
    this.fd = openSync(path, 'a+');
    this.bytes = fstatSync(this.fd).size;
    const to = options.truncateTo;
    if (to !== undefined) {
      if (this.bytes < to) {
        const have = this.bytes;
        this.close();
        throw new RangeError(`${path}: has ${have} bytes but the checkpoint was written after ${to}; the file was cut short, so the log cannot be continued exactly`);
      }
      ftruncateSync(this.fd, to);
      this.bytes = to;
    }
  }

  /** Bytes in the file (what a checkpoint records). */
  get size(): number {
    return this.bytes;
  }

  /** Appends one object as a line. */
  append(record: object): void {
    if (this.fd === null) throw new Error(`${this.path}: append after close`);
    const line = Buffer.from(JSON.stringify(record) + '\n', 'utf8');
    let at = 0;
    while (at < line.length) at += writeSync(this.fd, line, at, line.length - at);
    this.bytes += line.length;
  }

  /** Flushes the file to disk (before a checkpoint records its length). */
  sync(): void {
    if (this.fd !== null) fsyncSync(this.fd);
  }

  close(): void {
    if (this.fd !== null) closeSync(this.fd);
    this.fd = null;
  }
}
