// The queue commands' expected failures (a QueueError from @skipinit/queue) as exit codes, sysexits-style,
// with one clear line. Documented in the help of sweep --queue, worker and status.
import type { QueueError, QueueErrorCode } from '@skipinit/queue';
import { EXIT } from '../exit-codes';
import { EXIT_UNAVAILABLE } from '../training/failure';

/** Redis refused the credentials (EX_NOPERM). */
export const EXIT_NOPERM = 77;
/** The queue holds another sweep, or still has cells to run (EX_TEMPFAIL: try later, or elsewhere). */
export const EXIT_QUEUE_BUSY = 75;

const CODES: Record<QueueErrorCode, number> = {
  'queue/bad-url': EXIT.usage,
  'queue/unreachable': EXIT_UNAVAILABLE,
  'queue/auth': EXIT_NOPERM,
  'queue/other-sweep': EXIT_QUEUE_BUSY,
  'queue/busy': EXIT_QUEUE_BUSY,
  'queue/no-sweep': EXIT.noInput,
  'store/not-writable': EXIT.cantCreate,
  'store/bad-file': EXIT.spec,
};

/** For a help text, on lines of its own. */
export const QUEUE_EXIT_HELP = `64 a bad --queue URL, 69 Redis unreachable, 77 Redis refused the password, 73 the store cannot be
written, 75 the queue holds another sweep`;

/** The exit code and message of a QueueError, or null for anything else (known by its name and code, so that this module does not load the queue). */
export function queueFailure(error: unknown): { code: number; message: string } | null {
  if (!(error instanceof Error) || error.name !== 'QueueError' || !Object.hasOwn(CODES, (error as QueueError).code)) return null;
  return { code: CODES[(error as QueueError).code], message: error.message };
}
