// Errors a training command expects, mapped to exit codes and one clear line; anything else is a bug of
// ours (exit 70, with the stack). Documented in the commands' --help.
import { DataError } from '@skipinit/data';
import { LayersError } from '@skipinit/layers';
import { CheckpointError, RunDirectoryError, SafetensorsError } from '@skipinit/trainer';
import { EXIT } from '../exit-codes';
import { BackendUnavailableError } from './backend';
import { MemoryRefusal } from './memory-check';

/** A diverged run (non-finite or exploding loss). */
export const EXIT_DIVERGED = 3;
/** Stopped by Ctrl-C (SIGINT) after saving a checkpoint: 128 + SIGINT, as shells report it. */
export const EXIT_INTERRUPTED = 130;
/** A --backend mode that cannot run on this machine (EX_UNAVAILABLE). */
export const EXIT_UNAVAILABLE = 69;

export function expectedFailure(error: unknown): { code: number; message: string } | null {
  if (error instanceof DataError) return { code: error.code === 'data/missing-file' ? EXIT.noInput : EXIT.spec, message: `data: ${error.message}${fetchHint(error)}` };
  if (error instanceof CheckpointError) return { code: error.code === 'checkpoint/missing' ? EXIT.noInput : EXIT.spec, message: `checkpoint ${error.message}` };
  if (error instanceof SafetensorsError) return { code: EXIT.spec, message: error.message };
  if (error instanceof RunDirectoryError) {
    const spec = /\.arch$/.test(error.dir) && /is a file/.test(error.message) ? `; it looks like a spec file: 'skipinit train ${error.dir}' starts a run, and resume or eval takes the run directory it prints` : '';
    return { code: EXIT.noInput, message: `run directory ${error.message}${spec}` };
  }
  if (error instanceof LayersError) return { code: EXIT.spec, message: error.message };
  if (error instanceof BackendUnavailableError) return { code: EXIT_UNAVAILABLE, message: `backend: ${error.message}` };
  if (error instanceof MemoryRefusal) return { code: EXIT.spec, message: error.message };
  if (error instanceof RangeError && /^(train|Sgd|schedule|learningRate)/.test(error.message)) return { code: EXIT.spec, message: error.message };
  return null;
}

/** Ctrl-C as an AbortSignal: the first stops the run at the next step (with a checkpoint), a second quits at once. */
export function interruptSignal(io: { stderr: { write(t: string): void } }): { signal: AbortSignal; dispose(): void } {
  const controller = new AbortController();
  const onSigint = (): void => {
    if (controller.signal.aborted) {
      io.stderr.write('\nskipinit: second Ctrl-C: quitting without a checkpoint for the current step\n');
      process.exit(EXIT_INTERRUPTED);
    }
    io.stderr.write('\nskipinit: Ctrl-C: stopping after this step and saving a checkpoint (Ctrl-C again to quit at once)\n');
    controller.abort();
  };
  process.on('SIGINT', onSigint);
  return { signal: controller.signal, dispose: () => void process.off('SIGINT', onSigint) };
}

/** For a data set that is downloaded (not shipped) and not found: the command that fetches it. */
function fetchHint(error: DataError): string {
  if (error.code !== 'data/missing-file' && !/needs path=/.test(error.message)) return '';
  const name = /cifar-?100/i.test(error.message) ? 'cifar100' : /cifar-?10/i.test(error.message) ? 'cifar10' : /fashion[-_]mnist/i.test(error.message) ? 'fashion_mnist' : null;
  return name === null ? '' : `\n  to download it: skipinit data fetch ${name}   (then --set path=data/${name})`;
}
