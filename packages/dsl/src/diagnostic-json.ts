// Diagnostics as plain JSON records, for tools that read `skipinit compile --json`: the same facts as the
// printed frame (where, code, message, suggestions, notes) with 1-based lines and columns.
import type { Diagnostic } from './diagnostic';
import { clampSpan, LineIndex } from './span';

export interface DiagnosticRecord {
  readonly file: string;
  readonly line: number;
  readonly column: number;
  /** Where the span ends (exclusive column), 1-based. */
  readonly end_line: number;
  readonly end_column: number;
  readonly severity: 'error' | 'warning';
  readonly code: string;
  readonly message: string;
  readonly suggestions: readonly string[];
  readonly notes: readonly string[];
}

/** Records for `ds`; `sources` maps a diagnostic's file to its text (as CompileResult.sources does). */
export function diagnosticRecords(ds: readonly Diagnostic[], sources: ReadonlyMap<string, string>): DiagnosticRecord[] {
  const indexes = new Map<string, LineIndex>();
  return ds.map((d) => {
    const text = sources.get(d.file) ?? '';
    let index = indexes.get(d.file);
    if (!index) indexes.set(d.file, (index = new LineIndex(text)));
    const s = clampSpan(d.span, text.length);
    const start = index.position(s.start);
    const end = index.position(s.end);
    return {
      file: d.file,
      line: start.line,
      column: start.column,
      end_line: end.line,
      end_column: end.column,
      severity: d.severity,
      code: d.code,
      message: d.message,
      suggestions: [...(d.suggestions ?? [])],
      notes: [...(d.notes ?? [])],
    };
  });
}
