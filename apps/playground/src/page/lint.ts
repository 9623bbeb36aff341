// The DSL's diagnostics as CodeMirror lint marks: the span, the message with its code, and each "did
// you mean" as an action that puts the suggestion in place of the span.
import type { Diagnostic as LintMark } from '@codemirror/lint';
import type { PageDiagnostic } from '../protocol';

export function lintMarks(diagnostics: readonly PageDiagnostic[], docLength: number): LintMark[] {
  return diagnostics.map((d) => {
    const from = Math.min(d.from, docLength);
    // An empty span (a missing token) still gets a mark: one character, or the end of the text.
    const to = Math.min(Math.max(d.to, d.from === d.to ? from + 1 : from), docLength);
    const notes = d.notes.length > 0 ? `\n${d.notes.map((n) => `note: ${n}`).join('\n')}` : '';
    return {
      from,
      to,
      severity: d.severity,
      source: d.code,
      message: `${d.message}${notes}`,
      actions: d.suggestions.slice(0, 3).map((s) => ({
        name: `use '${s}'`,
        apply: (view, start, end) => view.dispatch({ changes: { from: start, to: end, insert: s } }),
      })),
    };
  });
}

/** A line for the list under the editor: `playground.arch:3:12 error[sem/unknown-init]: message`. */
export function diagnosticLine(d: PageDiagnostic, file: string): string {
  return `${file}:${d.line}:${d.column} ${d.severity}[${d.code}]: ${d.message}`;
}
