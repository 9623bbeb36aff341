// Small display helpers of the analysis commands: flag parsing for numbers, and a progress line that a
// terminal redraws in place (and that stays silent when stderr is not a terminal).
import { UsageError } from '../exit-codes';
import type { Io } from '../io';

/** A whole-number flag >= `min`, or undefined when absent. */
export function positiveInt(command: string, flag: string, value: unknown, min = 1): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < min) throw new UsageError(`--${flag} takes a whole number >= ${min}, got '${String(value)}'`, command);
  return n;
}

/** `label: block 340/1000` redrawn on a terminal at most every 100 ms; `done(text)` ends the line. */
export function progressLine(io: Io, label: string): { update: (done: number, total: number) => void; done: (text: string) => void } {
  const tty = io.stderr.isTTY;
  let last = 0;
  return {
    update: (done, total) => {
      if (!tty) return;
      const now = performance.now();
      if (now - last < 100 && done < total) return;
      last = now;
      io.stderr.write(`\r${label}: block ${done}/${total}`);
    },
    done: (text) => io.stderr.write(`${tty ? '\r\x1b[K' : ''}${label}: ${text}\n`),
  };
}
