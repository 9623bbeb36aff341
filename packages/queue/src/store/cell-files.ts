// A cell's run directory in the store: which files travel, in which order, and whether the store already
// holds the cell's result.
//
// Order matters to a reader that comes at any moment (a worker resuming the cell, a status query):
// metrics.jsonl goes before the checkpoint that records its length, so the stored log is never shorter
// than the stored checkpoint needs; summary.json goes last, so a stored summary means every file of the
// result is there.
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { LOCK_FILE } from '@skipinit/analysis/node';
import type { TrainSummary } from '@skipinit/trainer';
import { RUN_FILES } from '@skipinit/trainer';
import { QueueError } from '../errors';
import type { ObjectStore } from './object-store';

/** Pushed after every checkpoint, in this order. */
export const CHECKPOINT_FILES = [RUN_FILES.config, RUN_FILES.metrics, RUN_FILES.timing, RUN_FILES.best, RUN_FILES.last] as const;
/** Pushed when the run ended: the same, then the summary. */
export const END_FILES = [...CHECKPOINT_FILES, RUN_FILES.summary] as const;
/** The files a report needs (no checkpoints). */
export const RESULT_FILES = [RUN_FILES.config, RUN_FILES.metrics, RUN_FILES.summary] as const;

const known = new Set<string>(END_FILES);

/** Copies the cell `key` ('cells/<16 hex>') of the store into `dir` (emptied first, except a lock file). */
export async function pullCell(store: ObjectStore, key: string, dir: string): Promise<string[]> {
  mkdirSync(dir, { recursive: true });
  for (const name of readdirSync(dir)) if (name !== LOCK_FILE) rmSync(join(dir, name), { recursive: true, force: true });
  const names = (await store.list(`${key}/`)).filter((n) => known.has(n));
  for (const name of names) {
    const bytes = await store.get(`${key}/${name}`);
    if (bytes !== null) writeFileSync(join(dir, name), bytes);
  }
  return names;
}

/** Copies `files` of `dir` that exist to the store's cell `key`, in the order given. */
export async function pushCell(store: ObjectStore, key: string, dir: string, files: readonly string[]): Promise<void> {
  for (const name of files) {
    let bytes: Buffer;
    try {
      bytes = readFileSync(join(dir, name));
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') continue;
      throw e;
    }
    await store.put(`${key}/${name}`, bytes);
  }
}

/** The stored result of cell `key` (completed or diverged), or null; QueueError if it is another configuration's. */
export async function storedResult(store: ObjectStore, key: string, hash: string): Promise<TrainSummary | null> {
  const config = await store.get(`${key}/${RUN_FILES.config}`);
  if (config === null) return null;
  let stored: string | undefined;
  try {
    stored = (JSON.parse(config.toString('utf8')) as { configHash?: string }).configHash;
  } catch (e) {
    throw new QueueError('store/bad-file', `${store.location}/${key}/${RUN_FILES.config}: not valid JSON (${(e as Error).message})`);
  }
  if (stored !== hash) throw new QueueError('store/bad-file', `${store.location}/${key} holds a run of another configuration (hash ${String(stored)}, the cell's ${hash}); remove it to run the cell again`);
  const bytes = await store.get(`${key}/${RUN_FILES.summary}`);
  if (bytes === null) return null;
  let summary: TrainSummary;
  try {
    summary = JSON.parse(bytes.toString('utf8')) as TrainSummary;
  } catch (e) {
    throw new QueueError('store/bad-file', `${store.location}/${key}/${RUN_FILES.summary}: not valid JSON (${(e as Error).message})`);
  }
  return summary.status === 'completed' || summary.status === 'diverged' ? summary : null;
}
