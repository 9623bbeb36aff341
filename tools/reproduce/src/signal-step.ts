// P1-P3: signal propagation at initialisation, measured with `skipinit analyze` on the 1000-block residual
// MLP (examples/deep-mlp.arch) and on a Wide-ResNet of depth 1000 (examples/wrn.arch), every scheme side by side
// (the paper's, and NF-ResNets beside them).
import { join } from 'node:path';
import type { SignalReport, SignalSummary } from '@skipinit/analysis';
import { summarizeSignal } from '@skipinit/analysis';
import type { Paths, Timings } from './outputs';
import { figure, readSignalFile } from './outputs';
import { shownCommand, skipinit } from './run-cli';
import type { Settings } from './settings';

export interface SignalRun {
  readonly label: string;
  readonly command: string;
  readonly reports: readonly SignalReport[];
  readonly summaries: readonly SignalSummary[];
  readonly variance: string;
  readonly panels: string;
}

async function analyze(p: Paths, timings: Timings, key: string, args: string[], schemes: readonly string[], fresh: boolean): Promise<SignalRun> {
  const out = join(p.runs, 'p1-p3', key);
  const full = [...args, '--schemes', schemes.join(','), '--out', out];
  const command = shownCommand([...args, '--schemes', schemes.join(','), '--out', `${p.rel}/p1-p3/${key}`]);
  let f = fresh ? null : readSignalFile(out);
  // results of an earlier run with other schemes (before nf was drawn, say) are recomputed
  if (f !== null && f.reports.map((r) => r.scheme).join(',') !== schemes.join(',')) f = null;
  if (f === null) {
    const r = await skipinit(full, join(out, 'stdout.txt'));
    if (r.code !== 0) throw new Error(`${command} exited ${r.code}`);
    timings.ran(`p1-p3 ${key}`, r.seconds, 'set');
    f = readSignalFile(out);
    if (f === null) throw new Error(`${command} wrote no signal.json`);
  }
  return {
    label: key,
    command,
    reports: f.reports,
    summaries: f.reports.map((r) => summarizeSignal(r)),
    variance: figure(p, join(out, 'variance.png'), `p1-p3-${key}-variance.png`),
    panels: figure(p, join(out, 'signal-panels.png'), `p1-p3-${key}-panels.png`),
  };
}

export async function signalStep(s: Settings, p: Paths, timings: Timings, fresh: boolean): Promise<{ mlp: SignalRun; wrn: SignalRun }> {
  const mlp = await analyze(p, timings, 'deep-mlp', ['analyze', 'examples/deep-mlp.arch', '--set', `depth=${s.signal.mlpDepth}`], s.signal.mlpSchemes, fresh);
  for (const ext of ['svg']) figure(p, join(p.runs, 'p1-p3', 'deep-mlp', `variance.${ext}`), `p1-p3-deep-mlp-variance.${ext}`);
  const wrn = await analyze(p, timings, 'wrn', ['analyze', 'examples/wrn.arch', '--set', `depth=${s.signal.wrnDepth}`], s.signal.wrnSchemes, fresh);
  return { mlp, wrn };
}
