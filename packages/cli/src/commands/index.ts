// Every command, in the order `skipinit --help` lists them. A new command is one file here and one line below.
import type { Command } from '../command';
import { analyzeCommand } from './analyze';
import { compileCommand } from './compile';
import { dataCommand } from './data';
import { evalCommand } from './eval';
import { exportCommand } from './export';
import { fmtCommand } from './fmt';
import { metricsCommand } from './metrics';
import { plotCommand } from './plot';
import { predictCommand } from './predict';
import { resumeCommand } from './resume';
import { summaryCommand } from './summary';
import { statusCommand } from './status';
import { sweepCommand } from './sweep';
import { trainCommand } from './train';
import { workerCommand } from './worker';

export const COMMANDS: readonly Command[] = [compileCommand, summaryCommand, fmtCommand, trainCommand, resumeCommand, evalCommand, predictCommand, exportCommand, analyzeCommand, sweepCommand, workerCommand, statusCommand, plotCommand, metricsCommand, dataCommand];
