// Golden tests: every example compiles to its checked-in summary; every invalid spec gives its checked-in
// diagnostics; together the invalid specs cover every diagnostic code the compiler can produce.
import { readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { expandSweep, formatSummary, ISSUE_CODES, summarizeInference } from '@skipinit/graph';
import { describe, expect, it } from 'vitest';
import { cellOverrides, compile, DIAGNOSTIC_CODES, printDiagnostics } from '../src/index';
import { expectGolden, goldenOverrides } from './golden';

const root = join(import.meta.dirname, '..', '..', '..');
const examples = join(root, 'examples');
const golden = join(import.meta.dirname, 'golden');

/** The examples and the --set variants whose summaries are checked in. */
const EXAMPLES: { file: string; name: string; sets: Record<string, string> }[] = [
  { file: 'deep-mlp.arch', name: 'deep-mlp', sets: {} },
  { file: 'mnist-resnet-small.arch', name: 'mnist-resnet-small', sets: {} },
  { file: 'wrn.arch', name: 'wrn-16-2', sets: {} },
  { file: 'wrn.arch', name: 'wrn-100-2', sets: { depth: '100' } },
  { file: 'wrn.arch', name: 'wrn-1000-2', sets: { depth: '1000' } },
];

function exampleReport(file: string, sets: Record<string, string>): string {
  const source = readFileSync(join(examples, file), 'utf8');
  const r = compile(source, { file: `examples/${file}`, overrides: sets });
  expect(printDiagnostics(r.errors, r.sources)).toBe('');
  const head = `== skipinit summary examples/${file}${Object.entries(sets).map(([k, v]) => ` --set ${k}=${v}`).join('')}`;
  const out = [head, formatSummary(summarizeInference(r.graph!, r.inference!)).trimEnd(), '', '== train', JSON.stringify(r.train)];
  if (r.sweep) {
    out.push('', '== sweep cells: params, FLOPs per example, residual blocks');
    for (const cell of expandSweep(r.sweep, r.train)) {
      const c = compile(source, { file, overrides: { ...sets, ...cellOverrides(cell) } });
      expect(printDiagnostics(c.errors, c.sources), cell.key).toBe('');
      out.push(`${cell.key}: ${c.inference!.params} params, ${c.inference!.flops} FLOPs, d=${c.inference!.blocks}`);
    }
  }
  return `${out.join('\n')}\n`;
}

describe('examples compile to their checked-in summaries', () => {
  for (const e of EXAMPLES) {
    it(e.name, () => {
      expectGolden(join(golden, 'examples', `${e.name}.txt`), exampleReport(e.file, e.sets));
    });
  }
  it('every example file is covered', () => {
    const files = readdirSync(examples).filter((f) => f.endsWith('.arch'));
    expect(files.sort()).toEqual([...new Set(EXAMPLES.map((e) => e.file))].sort());
  });
});

const invalidDir = join(golden, 'invalid');
const invalid = readdirSync(invalidDir).filter((f) => f.endsWith('.arch')).sort();

function diagnosticsReport(file: string): { text: string; codes: string[] } {
  const source = readFileSync(join(invalidDir, file), 'utf8');
  const r = compile(source, { file, overrides: goldenOverrides(source) });
  const all = [...r.errors, ...r.warnings];
  const text = `${printDiagnostics(all, r.sources)}\n-- ${r.errors.length} error${r.errors.length === 1 ? '' : 's'}, ${r.warnings.length} warning${r.warnings.length === 1 ? '' : 's'}\n`;
  return { text, codes: all.map((d) => d.code) };
}

describe('invalid specs give their checked-in diagnostics', () => {
  const seen = new Set<string>();
  for (const file of invalid) {
    it(file, () => {
      const { text, codes } = diagnosticsReport(file);
      expect(codes.length, 'an invalid spec must produce at least one diagnostic').toBeGreaterThan(0);
      for (const c of codes) seen.add(c);
      expectGolden(join(invalidDir, file.replace(/\.arch$/, '.txt')), text);
    });
  }
  it('at least 25 invalid specs', () => {
    expect(invalid.length).toBeGreaterThanOrEqual(25);
  });
  it('cover every diagnostic code that a spec can produce', () => {
    // Not reachable from a file: a bug of ours, and a file over a megabyte (tested in parse.test.ts).
    const unreachable = new Set(['internal/error', 'limit/source-size']);
    // The graph's structural codes cannot be reached through the DSL, which checks all of it first.
    const graphCodes = Object.keys(ISSUE_CODES).filter((c) => c.startsWith('shape/') || c === 'graph/redundant-bias' || c === 'graph/nf-norm' || c === 'graph/stage-mismatch');
    const all = [...Object.keys(DIAGNOSTIC_CODES), ...graphCodes].filter((c) => !unreachable.has(c));
    for (const f of invalid) for (const c of diagnosticsReport(f).codes) seen.add(c);
    expect(all.filter((c) => !seen.has(c))).toEqual([]);
  });
  it('name each file after the first code it shows', () => {
    for (const f of invalid) {
      const stem = basename(f, '.arch');
      if (stem === 'many-errors') continue;
      const { codes } = diagnosticsReport(f);
      expect(codes.map((c) => c.replace('/', '-')).some((c) => stem.startsWith(c)) || stem.startsWith('sem-init') || stem.startsWith('warning-'), f).toBe(true);
    }
  });
});
