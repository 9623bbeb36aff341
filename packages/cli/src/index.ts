// @skipinit/cli: the `skipinit` command-line tool. `main(argv, io?)` returns the process exit code; the library
// packages return data, this package owns files, flags, terminals and exit codes.
export { main, VERSION } from './main';
export { EXIT, UsageError } from './exit-codes';
export type { ExitCode } from './exit-codes';
export type { Io, Output } from './io';
export { nodeIo } from './io';
export type { Command } from './command';
export { COMMANDS } from './commands/index';
