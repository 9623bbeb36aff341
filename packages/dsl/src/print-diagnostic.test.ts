import { describe, expect, it } from 'vitest';
import { error } from './diagnostic';
import { location, printDiagnostic, printDiagnostics } from './print-diagnostic';

const src = 'model m {\n  input 784\n\tresblock x 3, init=skipint\n}\n';

describe('printDiagnostic', () => {
  it('prints file:line:col error[code]: message, the line, and a caret under the span', () => {
    const start = src.indexOf('skipint');
    const d = error('sem/unknown-init', "unknown init 'skipint'; did you mean 'skipinit'?", { start, end: start + 7 }, 'f.arch');
    expect(location(d, src)).toBe('f.arch:3:21');
    // The tab before 'resblock' is kept in the caret line, so the caret stays under the word in any editor.
    expect(printDiagnostic(d, src)).toBe(
      [
        "f.arch:3:21 error[sem/unknown-init]: unknown init 'skipint'; did you mean 'skipinit'?",
        '  3 | \tresblock x 3, init=skipint',
        '    | \t                   ^^^^^^^',
      ].join('\n'),
    );
  });

  it('adds the suggestions and notes it carries', () => {
    const d = error('sem/unknown-norm', "unknown norm 'bm'", { start: 0, end: 5 }, 'f.arch', { suggestions: ['bn'], notes: ['used at 3:1'] });
    expect(printDiagnostic(d, src).split('\n')).toEqual([
      "f.arch:1:1 error[sem/unknown-norm]: unknown norm 'bm'; did you mean 'bn'?",
      '  1 | model m {',
      '    | ^^^^^',
      '    = note: used at 3:1',
    ]);
  });

  it('underlines a span over several lines to the end of its first line, and shows one caret for an empty span', () => {
    const d = error('parse/unclosed', 'x', { start: 0, end: src.length }, 'f.arch');
    expect(printDiagnostic(d, src).split('\n')[2]).toBe('    | ^^^^^^^^^');
    const end = error('parse/expected-value', 'x', { start: src.length, end: src.length }, 'f.arch');
    expect(printDiagnostic(end, src).split('\n').slice(0, 1)).toEqual(['f.arch:5:1 error[parse/expected-value]: x']);
    expect(printDiagnostic(end, src).split('\n')[2]).toBe('    | ^');
  });

  it('clamps a span outside its source instead of failing', () => {
    const d = error('sem/out-of-range', 'x', { start: 999, end: 2000 }, 'f.arch');
    expect(printDiagnostic(d, 'abc')).toContain('f.arch:1:4');
  });

  it('colours on request, and separates several diagnostics by a blank line', () => {
    const a = error('sem/out-of-range', 'a', { start: 0, end: 1 }, 'f.arch');
    expect(printDiagnostic(a, src, { color: true })).toContain('\u001b[1;31merror\u001b[0m');
    const out = printDiagnostics([a, a], new Map([['f.arch', src]]));
    expect(out.split('\n\n')).toHaveLength(2);
  });
});
