// The benchmark's output: one Report (what --json prints, what docs/benchmarks.md is generated from)
// and its table for people.

import { formatSpeedup, type Speedups } from './speedup';
import type { Measurement, Unit } from './types';

export interface SystemInfo {
  readonly id: string;
  readonly side: 'ours' | 'peer';
  readonly label: string;
  readonly details: Readonly<Record<string, string>>;
}

export interface WorkloadInfo {
  readonly id: string;
  readonly group: string;
  readonly title: string;
  readonly unit: Unit;
  readonly tolerance: number;
  readonly compared: string;
}

export interface Machine {
  readonly cpu: string;
  readonly cores: number;
  readonly memoryGiB: number;
  readonly platform: string;
  readonly node: string;
  /** 1, 5 and 15 minute load averages when the run started and when it ended. */
  readonly loadStart: readonly number[];
  readonly loadEnd: readonly number[];
}

export interface Report {
  /** When the run started (ISO 8601). */
  readonly date: string;
  /** The command that made it. */
  readonly command: string;
  /** The commit the engine's sources came from (and whether the tree had changes), when known. */
  readonly commit: string | null;
  readonly machine: Machine;
  readonly versions: Readonly<Record<string, string>>;
  readonly reps: number;
  readonly warmup: number;
  readonly maxRunS: number;
  readonly systems: readonly SystemInfo[];
  /** Systems that did not run at all here, with why (gpu.js modes that do not load, peers that failed). */
  readonly skipped: readonly string[];
  readonly workloads: readonly WorkloadInfo[];
  readonly results: readonly Measurement[];
  /** Their median time / our median time (above 1: we are faster). */
  readonly speedup: Speedups;
  /** Every compared system within its workload's tolerance of the reference, and the ones that were not. */
  readonly agreement: { readonly ok: boolean; readonly failures: readonly string[] };
}

/** A workload's number, with the precision it deserves. */
export function formatValue(value: number | null, unit: Unit): string {
  if (value === null) return '-';
  if (unit === 'GFLOP/s') return value.toFixed(2);
  return value >= 100 ? value.toFixed(0) : value.toFixed(1);
}

export function formatDiff(m: Pick<Measurement, 'maxDiff' | 'agrees'>): string {
  if (m.maxDiff === null) return '-';
  const d = m.maxDiff === 0 ? '0' : m.maxDiff.toExponential(1);
  return m.agrees ? d : `${d} DISAGREES`;
}

/** Agreement over a run: every measured, compared row within tolerance. */
export function agreementOf(results: readonly Measurement[]): Report['agreement'] {
  const failures = results
    .filter((m) => m.agrees === false)
    .map((m) => `${m.workload} on ${m.label}: differs by ${m.maxDiff === null ? '?' : m.maxDiff.toExponential(2)}`);
  return { ok: failures.length === 0, failures };
}

function table(head: readonly string[], rows: readonly string[][], rightFrom: number): string[] {
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (r: readonly string[]) => r.map((c, i) => (i >= rightFrom ? c.padStart(widths[i]!) : c.padEnd(widths[i]!))).join('  ').trimEnd();
  return [line(head), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)];
}

/** A cell's short reason for having no number: the note up to its first colon ("too slow", "failed in run 2", ...). */
export function shortNote(m: Pick<Measurement, 'note'>): string {
  const head = (m.note ?? 'not run').split(':')[0]!;
  return head.length <= 30 ? head : `${head.slice(0, 27)}...`;
}

export function formatTable(report: Report): string {
  const peers = report.systems.filter((s) => s.side === 'peer');
  const head = ['workload', 'system (what ran)', 'value', 'unit', 'median ms', ...peers.map((p) => `vs ${p.id}`), 'diff'];
  const rows = report.results.map((m) => {
    const cells = [
      m.workload,
      m.label,
      m.value === null ? shortNote(m) : formatValue(m.value, m.unit),
      m.unit,
      m.medianMs === null ? '-' : m.medianMs.toFixed(1),
      ...peers.map((p) => (m.side === 'ours' ? formatSpeedup(report.speedup[m.workload]?.[m.system]?.[p.id] ?? null) : '')),
      formatDiff(m),
    ];
    return cells;
  });
  const m = report.machine;
  const out = [
    `skipinit bench — median of ${report.reps} timed runs after ${report.warmup} warm-up, systems alternating each repetition`,
    `${report.date}; ${m.cpu}, ${m.cores} cores, ${m.memoryGiB} GiB; load average ${m.loadStart.map((x) => x.toFixed(2)).join(' ')} at start, ${m.loadEnd.map((x) => x.toFixed(2)).join(' ')} at end`,
    `versions: ${Object.entries(report.versions).map(([k, v]) => `${k} ${v}`).join(', ')}`,
    '',
    ...table(head, rows, 2),
    '',
    'vs <peer>: speed-up of ours over that peer = their median time / our median time (above 1: we are faster).',
    'diff: largest relative difference of what the system computed from the first system\'s (see each workload\'s check below).',
  ];
  for (const w of report.workloads) out.push(`  ${w.id}: ${w.compared}, tolerance ${w.tolerance}`);
  for (const s of report.systems) out.push(`${s.label}: ${s.details.selection ?? s.details.note ?? ''}`);
  for (const s of report.skipped) out.push(`not run: ${s}`);
  for (const r of report.results) if (r.note !== undefined) out.push(`${r.workload} on ${r.label}: ${r.note}`);
  out.push(report.agreement.ok ? 'agreement: every system computed the same thing within tolerance' : `AGREEMENT FAILED: ${report.agreement.failures.join('; ')}`);
  return out.join('\n');
}
