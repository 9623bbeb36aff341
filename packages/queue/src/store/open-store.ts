// A store from its spec, as every job carries it (a new kind of store is one more case here).
import { DirStore } from './dir-store';
import type { ObjectStore, StoreSpec } from './object-store';

export function openStore(spec: StoreSpec): ObjectStore {
  if (spec.kind === 'dir') return new DirStore(spec.root);
  throw new RangeError(`store: unknown kind '${(spec as { kind: string }).kind}'`);
}
