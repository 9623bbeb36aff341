import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseArgs, selected, unknownSelections, USAGE, UsageError } from './args';
import { asReport, formatMarkdown, parseReportText } from './markdown';
import { agreementOf, formatTable, type Report } from './report';
import { formatSpeedup, speedups } from './speedup';
import type { Measurement } from './types';

function m(workload: string, system: string, side: 'ours' | 'peer', medianMs: number | null, extra: Partial<Measurement> = {}): Measurement {
  return {
    group: workload.slice(0, 2),
    workload,
    title: workload,
    unit: 'images/s',
    system,
    side,
    label: `label of ${system}`,
    medianMs,
    value: medianMs === null ? null : 64 / (medianMs / 1000),
    runsMs: medianMs === null ? [] : [medianMs],
    maxDiff: medianMs === null ? null : 1e-7,
    agrees: medianMs === null ? null : true,
    ...extra,
  };
}

const results = [
  m('R4-mlp-100', 'gpujs:webasm', 'ours', 500),
  m('R4-mlp-100', 'tfjs:wasm', 'peer', 1000),
  m('R4-mlp-100', 'tfjs:cpu', 'peer', 250),
  m('R3-resnet-bn', 'gpujs:webasm', 'ours', 4000),
  m('R3-resnet-bn', 'tfjs:wasm', 'peer', 2000, { maxDiff: 0.5, agrees: false }),
  m('R3-resnet-bn', 'tfjs:cpu', 'peer', null, { note: 'too slow: minutes per step' }),
];

const report: Report = {
  date: '2026-01-02T03:04:05.000Z',
  command: 'npm run bench -- --json',
  commit: 'abc123',
  machine: { cpu: 'Test CPU', cores: 2, memoryGiB: 8, platform: 'linux-x64', node: 'v20.0.0', loadStart: [0.5, 0.4, 0.3], loadEnd: [0.6, 0.5, 0.4] },
  versions: { 'gpu.js': '2.24.1', '@tensorflow/tfjs-core': '4.22.0' },
  reps: 5,
  warmup: 1,
  maxRunS: 120,
  systems: [
    { id: 'gpujs:webasm', side: 'ours', label: 'label of gpujs:webasm', details: { selection: 'webasm forced' } },
    { id: 'tfjs:wasm', side: 'peer', label: 'label of tfjs:wasm', details: { selection: 'one thread' } },
    { id: 'tfjs:cpu', side: 'peer', label: 'label of tfjs:cpu', details: { selection: 'plain JS' } },
  ],
  skipped: ['gpu.js headlessgl: no gl'],
  workloads: [
    { id: 'R3-resnet-bn', group: 'R3', title: 'R3', unit: 'images/s', tolerance: 1e-3, compared: 'losses' },
    { id: 'R4-mlp-100', group: 'R4', title: 'R4', unit: 'images/s', tolerance: 1e-3, compared: 'losses' },
  ],
  results,
  speedup: speedups(results),
  agreement: agreementOf(results),
};

describe('speed-ups', () => {
  it('are their median time / our median time, per (workload, ours, peer), null without a median', () => {
    expect(report.speedup).toEqual({
      'R4-mlp-100': { 'gpujs:webasm': { 'tfjs:wasm': 2, 'tfjs:cpu': 0.5 } },
      'R3-resnet-bn': { 'gpujs:webasm': { 'tfjs:wasm': 0.5, 'tfjs:cpu': null } },
    });
    expect([formatSpeedup(2), formatSpeedup(0.456), formatSpeedup(12.34), formatSpeedup(null)]).toEqual(['2.00x', '0.46x', '12.3x', '-']);
  });
});

describe('the table and the page', () => {
  it('prints every row with its value or reason, the speed-ups on our rows, and a failed agreement', () => {
    const table = formatTable(report);
    const row = (w: string, s: string) => table.split('\n').find((l) => l.startsWith(w) && l.includes(`label of ${s} `))!;
    expect(row('R4-mlp-100', 'gpujs:webasm')).toMatch(/128\s+images\/s\s+500\.0\s+2\.00x\s+0\.50x\s+1\.0e-7$/);
    expect(row('R3-resnet-bn', 'tfjs:cpu')).toMatch(/too slow\s+images\/s\s+-/);
    expect(row('R3-resnet-bn', 'tfjs:wasm')).toMatch(/5\.0e-1 DISAGREES$/);
    expect(table).toContain('R3-resnet-bn on label of tfjs:cpu: too slow: minutes per step');
    expect(table).toContain('AGREEMENT FAILED: R3-resnet-bn on label of tfjs:wasm: differs by 5.00e-1');
    expect(table).toContain('load average 0.50 0.40 0.30 at start');
  });

  it('renders docs/benchmarks.md from a report: the run, results, speed-ups, checks, and every unmeasured case', () => {
    const md = formatMarkdown(asReport(JSON.parse(JSON.stringify(report))));
    expect(md).toContain('| machine | Test CPU, 2 cores, 8 GiB, linux-x64 |');
    expect(md).toContain('| R4-mlp-100 | images/s | 128 | 64.0 | 256 |');
    expect(md).toContain('| R3-resnet-bn | images/s | 16.0 | 32.0 (DISAGREES) | too slow |');
    expect(md).toContain('| workload | gpujs:webasm vs tfjs:wasm | gpujs:webasm vs tfjs:cpu |');
    expect(md).toContain('| R3-resnet-bn | 0.50x | - |');
    expect(md).toContain('| R4-mlp-100 | 2.00x | 0.50x |');
    expect(md).toContain('- R3-resnet-bn on label of tfjs:cpu: too slow: minutes per step');
    expect(md).toContain('**Agreement failed:**');
    expect(md).toContain('npm run --silent bench -- markdown docs/benchmarks.json > docs/benchmarks.md');
  });

  it('reads a report after npm\'s banner lines, and refuses text without one', () => {
    const text = `\n> skipinit-workspace@0.1.0 bench\n> node tools/bench/bin/bench.js --json\n\n${JSON.stringify(report, null, 2)}\n`;
    expect(parseReportText(text).date).toBe(report.date);
    expect(parseReportText(JSON.stringify(report)).results).toHaveLength(results.length);
    expect(() => parseReportText('> npm banner only\n')).toThrow(/no JSON object/);
  });

  it('refuses a file that is not a report, naming what is missing', () => {
    expect(() => asReport({ date: 'x' })).toThrow(/not a bench report .* no command, machine/);
    expect(() => asReport([1])).toThrow(/expected the JSON object/);
  });
});

describe('arguments', () => {
  it('parses options and defaults', () => {
    expect(parseArgs([])).toMatchObject({ command: 'run', json: false, reps: 5, warmup: 1, threads: 1, peers: ['wasm', 'cpu'], includeSlow: false, maxRunS: 120 });
    expect(parseArgs(['--json', '--only', 'R1,R3-resnet-bn', '--reps', '7', '--peers', 'wasm', '--modes', 'webasm'])).toMatchObject({
      json: true,
      only: ['R1', 'R3-resnet-bn'],
      reps: 7,
      peers: ['wasm'],
      modes: ['webasm'],
    });
    expect(parseArgs(['--peers', 'none'])).toMatchObject({ peers: [] });
    expect(parseArgs(['tensor'])).toMatchObject({ only: ['R1', 'R2'] });
    expect(parseArgs(['markdown', 'run.json'])).toEqual({ command: 'markdown', file: 'run.json' });
  });

  it('rejects what it does not know, with the reason', () => {
    expect(() => parseArgs(['--reps', '3'])).toThrow(/--reps must be an integer >= 5/);
    expect(() => parseArgs(['--peers', 'webgl'])).toThrow(/unknown TensorFlow.js backend 'webgl'/);
    expect(() => parseArgs(['--fast'])).toThrow(UsageError);
    expect(() => parseArgs(['--only'])).toThrow(/--only needs a value/);
    expect(() => parseArgs(['markdown'])).toThrow(/markdown needs exactly one file/);
    expect(() => parseArgs(['--max-run-s', 'soon'])).toThrow(/needs a number, got 'soon'/);
  });

  it('selects groups or ids, and names selections that match nothing', () => {
    const ws = [{ id: 'R1-matmul-256', group: 'R1' }, { id: 'R3-resnet-bn', group: 'R3' }];
    expect(ws.filter((w) => selected(['R3'], w)).map((w) => w.id)).toEqual(['R3-resnet-bn']);
    expect(ws.filter((w) => selected(['R1-matmul-256'], w)).map((w) => w.id)).toEqual(['R1-matmul-256']);
    expect(unknownSelections(['R1', 'R9', 'R3-resnet'], ws)).toEqual(['R9', 'R3-resnet']);
  });
});

describe('README', () => {
  it('shows the usage the CLI prints', () => {
    expect(readFileSync(new URL('../README.md', import.meta.url), 'utf8')).toContain(USAGE);
  });
});
