import { describe, expect, test } from 'vitest';
import { asciiChart, shortNumber } from './ascii-chart';

describe('asciiChart', () => {
  test('a rising line: first point bottom-left, last top-right, ticks and legend', () => {
    const text = asciiChart([{ name: 'up', points: [0, 1, 2, 3].map((x) => ({ x, y: x })) }], { width: 10, height: 4, xLabel: 'x' });
    expect(text).toBe(
      [
        '       3 +        **',
        '         |     ***',
        '       1 +  ***',
        '       0 +**',
        '         +----------',
        '          0   1.5  3',
        '          x',
        '          * up',
        '',
      ].join('\n'),
    );
  });

  test('log scale: powers of ten, points by decade; nulls and non-positive values left out', () => {
    const text = asciiChart(
      [
        { name: 'a', points: [{ x: 0, y: 1 }, { x: 1, y: 1e10 }, { x: 2, y: null }, { x: 3, y: -5 }] },
        { name: 'b', points: [{ x: 0, y: 1e5 }] },
      ],
      { width: 12, height: 3, logY: true },
    );
    const rows = text.split('\n');
    // a climbs ten decades from x = 0 to x = 1 (its null and negative points are dropped); b sits at 1e5, x = 0
    expect(rows).toEqual([
      '    1e10 +         ***',
      '     1e5 ++  ******',
      '       1 +***',
      '         +------------',
      '          0    0.5   1',
      '          * a   + b',
      '',
    ]);
  });

  test('several series get their own symbols; a custom symbol is used', () => {
    const text = asciiChart(
      [
        { name: 'p', points: [{ x: 0, y: 0 }, { x: 1, y: 0 }] },
        { name: 'q', points: [{ x: 0, y: 1 }, { x: 1, y: 1 }], symbol: '=' },
      ],
      { width: 8, height: 3 },
    );
    expect(text.split('\n').slice(0, 3)).toEqual(['       1 +========', '     0.5 +', '       0 +********']);
  });

  test('nothing finite to plot says so instead of drawing an empty frame', () => {
    expect(asciiChart([{ name: 'x', points: [{ x: 1, y: null }] }], { title: 'T' })).toBe('T\n(no finite values to plot)\n');
  });

  test('short tick numbers', () => {
    expect(shortNumber(1e12)).toBe('1e12');
    expect(shortNumber(3.4e38)).toBe('3.4e38');
    expect(shortNumber(0.000123)).toBe('1.23e-4');
    expect(shortNumber(1234.5)).toBe('1235');
    expect(shortNumber(0.5)).toBe('0.5');
  });
});
