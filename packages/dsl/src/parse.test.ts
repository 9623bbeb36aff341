import { describe, expect, it } from 'vitest';
import type { CommandStatement, Expr } from './ast';
import { MAX_EXPRESSION_DEPTH } from './cst-to-ast';
import { MAX_BRACKET_DEPTH, MAX_SOURCE_CHARS, parse } from './parse';

const codes = (s: string): string[] => parse(s, 'f').errors.map((e) => e.code);

describe('parse', () => {
  it('builds commands with repetition, positional arguments, options and bodies', () => {
    const { ast, errors } = parse('model m {\n  input 1x28x28\n  resblock x depth, kind=mlp, width=2 * w\n  pool avg 2\n}\n');
    expect(errors).toEqual([]);
    const model = ast.statements[0] as CommandStatement;
    expect(model.head.text).toBe('model');
    const [input, res, pool] = model.body!.statements as CommandStatement[];
    expect(input.args[0].value).toMatchObject({ kind: 'shape', dims: [1, 28, 28] });
    expect(res.repeat).toMatchObject({ kind: 'name', name: 'depth' });
    expect(res.args.map((a) => a.key?.text)).toEqual(['kind', 'width']);
    expect(res.args[1].value).toMatchObject({ kind: 'binary', op: '*', left: { kind: 'number', value: 2 }, right: { kind: 'name', name: 'w' } });
    expect(pool.args.map((a) => a.juxtaposed ?? false)).toEqual([false, true]);
  });

  it('gives * and / precedence over + and -, left to right', () => {
    const { ast } = parse('let a = 1 - 2 - 3 * 4 / 5\n');
    const v = (ast.statements[0] as { value: Expr }).value;
    // ((1 - 2) - ((3 * 4) / 5))
    expect(v).toMatchObject({ op: '-', left: { op: '-' }, right: { op: '/', left: { op: '*' } } });
  });

  it('separates statements by new lines or ;, and keeps comments aside', () => {
    const { ast, errors } = parse('let a = 1; let b = 2  # two\n# alone\nlet c = 3');
    expect(errors).toEqual([]);
    expect(ast.statements.map((s) => (s as { name: { text: string } }).name.text)).toEqual(['a', 'b', 'c']);
    expect(ast.comments.map((c) => [c.text, c.line])).toEqual([
      ['# two', 1],
      ['# alone', 2],
    ]);
  });

  it('continues a statement after a trailing comma, and lists over several lines', () => {
    const { ast, errors } = parse('sweep {\n  lr = [\n    0.1,\n    0.2,\n  ]\n}\nmodel m {\n  conv 16,\n    kernel=3\n}\n');
    expect(errors).toEqual([]);
    const conv = (ast.statements[1] as CommandStatement).body!.statements[0] as CommandStatement;
    expect(conv.args.map((a) => a.key?.text ?? 'positional')).toEqual(['positional', 'kernel']);
  });

  it('needs no separator after a closing brace, nor between sweep axes after a closing bracket', () => {
    const { ast, errors } = parse('model m { input 784 } train { data mnist } sweep { init = [skipinit, he]  lr = [0.01, 0.1] }');
    expect(errors).toEqual([]);
    expect(ast.statements.map((st) => (st as CommandStatement).head.text)).toEqual(['model', 'train', 'sweep']);
    expect((ast.statements[2] as CommandStatement).body!.statements.map((st) => st.kind)).toEqual(['assign', 'assign']);
    expect(codes('model m { input 784\n  pool avg 2 relu }')).toEqual([]);
    expect(codes('let a = [1] b = 2\n')).toEqual([]);
    expect(codes('let a = 1 b = 2\n')).toEqual(['parse/expected-end-of-statement']);
  });

  it('tells shapes, numbers and malformed numbers apart', () => {
    expect(codes('let a = 3x32x32\nlet b = 5e-4\nlet c = .5\n')).toEqual([]);
    expect(codes('let a = 12abc\n')).toEqual(['lex/bad-number']);
    expect(codes('let a = 1.2.3\n')).toEqual(['lex/bad-number']);
  });

  it('reports every syntax error of a file, each once', () => {
    const src = 'let = 1\nmodel m {\n  conv 16 kernel=3\n  dense 10 @\n}\nlet q = [1 2]\n';
    expect(codes(src)).toEqual(['parse/expected-token', 'parse/missing-comma', 'lex/unexpected-character', 'parse/missing-comma']);
  });

  it('points an unclosed brace at its opening', () => {
    const { errors } = parse('model m {\n  input 784\n');
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({ code: 'parse/unclosed', span: { start: 8, end: 9 } });
  });

  it('accepts nesting up to the limit and refuses deeper, without recursing', () => {
    const nest = (n: number): string => `let a = ${'('.repeat(n)}1${')'.repeat(n)}\n`;
    expect(codes(nest(MAX_BRACKET_DEPTH))).toEqual([]);
    expect(codes(nest(MAX_BRACKET_DEPTH + 1))).toEqual(['limit/nesting']);
    expect(codes(nest(100_000))).toEqual(['limit/nesting']);
  });

  it('refuses expressions deeper than the limit (a long chain of + or -)', () => {
    expect(codes(`let a = ${Array(MAX_EXPRESSION_DEPTH).fill('1').join(' + ')}\n`)).toEqual([]);
    expect(codes(`let a = ${Array(5_000).fill('1').join(' + ')}\n`)).toEqual(['limit/nesting']);
    expect(codes(`let a = ${'-'.repeat(5_000)}1\n`)).toEqual(['limit/nesting']);
  });

  it('refuses a source over the size limit at once', () => {
    const big = `# ${'x'.repeat(MAX_SOURCE_CHARS)}`;
    const t0 = performance.now();
    expect(codes(big)).toEqual(['limit/source-size']);
    expect(performance.now() - t0).toBeLessThan(1000);
  });

  it('keeps every span inside the source, also at the end of the input', () => {
    for (const src of ['model m {', 'let a =', 'let a = (', '"', 'x', '}', 'model m { conv 16,']) {
      for (const e of parse(src).errors) {
        expect(e.span.start).toBeGreaterThanOrEqual(0);
        expect(e.span.end).toBeLessThanOrEqual(src.length);
      }
    }
  });
});
