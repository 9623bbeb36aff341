import { describe, expect, it } from 'vitest';
import { compile } from './compile';

/** The value of `let a = <expr>` (the model is there so the file is complete). */
const value = (expr: string, before = ''): unknown => {
  const r = compile(`${before}let a = ${expr}\nmodel m { input 784; head 10 }\n`);
  expect(r.errors.map((e) => e.message)).toEqual([]);
  return r.lets.a;
};
const error = (expr: string): string[] => compile(`let a = ${expr}\nmodel m { input 784; head 10 }\n`).errors.map((e) => e.code);

describe('let arithmetic', () => {
  it('follows the usual precedence, left to right, with unary minus', () => {
    expect(value('2 + 3 * 4')).toBe(14);
    expect(value('(2 + 3) * 4')).toBe(20);
    expect(value('10 - 4 - 3')).toBe(3);
    expect(value('2 * 12 / 4 / 3')).toBe(2);
    expect(value('-2 * -3')).toBe(6);
    expect(value('- -1')).toBe(1);
    expect(value('7 / 2')).toBe(3.5);
    expect(value('(1000 - 4) / 6')).toBe(166);
    expect(value('5e-4 * 2')).toBe(1e-3);
  });

  it('has pure functions', () => {
    expect(value('sqrt(16)')).toBe(4);
    expect(value('floor(2.7) + ceil(2.1)')).toBe(5);
    expect(value('round(2.5)')).toBe(3);
    expect(value('round(-2.5)')).toBe(-3);
    expect(value('abs(-3)')).toBe(3);
    expect(value('min(4, 2, 8) + max(1, 9)')).toBe(11);
    expect(value('pow(2, 10)')).toBe(1024);
    expect(value('log2(1024)')).toBe(10);
    expect(value('1 / sqrt(100)')).toBe(0.1);
  });

  it('uses earlier lets, binds names, shapes, strings and booleans', () => {
    expect(value('depth * 2', 'let depth = 3\n')).toBe(6);
    expect(value('skipinit')).toBe('skipinit');
    expect(value('init', 'let init = fixup\n')).toBe('fixup');
    expect(value('3x32x32')).toBe('3x32x32');
    expect(value('"data/cifar"')).toBe('data/cifar');
    expect(value('true')).toBe(true);
  });

  it('reports what cannot be computed, where', () => {
    expect(error('1 / 0')).toEqual(['sem/division-by-zero']);
    expect(error('1e308 * 10')).toEqual(['sem/number-overflow']);
    expect(error('1e999')).toEqual(['sem/number-overflow']);
    expect(error('sqrt(-1)')).toEqual(['sem/out-of-range']);
    expect(error('log2(0)')).toEqual(['sem/out-of-range']);
    expect(error('sqrt(1, 2)')).toEqual(['sem/bad-call']);
    expect(error('sqrt(n=1)')).toEqual(['sem/bad-call']);
    expect(error('sqr(4)')).toEqual(['sem/unknown-function']);
    expect(error('he * 2')).toEqual(['sem/unknown-name']);
    expect(error('true + 1')).toEqual(['sem/type-mismatch']);
    expect(error('[1, 2] * 2')).toEqual(['sem/type-mismatch']);
  });

  it('suggests the closest let for a misspelt name', () => {
    const r = compile('let width = 8\nmodel m { input 784; dense wdth * 2; head 10 }\n');
    expect(r.errors).toHaveLength(1);
    expect(r.errors[0]).toMatchObject({ code: 'sem/unknown-name', suggestions: ['width'] });
    expect(r.errors[0].message).toBe("unknown name 'wdth'; did you mean 'width'?");
  });

  it("says when a let is used before it is defined", () => {
    const r = compile('let a = b\nlet b = 1\nmodel m { input 784; dense a; head 10 }\n');
    expect(r.errors.map((e) => e.message)).toEqual(["'b' is used before its let"]);
  });
});
