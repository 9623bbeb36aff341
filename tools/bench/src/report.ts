// The benchmark's output: a table for people, JSON for machines.

import type { Measurement } from './types';

export interface Report {
  readonly suite: string;
  readonly date: string;
  readonly machine: Readonly<Record<string, string | number>>;
  readonly reps: number;
  readonly systems: readonly { id: string; label: string; details: Readonly<Record<string, string>> }[];
  readonly skipped: readonly string[];
  readonly results: readonly Measurement[];
}

function pad(s: string, n: number, right = false): string {
  return right ? s.padStart(n) : s.padEnd(n);
}

export function formatTable(report: Report): string {
  const rows = report.results.map((m) => [
    m.title,
    m.label,
    m.medianMs === null ? (m.note ?? '-') : m.medianMs.toFixed(2),
    m.gflops === null ? '-' : m.gflops.toFixed(2),
    m.maxDiff === null ? '-' : m.maxDiff.toExponential(1),
  ]);
  const head = ['workload', 'system (mode that ran)', 'median ms', 'GFLOP/s', 'diff'];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (r: string[]) => r.map((c, i) => pad(c, widths[i]!, i >= 2)).join('  ');
  const out = [
    `skipinit bench: ${report.suite} — median of ${report.reps} timed runs after warm-up, systems alternating`,
    `machine: ${Object.entries(report.machine).map(([k, v]) => `${k} ${v}`).join(', ')}; ${report.date}`,
    '',
    line(head),
    line(widths.map((w) => '-'.repeat(w))),
    ...rows.map(line),
    '',
    'diff: largest relative difference of the first output values from the first system listed.',
  ];
  for (const s of report.systems) out.push(`${s.label}: ${s.details.selection ?? s.details.note ?? ''}`);
  for (const s of report.skipped) out.push(`not run: ${s}`);
  return out.join('\n');
}
