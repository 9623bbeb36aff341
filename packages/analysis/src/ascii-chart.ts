// A line chart in plain ASCII, for a terminal over SSH: several series, each drawn with its own symbol,
// linear or log axes, labelled ticks and a legend. Points with a null or non-finite y (an overflowed
// statistic), or a non-positive value on a log axis, are left out.

export interface AsciiPoint {
  readonly x: number;
  readonly y: number | null;
}

export interface AsciiSeries {
  readonly name: string;
  readonly points: readonly AsciiPoint[];
  /** One character; default: the next of * + o x # @ % &. */
  readonly symbol?: string;
}

export interface AsciiChartOptions {
  /** Columns of the plot area (default 64). */
  readonly width?: number;
  /** Rows of the plot area (default 16). */
  readonly height?: number;
  readonly logX?: boolean;
  readonly logY?: boolean;
  readonly title?: string;
  readonly xLabel?: string;
  readonly yLabel?: string;
  /**
   * Where the axes start and end whatever the data (an accuracy axis is [0, 1], a step axis starts at 0):
   * the axis spans from `xFrom` (or the data's least x) to `xTo` (or the data's largest x), likewise y.
   */
  readonly xFrom?: number;
  readonly xTo?: number;
  readonly yFrom?: number;
  readonly yTo?: number;
}

const SYMBOLS = ['*', '+', 'o', 'x', '#', '@', '%', '&'];
const LABEL = 10;

/** A tick value, short: 1e+12 -> 1e12, 0.000123 -> 1.23e-4, 1234.5 -> 1235. */
export function shortNumber(v: number): string {
  if (v === 0) return '0';
  const a = Math.abs(v);
  if (a >= 1e5 || a < 1e-3) return v.toExponential(a >= 1e5 && Number.isInteger(Math.log10(a)) ? 0 : 2).replace('e+', 'e').replace(/\.?0+e/, 'e');
  return Number(v.toPrecision(4)).toString();
}

export function asciiChart(series: readonly AsciiSeries[], options: AsciiChartOptions = {}): string {
  const width = Math.max(8, Math.floor(options.width ?? 64));
  const height = Math.max(3, Math.floor(options.height ?? 16));
  const fx = (x: number): number => (options.logX ? Math.log10(x) : x);
  const fy = (y: number): number => (options.logY ? Math.log10(y) : y);
  const usable = series.map((s) =>
    s.points
      .filter((p): p is { x: number; y: number } => p.y !== null && Number.isFinite(p.y) && Number.isFinite(p.x))
      .filter((p) => (!options.logY || p.y > 0) && (!options.logX || p.x > 0))
      .map((p) => ({ x: fx(p.x), y: fy(p.y) }))
      .sort((a, b) => a.x - b.x),
  );
  const all = usable.flat();
  const lines: string[] = [];
  if (options.title) lines.push(options.title);
  if (all.length === 0) {
    lines.push('(no finite values to plot)');
    return `${lines.join('\n')}\n`;
  }
  const fixed = (v: number | undefined, f: (v: number) => number): number | undefined => (v === undefined ? undefined : f(v));
  let [x0, x1] = [fixed(options.xFrom, fx) ?? Math.min(...all.map((p) => p.x)), fixed(options.xTo, fx) ?? Math.max(...all.map((p) => p.x))];
  let [y0, y1] = [fixed(options.yFrom, fy) ?? Math.min(...all.map((p) => p.y)), fixed(options.yTo, fy) ?? Math.max(...all.map((p) => p.y))];
  if (x0 === x1) [x0, x1] = [x0 - 1, x1 + 1];
  if (y0 === y1) [y0, y1] = options.logY ? [y0 - 1, y1 + 1] : [y0 - Math.max(1, Math.abs(y0)) * 0.5, y1 + Math.max(1, Math.abs(y1)) * 0.5];
  const clamp = (v: number, n: number): number => Math.min(n - 1, Math.max(0, v));
  const col = (x: number): number => clamp(Math.round(((x - x0) / (x1 - x0)) * (width - 1)), width);
  const row = (y: number): number => clamp(height - 1 - Math.round(((y - y0) / (y1 - y0)) * (height - 1)), height);
  const grid: string[][] = Array.from({ length: height }, () => new Array<string>(width).fill(' '));
  usable.forEach((pts, i) => {
    const sym = (series[i].symbol ?? SYMBOLS[i % SYMBOLS.length]).charAt(0) || '*';
    for (let k = 0; k < pts.length; k++) {
      const c = col(pts[k].x);
      grid[row(pts[k].y)][c] = sym;
      const next = pts[k + 1];
      if (next === undefined) continue;
      // Fill the columns between this point and the next along the straight line (in plotted coordinates).
      const c2 = col(next.x);
      for (let cc = c + 1; cc < c2; cc++) {
        const t = (cc - c) / (c2 - c);
        grid[row(pts[k].y + t * (next.y - pts[k].y))][cc] = sym;
      }
    }
  });
  const unY = (r: number): number => {
    const v = y0 + ((height - 1 - r) / (height - 1)) * (y1 - y0);
    return options.logY ? Math.pow(10, v) : v;
  };
  const unX = (c: number): number => {
    const v = x0 + (c / (width - 1)) * (x1 - x0);
    return options.logX ? Math.pow(10, v) : v;
  };
  const tickRows = new Set([0, Math.round((height - 1) / 2), height - 1]);
  if (options.yLabel) lines.push(`${''.padStart(LABEL)}${options.yLabel}${options.logY ? ' (log)' : ''}`);
  for (let r = 0; r < height; r++) {
    const label = tickRows.has(r) ? shortNumber(unY(r)) : '';
    lines.push(`${label.padStart(LABEL - 2)} ${tickRows.has(r) ? '+' : '|'}${grid[r].join('').replace(/\s+$/, '')}`);
  }
  lines.push(`${''.padStart(LABEL - 1)}+${'-'.repeat(width)}`);
  const left = shortNumber(unX(0));
  const mid = shortNumber(unX((width - 1) / 2));
  const right = shortNumber(unX(width - 1));
  const axis = new Array<string>(width + LABEL).fill(' ');
  const put = (text: string, at: number): void => {
    for (let i = 0; i < text.length; i++) if (at + i >= 0 && at + i < axis.length) axis[at + i] = text[i];
  };
  put(left, LABEL);
  put(mid, LABEL + Math.round((width - 1) / 2) - Math.floor(mid.length / 2));
  put(right, LABEL + width - right.length);
  lines.push(axis.join('').replace(/\s+$/, ''));
  if (options.xLabel) lines.push(`${''.padStart(LABEL)}${options.xLabel}${options.logX ? ' (log)' : ''}`);
  const legend = series.map((s, i) => `${(s.symbol ?? SYMBOLS[i % SYMBOLS.length]).charAt(0)} ${s.name}`).join('   ');
  lines.push(`${''.padStart(LABEL)}${legend}`);
  return `${lines.join('\n')}\n`;
}
