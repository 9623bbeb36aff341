// Exit codes, sysexits-style (BSD sysexits.h), the same for every command.
export const EXIT = {
  /** Success. */
  ok: 0,
  /** `fmt --check`: a file is not formatted. */
  unformatted: 1,
  /** Bad command line: unknown command or flag, missing argument (EX_USAGE). */
  usage: 64,
  /** The spec (or other input data) has errors (EX_DATAERR). */
  spec: 65,
  /** An input file does not exist or cannot be read (EX_NOINPUT). */
  noInput: 66,
  /** An output file cannot be written (EX_CANTCREAT). */
  cantCreate: 73,
  /** A bug of ours (EX_SOFTWARE). */
  internal: 70,
} as const;

export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

/** A usage error: printed with the command's usage line, exit 64. */
export class UsageError extends Error {
  constructor(
    message: string,
    readonly command?: string,
  ) {
    super(message);
    this.name = 'UsageError';
  }
}
