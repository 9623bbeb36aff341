// The queue package's error: something about the queue, Redis or the store that the user can fix, with a
// stable code the CLI maps to an exit code, and a message that says what and where.
export type QueueErrorCode =
  /** The --queue URL is not a redis:// URL we can use. */
  | 'queue/bad-url'
  /** Nothing answers at the URL (refused, unknown host, timed out). */
  | 'queue/unreachable'
  /** Redis answered but refused the credentials (or wants some). */
  | 'queue/auth'
  /** The queue already holds a different sweep. */
  | 'queue/other-sweep'
  /** The queue still has cells to run (forgetting it would lose them). */
  | 'queue/busy'
  /** The queue holds no sweep (status of an empty queue). */
  | 'queue/no-sweep'
  /** The store cannot be written (missing, read-only, not a directory). */
  | 'store/not-writable'
  /** The store holds a file that is not what it should be. */
  | 'store/bad-file';

export class QueueError extends Error {
  constructor(
    readonly code: QueueErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'QueueError';
  }
}
