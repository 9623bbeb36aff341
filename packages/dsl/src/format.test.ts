import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { compile } from './compile';
import { format } from './format';

const text = (s: string): string => {
  const r = format(s);
  expect(r.errors).toEqual([]);
  return r.text!;
};

describe('format', () => {
  it('prints one statement per line, two-space indentation, canonical spacing', () => {
    const messy = 'let   depth=1000\nmodel  m{ input 1x28x28;flatten\n resblock x depth,kind=mlp ,width=2*64\n    head 10}\ntrain { data mnist,batch=64 ; steps 10 }\n';
    expect(text(messy)).toBe(
      [
        'let depth = 1000',
        'model m {',
        '  input 1x28x28',
        '  flatten',
        '  resblock x depth, kind=mlp, width=2 * 64',
        '  head 10',
        '}',
        'train {',
        '  data mnist, batch=64',
        '  steps 10',
        '}',
        '',
      ].join('\n'),
    );
  });

  it('keeps comments, aligns end-of-line comments of consecutive lines, keeps single blank lines', () => {
    const src = '# header\n\n\n\nlet a = 1 # one\nlet bb = 22     # two\nmodel m { # model\n  input 784\n  # before head\n  head 10\n  # dangling\n} # end\n';
    expect(text(src)).toBe(
      [
        '# header',
        '',
        'let a = 1    # one',
        'let bb = 22  # two',
        'model m {  # model',
        '  input 784',
        '  # before head',
        '  head 10',
        '  # dangling',
        '}  # end',
        '',
      ].join('\n'),
    );
  });

  it('moves comments inside a statement written over several lines to its end', () => {
    expect(text('model m {\n  conv 16,  # channels\n    kernel=3\n}\n')).toBe('model m {\n  conv 16, kernel=3  # channels\n}\n');
  });

  it('keeps a short body on one line and two positional arguments without a comma', () => {
    const src = 'model m {\n  stage width=32, blocks=2 { resblock init=skipinit }\n  pool avg 2\n  pool max, 3\n}\n';
    expect(text(src)).toBe('model m {\n  stage width=32, blocks=2 { resblock init=skipinit }\n  pool avg 2\n  pool max, 3\n}\n');
  });

  it('never glues a signed or parenthesised argument onto the one before it', () => {
    const src = 'model m { foo a, -1; bar a, (1) }\n';
    const out = text(src);
    expect(out).toContain('foo a, -1');
    expect(out).toContain('bar a, (1)');
  });

  it('keeps numbers as written and parentheses as written', () => {
    expect(text('let a = (1 + 2) * 5e-4 / 0.10\n')).toBe('let a = (1 + 2) * 5e-4 / 0.10\n');
  });

  it('refuses source with syntax errors, returning them', () => {
    const r = format('model m {\n  conv 16 kernel=3\n');
    expect(r.text).toBeNull();
    expect(r.errors.map((e) => e.code)).toEqual(['parse/unclosed', 'parse/missing-comma']);
  });

  it('leaves every example as it is, and formatting them changes nothing they compile to', () => {
    const dir = join(import.meta.dirname, '..', '..', '..', 'examples');
    for (const f of readdirSync(dir).filter((x) => x.endsWith('.arch'))) {
      const src = readFileSync(join(dir, f), 'utf8');
      const r = format(src);
      expect(r.text, f).toBe(src);
      expect(r.changed).toBe(false);
    }
  });

  it('is idempotent and keeps the compiled graph on a messy spec', () => {
    const src = 'let w=16;let d=2\nblock b(w,stride=1){conv w,stride=stride;relu;conv w}\nmodel m{input 3x32x32;conv w\nstage width=2*w,blocks=d,stride=2{resblock branch=b(2*w),init=fixup}\nhead 10}\n';
    const once = text(src);
    expect(text(once)).toBe(once);
    const strip = (x: unknown) => JSON.parse(JSON.stringify(x, (k, v) => (k === 'span' ? undefined : v)));
    const a = compile(src);
    expect(a.errors).toEqual([]);
    expect(strip(compile(once).graph)).toEqual(strip(a.graph));
  });
});
