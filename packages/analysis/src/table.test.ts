import { describe, expect, test } from 'vitest';
import type { Table } from './table';
import { formatNumber, toCsv, toMarkdown } from './table';

const table: Table = {
  columns: [
    { key: 'scheme', kind: 'text' },
    { key: 'lr', kind: 'number' },
    { key: 'acc', title: 'test acc', kind: 'percent' },
    { key: 'diverged', kind: 'boolean' },
  ],
  rows: [
    { scheme: 'bn', lr: 0.1, acc: 0.98765, diverged: false },
    { scheme: 'norm=bn, "x"', lr: 1.2345678e-7, acc: null, diverged: true },
  ],
};

describe('tables', () => {
  test('CSV: keys as header, full precision, RFC 4180 quoting, empty for null', () => {
    expect(toCsv(table)).toBe('scheme,lr,acc,diverged\nbn,0.1,0.98765,false\n"norm=bn, ""x""",1.2345678e-7,,true\n');
  });

  test('Markdown: titles, aligned columns, numbers right-aligned, percent and yes/no', () => {
    expect(toMarkdown(table)).toBe(
      [
        '| scheme       |       lr | test acc | diverged |',
        '| ------------ | -------: | -------: | -------- |',
        '| bn           |      0.1 |   98.77% | no       |',
        '| norm=bn, "x" | 1.235e-7 |          | yes      |',
        '',
      ].join('\n'),
    );
  });

  test('a pipe in a cell is escaped in Markdown', () => {
    const t: Table = { columns: [{ key: 'a' }], rows: [{ a: 'x|y' }] };
    expect(toMarkdown(t)).toContain('x\\|y');
  });

  test('formatNumber: significant digits, exponents only for extreme magnitudes', () => {
    expect(formatNumber(0.01)).toBe('0.01');
    expect(formatNumber(123456)).toBe('1.235e+5');
    expect(formatNumber(2.5e-7)).toBe('2.5e-7');
    expect(formatNumber(1e300)).toBe('1e+300');
    expect(formatNumber(0)).toBe('0');
    expect(formatNumber(0.693147, 3)).toBe('0.693');
  });
});
