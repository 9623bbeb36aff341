// Collects diagnostics while compiling and knows every source text (the spec file and each --set override), so
// a message can say where something else is ("defined at 3:5").
import { error } from './diagnostic';
import type { Diagnostic, DiagnosticCode } from './diagnostic';
import { clampSpan, LineIndex } from './span';
import type { Span } from './span';
import type { Origin } from './value';

export class Reporter {
  readonly errors: Diagnostic[] = [];
  private readonly indexes = new Map<string, LineIndex>();

  constructor(
    /** The spec file's name. */
    readonly file: string,
    /** Every source by name: the spec file and the overrides. */
    readonly sources: Map<string, string>,
  ) {}

  report(
    code: DiagnosticCode,
    message: string,
    at: Origin,
    extra: { suggestions?: readonly string[]; notes?: readonly string[] } = {},
  ): void {
    const text = this.sources.get(at.file) ?? '';
    this.errors.push(error(code, message, clampSpan(at.span, text.length), at.file, extra));
  }

  /** `report` with a span in the spec file. */
  at(code: DiagnosticCode, message: string, span: Span, extra: { suggestions?: readonly string[]; notes?: readonly string[] } = {}): void {
    this.report(code, message, { span, file: this.file }, extra);
  }

  /** "3:5" for the spec file, "--set depth, column 7" for an override. */
  where(at: Origin): string {
    let index = this.indexes.get(at.file);
    if (!index) {
      index = new LineIndex(this.sources.get(at.file) ?? '');
      this.indexes.set(at.file, index);
    }
    const p = index.position(at.span.start);
    return at.file === this.file ? `${p.line}:${p.column}` : `${at.file}:${p.line}:${p.column}`;
  }

  get count(): number {
    return this.errors.length;
  }
}
