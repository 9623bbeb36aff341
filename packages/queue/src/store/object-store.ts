// The store: where every cell's run directory lives while machines come and go, shaped as an object store
// (keys with '/' in them, whole objects put atomically) so that an S3-compatible bucket fits next to the
// shared directory. The layout is the local sweep's: sweep.json, cells/<16 hex>/<run files>, results/.
//
// Adding a store: a class with these five methods and a StoreSpec kind (see open-store.ts). For S3, `put`
// is a PutObject (atomic per object: a reader sees the old object or the new one), `get` a GetObject (null on
// NoSuchKey), `list` a ListObjectsV2 with Delimiter '/', `remove` a DeleteObject, and `localRoot` null.

/** How to open a store: plain JSON, carried in every job so that a worker on any machine can open it. */
export type StoreSpec = { readonly kind: 'dir'; readonly root: string };

export interface ObjectStore {
  readonly spec: StoreSpec;
  /** Where it is, for messages: the directory, or s3://bucket/prefix. */
  readonly location: string;
  /** A local directory that holds the objects under their keys (the shared directory), or null. */
  readonly localRoot: string | null;
  /** Writes and removes a probe object; throws QueueError('store/not-writable') saying what and where. */
  check(): Promise<void>;
  /** The object's bytes, or null when there is none. */
  get(key: string): Promise<Buffer | null>;
  /** Writes the object atomically: a reader sees the old bytes or the new ones, never a part. */
  put(key: string, bytes: Uint8Array): Promise<void>;
  /** The names of the objects directly under `prefix` ('cells/0a1b/'), sorted. */
  list(prefix: string): Promise<string[]>;
  remove(key: string): Promise<void>;
}

const SEGMENT = /^[A-Za-z0-9_.-]+$/;

/** Throws RangeError unless `key` is a relative path of plain segments (no '..', no empty parts). */
export function checkKey(key: string, what = 'key'): void {
  const parts = key.split('/');
  if (parts.some((p) => !SEGMENT.test(p) || p === '.' || p === '..')) throw new RangeError(`store: bad ${what} '${key}' (plain names joined by '/')`);
}
