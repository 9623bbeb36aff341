// What a command is: a name, a one-line summary for `skipinit --help`, a help text that leads with examples,
// and a run function from arguments to an exit code. Later commands (train, resume, eval, analyze, sweep,
// plot, bench) are one file each under commands/ and are listed in commands/index.ts.
import type { Io } from './io';

export interface Command {
  readonly name: string;
  /** One line for the command list. */
  readonly summary: string;
  /** The full `--help`: usage, examples first, then the flags. */
  readonly help: string;
  run(argv: string[], io: Io): Promise<number>;
}
