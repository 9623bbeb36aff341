// Every command, in the order `skipinit --help` lists them. A new command is one file here and one line below.
import type { Command } from '../command';
import { compileCommand } from './compile';
import { fmtCommand } from './fmt';
import { summaryCommand } from './summary';

export const COMMANDS: readonly Command[] = [compileCommand, summaryCommand, fmtCommand];
