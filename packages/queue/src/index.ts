// @skipinit/queue: sweeps on many machines. Each cell of a sweep is a BullMQ job on Redis whose id is the
// cell's configuration hash; workers on any number of machines train the cells in child processes and keep
// each run directory in a shared store, so a lost worker's cell resumes elsewhere from its checkpoint.
export { QueueError } from './errors';
export type { QueueErrorCode } from './errors';
export { DEFAULT_QUEUE_NAME, parseRedisUrl } from './redis-url';
export type { RedisTarget } from './redis-url';
export { connectionError, isConnectionLoss, openRedis, probeRedis } from './connection';
export { openQueue } from './queue-handle';
export type { QueueHandle } from './queue-handle';
export type { ConnectionWatch } from './connection';
export { checkKey } from './store/object-store';
export type { ObjectStore, StoreSpec } from './store/object-store';
export { DirStore } from './store/dir-store';
export { openStore } from './store/open-store';
export { CHECKPOINT_FILES, END_FILES, pullCell, pushCell, storedResult } from './store/cell-files';
export { storeCellSync } from './cell-sync';
export type { CellRemote } from './cell-sync';
export { CELL_JOB, claimQueue, jobIdOf, QUEUED_SWEEP_FORMAT, readQueuedSweep, sweepIdOf, sweepRecordKey } from './queued-sweep';
export type { CellJobData, CellJobResult, QueuedCell, QueuedSweep } from './queued-sweep';
export { enqueueSweep } from './enqueue';
export type { EnqueuedAs, EnqueueOptions, EnqueueResult } from './enqueue';
export { stateCounts, sweepFinished, sweepStatus } from './sweep-status';
export type { CellProgress, CellQueueState, CellStatusRow } from './sweep-status';
export { changedRows, forgetSweep, waitForSweep } from './wait';
export type { WaitOptions, WaitResult } from './wait';
export { startCell } from './cell-process';
export type { CellExit, CellProcess } from './cell-process';
export { MAX_STALLS, runQueueWorker } from './queue-worker';
export type { QueueWorkerEvent, QueueWorkerOptions } from './queue-worker';
