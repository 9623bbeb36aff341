// What `skipinit sweep` shows while it runs: one line per cell start, evaluation and end on stderr (a
// sweep's workers report their own progress a few times a second; lines keep a log readable), or with
// --json every event as a JSON line on stdout.
import type { SweepEvent } from '@skipinit/analysis/node';
import type { Io } from '../io';

const pct = (x: number | null): string => (x === null ? '-' : `${(x * 100).toFixed(2)}%`);

export function sweepDisplay(io: Io, options: { json: boolean; total: number; dir: string }): { event: (e: SweepEvent) => void } {
  if (options.json) return { event: (e) => io.stdout.write(`${JSON.stringify(e)}\n`) };
  const w = (t: string): void => io.stderr.write(`${t}\n`);
  const width = String(options.total).length;
  const cell = (i: number, key: string): string => `[${String(i + 1).padStart(width)}/${options.total}] ${key}`;
  return {
    event: (e) => {
      switch (e.type) {
        case 'plan': {
          const s = e.states;
          const parts = [
            s.done ? `${s.done} finished (skipped)` : '',
            s.resume ? `${s.resume} to resume` : '',
            s.new + s.restart ? `${s.new + s.restart} to run` : '',
            s.running ? `${s.running} run by another process` : '',
          ].filter(Boolean);
          w(`skipinit sweep: ${e.cells} cells in ${options.dir}: ${parts.join(', ')}`);
          return;
        }
        case 'cellStart':
          w(`${cell(e.index, e.key)}: ${e.state === 'resume' ? 'resuming' : 'starting'}`);
          return;
        case 'cellMessage': {
          const m = e.message;
          if (m.type === 'begin' && m.resumed) w(`${cell(e.index, e.key)}: continues at step ${m.step} of ${m.total_steps} (${m.backend})`);
          else if (m.type === 'begin') w(`${cell(e.index, e.key)}: ${m.total_steps} steps (${m.backend})`);
          else if (m.type === 'eval') w(`${cell(e.index, e.key)}: step ${m.step}: eval accuracy ${pct(m.accuracy)}`);
          else if (m.type === 'end') w(`${cell(e.index, e.key)}: ${m.status}${m.status === 'completed' ? `, test accuracy ${pct(m.test_accuracy)}` : ''}`);
          return;
        }
        case 'cellEnd':
          if (e.outcome === 'failed' || e.outcome === 'locked') w(`${cell(e.index, e.key)}: FAILED: ${e.error ?? 'no message'}`);
          else if (e.outcome === 'interrupted') w(`${cell(e.index, e.key)}: interrupted (checkpoint saved)`);
          return;
      }
    },
  };
}
