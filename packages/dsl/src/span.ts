// Source positions. A span is a half-open range of UTF-16 offsets [start, end) into one source text; lines and
// columns are 1-based and computed on demand from a line index.

export interface Span {
  readonly start: number;
  readonly end: number;
}

export interface Position {
  /** 1-based line. */
  readonly line: number;
  /** 1-based column, counted in UTF-16 code units (what editors call the character offset). */
  readonly column: number;
}

export function span(start: number, end: number): Span {
  return { start, end: Math.max(start, end) };
}

/** The smallest span covering both. */
export function cover(a: Span, b: Span): Span {
  return { start: Math.min(a.start, b.start), end: Math.max(a.end, b.end) };
}

/** Clamps a span into [0, length]: every span the package hands out lies inside its source. */
export function clampSpan(s: Span, length: number): Span {
  const start = Number.isFinite(s.start) ? Math.min(Math.max(0, s.start), length) : length;
  const end = Number.isFinite(s.end) ? Math.min(Math.max(start, s.end), length) : start;
  return { start, end };
}

/** Line starts of a text, for offset -> line/column and for printing a line of source. */
export class LineIndex {
  private readonly starts: number[] = [0];

  constructor(readonly text: string) {
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c === 10) this.starts.push(i + 1);
      else if (c === 13) {
        if (text.charCodeAt(i + 1) === 10) i++;
        this.starts.push(i + 1);
      }
    }
  }

  get lineCount(): number {
    return this.starts.length;
  }

  position(offset: number): Position {
    const o = Math.min(Math.max(0, offset), this.text.length);
    let lo = 0;
    let hi = this.starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.starts[mid] <= o) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo + 1, column: o - this.starts[lo] + 1 };
  }

  /** The text of a 1-based line, without its line break. */
  lineText(line: number): string {
    const start = this.starts[line - 1] ?? this.text.length;
    let end = line < this.starts.length ? this.starts[line] : this.text.length;
    while (end > start && (this.text[end - 1] === '\n' || this.text[end - 1] === '\r')) end--;
    return this.text.slice(start, end);
  }

  lineStart(line: number): number {
    return this.starts[line - 1] ?? this.text.length;
  }
}
