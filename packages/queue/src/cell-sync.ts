// The CellSync of a queue worker's child process: the cell's run directory lives in the store, the child
// trains in a scratch copy (task.dir). Before the run it pulls the store's copy and starts, resumes from the
// stored checkpoint, or finds the result already there; after every checkpoint and at the end it pushes.
import type { CellSync, CellTask } from '@skipinit/analysis/node';
import { cellState } from '@skipinit/analysis/node';
import { CHECKPOINT_FILES, END_FILES, pullCell, pushCell } from './store/cell-files';
import type { StoreSpec } from './store/object-store';
import { openStore } from './store/open-store';

/** What a queue worker puts in CellTask.remote. */
export interface CellRemote {
  readonly store: StoreSpec;
  /** The cell's key in the store: cells/<16 hex>. */
  readonly key: string;
  /** 'sha256:<hex>' of the cell's configuration. */
  readonly hash: string;
}

/** The sync for a task that carries a CellRemote (throws on a task without one). */
export function storeCellSync(task: CellTask): CellSync {
  const remote = task.remote as CellRemote | undefined;
  if (remote === undefined || remote === null || typeof remote.key !== 'string') throw new RangeError('storeCellSync: the task has no remote (store, key, hash)');
  const store = openStore(remote.store);
  return {
    async pull(t) {
      await pullCell(store, remote.key, t.dir);
      const state = cellState(t.dir, remote.hash);
      return state === 'done' ? 'done' : state === 'resume' ? 'resume' : 'new';
    },
    async push(t, when) {
      await pushCell(store, remote.key, t.dir, when === 'end' ? END_FILES : CHECKPOINT_FILES);
    },
  };
}
