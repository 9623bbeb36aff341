// A download's progress: on a terminal a bar redrawn in place (file, percent, MiB, rate, ETA); elsewhere a
// line whenever PROGRESS_EVERY_MS pass, so a log shows the download is alive.
import type { Output } from './io';
import { duration } from './training/format';
import { PROGRESS_EVERY_MS } from './training/report';

export interface ByteUpdate {
  readonly received: number;
  readonly total: number | null;
  readonly file: number;
  readonly files: number;
}

const BAR = 24;
const MiB = 2 ** 20;

export function byteProgress(out: Output, title: string, now: () => number = () => performance.now()): { update: (u: ByteUpdate) => void; done: () => void } {
  const start = now();
  let first: { at: number; bytes: number } | null = null;
  let lastDraw = -Infinity;
  let lastLine = start;
  let shown = false;
  const text = (u: ByteUpdate): string => {
    const t = now();
    first ??= { at: t, bytes: u.received };
    const rate = (u.received - first.bytes) / Math.max(1e-3, (t - first.at) / 1000);
    const frac = u.total ? Math.min(1, u.received / u.total) : null;
    const eta = frac !== null && rate > 0 ? duration((u.total! - u.received) / rate) : '?';
    const size = `${(u.received / MiB).toFixed(1)}${u.total ? `/${(u.total / MiB).toFixed(1)}` : ''} MiB`;
    const file = u.files > 1 ? ` file ${u.file}/${u.files}` : '';
    return `${frac !== null ? `${(100 * frac).toFixed(0).padStart(3)}%  ` : ''}${size}  ${(rate / MiB).toFixed(1)} MiB/s  ETA ${eta}${file}`;
  };
  return {
    update(u) {
      const t = now();
      if (out.isTTY) {
        if (t - lastDraw < 100 && u.received !== u.total) return;
        lastDraw = t;
        const frac = u.total ? Math.min(1, u.received / u.total) : 0;
        const filled = Math.round(frac * BAR);
        out.write(`\r\x1b[K${title} [${'='.repeat(Math.max(0, filled - 1))}${filled > 0 ? '>' : ''}${' '.repeat(BAR - filled)}] ${text(u)}`);
        shown = true;
      } else if (t - lastLine >= PROGRESS_EVERY_MS) {
        lastLine = t;
        out.write(`${title}: ${text(u)}\n`);
      }
    },
    done() {
      if (shown) out.write('\n');
      shown = false;
    },
  };
}
