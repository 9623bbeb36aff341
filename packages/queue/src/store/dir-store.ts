// The store as a directory every machine mounts (NFS or similar). Each object is a file under the root,
// written atomically: a temporary file in the same directory, fsync, rename over the target, fsync the
// directory (rename is atomic within one file system, NFS included). Readers never see a partial file.
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { writeFileAtomic } from '@skipinit/trainer';
import { QueueError } from '../errors';
import type { ObjectStore, StoreSpec } from './object-store';
import { checkKey } from './object-store';

const PROBE = '.skipinit-write-probe';

export class DirStore implements ObjectStore {
  readonly spec: StoreSpec;
  readonly location: string;
  readonly localRoot: string;

  /** `root` is made absolute; it is created by check() (or the first put). */
  constructor(root: string) {
    const abs = isAbsolute(root) ? root : resolve(root);
    this.spec = { kind: 'dir', root: abs };
    this.location = abs;
    this.localRoot = abs;
  }

  private path(key: string): string {
    checkKey(key);
    return join(this.localRoot, ...key.split('/'));
  }

  async check(): Promise<void> {
    const probe = join(this.localRoot, `${PROBE}-${process.pid}`);
    try {
      if (existsSync(this.localRoot) && !statSync(this.localRoot).isDirectory()) throw Object.assign(new Error('it is a file'), { code: 'ENOTDIR' });
      mkdirSync(this.localRoot, { recursive: true });
      writeFileAtomic(probe, Buffer.from('probe\n'));
      rmSync(probe, { force: true });
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      const why = code === 'ENOTDIR' ? 'a part of the path is a file, not a directory' : code === 'EACCES' || code === 'EPERM' || code === 'EROFS' ? 'permission denied (read-only?)' : (e as Error).message;
      throw new QueueError('store/not-writable', `the store ${this.localRoot} is not writable: ${why}${code ? ` (${code})` : ''}`);
    }
  }

  async get(key: string): Promise<Buffer | null> {
    try {
      return readFileSync(this.path(key));
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw e;
    }
  }

  async put(key: string, bytes: Uint8Array): Promise<void> {
    const path = this.path(key);
    mkdirSync(dirname(path), { recursive: true });
    writeFileAtomic(path, bytes);
  }

  async list(prefix: string): Promise<string[]> {
    const trimmed = prefix.replace(/\/$/, '');
    if (trimmed !== '') checkKey(trimmed, 'prefix');
    const dir = trimmed === '' ? this.localRoot : this.path(trimmed);
    let entries;
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw e;
    }
    // hidden names are writers' temporary files (and the probe)
    return entries.filter((e) => e.isFile() && !e.name.startsWith('.')).map((e) => e.name).sort();
  }

  async remove(key: string): Promise<void> {
    rmSync(this.path(key), { force: true });
  }
}
