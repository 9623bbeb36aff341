// Result tables as plain data, written as CSV (RFC 4180, full precision, for programs) and Markdown
// (rounded, aligned, for people and docs).

export type Cell = string | number | boolean | null;

export interface Column {
  /** The key in each row, and the CSV header. */
  readonly key: string;
  /** The Markdown header (default: the key). */
  readonly title?: string;
  /** How Markdown shows the value: text as is, numbers to `digits` significant digits, percent as 98.12%. */
  readonly kind?: 'text' | 'number' | 'percent' | 'boolean';
  /** Significant digits of a number, decimals of a percent (default 4 and 2). */
  readonly digits?: number;
}

export interface Table {
  readonly columns: readonly Column[];
  readonly rows: readonly Readonly<Record<string, Cell>>[];
}

/** A value for CSV: numbers at full precision, null and NaN empty. */
function csvCell(v: Cell | undefined): string {
  if (v === null || v === undefined || (typeof v === 'number' && Number.isNaN(v))) return '';
  const s = String(v);
  return /[",\n\r]/.test(s) || s !== s.trim() ? `"${s.replace(/"/g, '""')}"` : s;
}

/** The table as CSV: a header of the column keys, one line per row, '\n' line ends. */
export function toCsv(table: Table): string {
  const lines = [table.columns.map((c) => csvCell(c.key)).join(',')];
  for (const row of table.rows) lines.push(table.columns.map((c) => csvCell(row[c.key])).join(','));
  return `${lines.join('\n')}\n`;
}

/** A number with `digits` significant digits, without exponent noise for ordinary magnitudes. */
export function formatNumber(v: number, digits = 4): string {
  if (!Number.isFinite(v)) return String(v);
  if (v === 0) return '0';
  const abs = Math.abs(v);
  if (abs >= 1e6 || abs < 1e-4) return v.toExponential(Math.max(0, digits - 1)).replace(/\.?0+e/, 'e');
  const s = v.toPrecision(digits);
  return s.includes('.') ? s.replace(/\.?0+$/, '') : s;
}

/** How a cell reads in Markdown. */
export function formatCell(v: Cell | undefined, column: Column): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'boolean') return v ? 'yes' : 'no';
  if (typeof v === 'number') {
    if (Number.isNaN(v)) return '';
    if (column.kind === 'percent') return `${(v * 100).toFixed(column.digits ?? 2)}%`;
    if (column.kind === 'text') return String(v);
    return formatNumber(v, column.digits ?? 4);
  }
  return v.replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
}

const rightAligned = (c: Column): boolean => c.kind === 'number' || c.kind === 'percent';

/** The table as a GitHub-flavoured Markdown table, columns padded to line up. */
export function toMarkdown(table: Table): string {
  const header = table.columns.map((c) => (c.title ?? c.key).replace(/\|/g, '\\|'));
  const body = table.rows.map((r) => table.columns.map((c) => formatCell(r[c.key], c)));
  const widths = header.map((h, i) => Math.max(3, h.length, ...body.map((r) => r[i].length)));
  const pad = (s: string, i: number): string => (rightAligned(table.columns[i]) ? s.padStart(widths[i]) : s.padEnd(widths[i]));
  const line = (cells: string[]): string => `| ${cells.map(pad).join(' | ')} |`;
  const rule = `| ${widths.map((w, i) => (rightAligned(table.columns[i]) ? `${'-'.repeat(w - 1)}:` : '-'.repeat(w))).join(' | ')} |`;
  return `${[line(header), rule, ...body.map(line)].join('\n')}\n`;
}
