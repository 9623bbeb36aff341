// Every command, in the order `skipinit --help` lists them. A new command is one file here and one line below.
import type { Command } from '../command';
import { analyzeCommand } from './analyze';
import { compileCommand } from './compile';
import { evalCommand } from './eval';
import { fmtCommand } from './fmt';
import { plotCommand } from './plot';
import { resumeCommand } from './resume';
import { summaryCommand } from './summary';
import { statusCommand } from './status';
import { sweepCommand } from './sweep';
import { trainCommand } from './train';
import { workerCommand } from './worker';

export const COMMANDS: readonly Command[] = [compileCommand, summaryCommand, fmtCommand, trainCommand, resumeCommand, evalCommand, analyzeCommand, sweepCommand, workerCommand, statusCommand, plotCommand];
