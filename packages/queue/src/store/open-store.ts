// A store from its spec (as a job carries it) or from what a user typed (--store DIR).
import { resolve } from 'node:path';
import { DirStore } from './dir-store';
import type { ObjectStore, StoreSpec } from './object-store';

export function openStore(spec: StoreSpec): ObjectStore {
  if (spec.kind === 'dir') return new DirStore(spec.root);
  throw new RangeError(`store: unknown kind '${(spec as { kind: string }).kind}'`);
}

/** --store DIR: a shared directory (an s3:// URL would open an S3 store here). */
export function storeFromArgument(arg: string, cwd: string): ObjectStore {
  return new DirStore(resolve(cwd, arg));
}
