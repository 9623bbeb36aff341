// The files of a signal-propagation comparison (`skipinit analyze --out`): signal.json, signal.md and the
// plots rendered to SVG and PNG (resvg: Node only).
import { signalPanelsSpec, variancePlotSpec } from '../plot/signal-plots';
import type { SignalReport } from '../signal';
import type { OutputFile } from './output-file';
import { plotFiles } from './output-file';
import { signalFile, signalText } from './signal-report';

/** signal.json, signal.md and the plots (variance, signal panels). */
export async function signalFiles(reports: readonly SignalReport[]): Promise<OutputFile[]> {
  return [
    { name: 'signal.json', content: `${JSON.stringify(signalFile(reports))}\n` },
    { name: 'signal.md', content: signalText(reports) },
    ...(await plotFiles('variance', variancePlotSpec(reports))),
    ...(await plotFiles('signal-panels', signalPanelsSpec(reports))),
  ];
}
