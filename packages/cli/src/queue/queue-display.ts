// What the queue commands print: a worker's events (one line each on stderr, or JSON lines on stdout with
// --json) and the status of a queued sweep's cells (a table, or JSON).
import type { CellStatusRow, QueueWorkerEvent } from '@skipinit/queue';
import { stateCounts } from '@skipinit/queue';
import { toMarkdown } from '@skipinit/analysis';
import type { Io } from '../io';

const pct = (x: number | null | undefined): string => (x === null || x === undefined ? '-' : `${(x * 100).toFixed(2)}%`);
const seconds = (ms: number): string => (ms < 10_000 ? `${(ms / 1000).toFixed(1)} s` : `${Math.round(ms / 1000)} s`);

/** One line per event of a queue worker. */
export function workerLine(e: QueueWorkerEvent): string | null {
  const cell = 'index' in e ? `[cell ${e.index} ${e.key}]` : '';
  switch (e.type) {
    case 'ready':
      return `skipinit worker ${e.worker}: taking cells from queue '${e.queue}' at ${e.redis} (Redis ${e.version})`;
    case 'cellStart':
      return `${cell} try ${e.attempt}: starting (process ${e.pid ?? '?'})`;
    case 'cellMessage': {
      const m = e.message;
      if (m.type === 'begin') return m.resumed ? `${cell} continues from the store's checkpoint at step ${m.step} of ${m.total_steps} (${m.backend})` : `${cell} ${m.total_steps} steps (${m.backend})`;
      if (m.type === 'eval') return `${cell} step ${m.step}: eval accuracy ${pct(m.accuracy)}`;
      return null;
    }
    case 'cellDone':
      return `${cell} ${e.result.status}${e.result.status === 'completed' ? `, test accuracy ${pct(e.result.test_accuracy)}` : e.result.message ? `: ${e.result.message}` : ''}`;
    case 'cellCrashed':
      return `${cell} crashed (try ${e.attempt} of ${e.attempts}): ${e.error}${e.retryInMs === null ? '; FAILED: no tries left' : `; retried in ${seconds(e.retryInMs)}`}`;
    case 'cellGivenBack':
      return `${cell} stopped: checkpoint saved to the store, the cell is back in the queue`;
    case 'cellLost':
      return `${cell} lost its lock on the cell (another worker has it now): stopped without writing to the store`;
    case 'stalled':
      return `found cell ${e.jobId.slice(0, 16)} abandoned by its worker: it is back in the queue`;
    case 'redisDown':
      return `lost Redis (${e.message}): retrying until it is back`;
    case 'redisUp':
      return 'Redis is back';
    case 'warning':
      return `warning: ${e.message}`;
    case 'stopped':
      return `skipinit worker: stopped after ${e.cells} cell${e.cells === 1 ? '' : 's'}`;
  }
}

export function workerDisplay(io: Io, json: boolean): (e: QueueWorkerEvent) => void {
  if (json) return (e) => io.stdout.write(`${JSON.stringify(e)}\n`);
  return (e) => {
    const line = workerLine(e);
    if (line !== null) io.stderr.write(`${line}\n`);
  };
}

/** A cell's state in words: done (with its result), running (where, which step), waiting, retrying, failed. */
export function stateText(r: CellStatusRow): string {
  switch (r.state) {
    case 'done':
      return r.result === null ? 'done' : `done: ${r.result.status}${r.result.status === 'completed' ? `, test accuracy ${pct(r.result.test_accuracy)}` : ''}`;
    case 'running': {
      const step = r.step !== null ? `, step ${r.step}${r.totalSteps !== null ? `/${r.totalSteps}` : ''}` : '';
      const before = r.attempts > 0 ? ` (after ${r.attempts} crash${r.attempts === 1 ? '' : 'es'})` : '';
      return `running on ${r.worker ?? '?'}${step}${before}`;
    }
    case 'retrying':
      return `waiting to retry (crashed ${r.attempts}x): ${r.error ?? ''}`;
    case 'failed':
      return `FAILED after ${r.attempts} tries: ${r.error ?? 'no message'}`;
    default:
      return r.state;
  }
}

/** The status table of every cell, with a line of counts. */
export function statusText(rows: readonly CellStatusRow[]): string {
  const table = toMarkdown({
      columns: [
        { key: 'cell', kind: 'text' },
        { key: 'key', kind: 'text' },
        { key: 'state', kind: 'text' },
      ],
    rows: rows.map((r) => ({ cell: r.index, key: r.key, state: stateText(r) })),
  });
  const counts = Object.entries(stateCounts(rows))
    .filter(([, n]) => n > 0)
    .map(([s, n]) => `${n} ${s}`)
    .join(', ');
  return `${table}\n${rows.length} cells: ${counts}\n`;
}
