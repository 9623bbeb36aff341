// Prints a diagnostic the way compilers do:
//
//   deep.arch:7:37 error[sem/unknown-init]: unknown init 'skipint'; did you mean 'skipinit'?
//     7 |   resblock x depth, kind=mlp, init=skipint
//       |                                    ^^^^^^^
//
// A span over several lines is underlined to the end of its first line. Tabs in the source line are kept in the
// caret line so the caret stays under the text.
import { didYouMean } from './diagnostic';
import type { Diagnostic } from './diagnostic';
import { clampSpan, LineIndex } from './span';

export interface PrintOptions {
  /** ANSI colours (the CLI turns them on for a terminal). */
  readonly color?: boolean;
}

const paint = (on: boolean, code: string, s: string): string => (on ? `\u001b[${code}m${s}\u001b[0m` : s);

/** The `file:line:col` of a diagnostic (1-based). */
export function location(d: Diagnostic, source: string): string {
  const p = new LineIndex(source).position(clampSpan(d.span, source.length).start);
  return `${d.file}:${p.line}:${p.column}`;
}

export function printDiagnostic(d: Diagnostic, source: string, options: PrintOptions = {}): string {
  const color = options.color ?? false;
  const index = new LineIndex(source);
  const s = clampSpan(d.span, source.length);
  const start = index.position(s.start);
  const lineText = index.lineText(start.line);
  const lineEnd = index.lineStart(start.line) + lineText.length;
  const from = start.column - 1;
  const to = Math.max(from + 1, Math.min(s.end, lineEnd) - index.lineStart(start.line));
  const gutter = String(start.line);
  const pad = ' '.repeat(gutter.length);
  const lead = lineText.slice(0, from).replace(/[^\t]/g, ' ');
  const suggestion = d.suggestions && !d.message.includes('did you mean') ? didYouMean(d.suggestions) : '';
  const head = `${d.file}:${start.line}:${start.column} ${paint(color, d.severity === 'error' ? '1;31' : '1;33', d.severity)}[${d.code}]: ${d.message}${suggestion}`;
  const lines = [
    paint(color, '1', head),
    `  ${gutter} | ${lineText}`,
    `  ${pad} | ${lead}${paint(color, '1;31', '^'.repeat(to - from))}`,
  ];
  for (const note of d.notes ?? []) lines.push(`  ${pad} = note: ${note}`);
  return lines.join('\n');
}

/** All diagnostics, one frame each, separated by blank lines; `sources` maps a diagnostic's file to its text. */
export function printDiagnostics(
  ds: readonly Diagnostic[],
  sources: ReadonlyMap<string, string> | ((file: string) => string),
  options: PrintOptions = {},
): string {
  const get = typeof sources === 'function' ? sources : (f: string) => sources.get(f) ?? '';
  return ds.map((d) => printDiagnostic(d, get(d.file), options)).join('\n\n');
}
