// Every command, in the order `skipinit --help` lists them. A new command is one file here and one line below.
import type { Command } from '../command';
import { compileCommand } from './compile';
import { evalCommand } from './eval';
import { fmtCommand } from './fmt';
import { resumeCommand } from './resume';
import { summaryCommand } from './summary';
import { trainCommand } from './train';

export const COMMANDS: readonly Command[] = [compileCommand, summaryCommand, fmtCommand, trainCommand, resumeCommand, evalCommand];
