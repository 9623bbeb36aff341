// What a shell hands a --set value as, read as the user meant it: a path without quotes for a string
// setting, a dashed data-set name as the vocabulary's underscore name.
import { describe, expect, it } from 'vitest';
import { compile } from './compile';

const SPEC = `let where = "data"
let base = 20
let off = 3
let width = 16
model m {
  input 1x28x28
  flatten
  dense width
  dense 10
}
train {
  data mnist, batch=32, path=where
  steps 10
}
`;

const run = (overrides: Record<string, string>) => compile(SPEC, { file: 't.arch', overrides });

describe('--set values as a shell passes them', () => {
  it('takes an unquoted path for a string setting or a string let, and a quoted one as it is', () => {
    expect(run({ path: '/tmp/x' }).train?.data.path).toBe('/tmp/x');
    expect(run({ path: '~/data/cifar-10-batches-bin' }).train?.data.path).toBe('~/data/cifar-10-batches-bin');
    expect(run({ path: '"/a b/c"' }).train?.data.path).toBe('/a b/c');
    expect(run({ path: 'C:\\data\\"x"' }).train?.data.path).toBe('C:\\data\\"x"');
    expect(run({ where: '/srv/data' }).train?.data.path).toBe('/srv/data');
  });

  it('reads a dashed vocabulary name as its underscore spelling, unless a part is a let', () => {
    const fm = run({ data: 'fashion-mnist' });
    expect(fm.errors).toEqual([]);
    expect(fm.train?.data.name).toBe('fashion_mnist');
    expect(run({ data: 'cifar-10' }).errors.map((e) => e.code)).toEqual(['sem/data-mismatch']);
    // base-off is arithmetic over two lets of this file
    expect(run({ width: 'base-off' }).graph?.nodes[2]).toMatchObject({ kind: 'dense', units: 17 });
    const withLet = compile(`let fashion = 1\n${SPEC}`, { file: 't.arch', overrides: { data: 'fashion-mnist' } });
    expect(withLet.errors.map((e) => e.code)).toEqual(['sem/unknown-name']);
  });
});

describe('names from other frameworks', () => {
  it("suggests our spelling: batchnorm -> bn, kaiming -> he, glorot -> xavier, fashion-mnist in a spec -> fashion_mnist", () => {
    const src = (line: string, data = 'mnist') => `model m {\n  input 64\n  ${line}\n  dense 10\n}\ntrain {\n  data ${data}\n  steps 1\n}\n`;
    const first = (s: string) => compile(s, { file: 't.arch' }).errors[0];
    expect(first(src('resblock width=64, norm=batchnorm')).message).toBe("unknown norm 'batchnorm'; did you mean 'bn'?");
    expect(first(src('resblock width=64, norm=batch_norm')).suggestions).toEqual(['bn']);
    expect(first(src('resblock width=64, norm=layernorm')).suggestions).toEqual(['ln']);
    expect(first(src('dense 64, init=he_normal')).suggestions).toEqual(['he']);
    expect(first(src('dense 64, init=kaiming')).suggestions).toEqual(['he']);
    expect(first(src('dense 64, init=glorot')).suggestions).toEqual(['xavier']);
    expect(first(src('dense 64, init=glorot_uniform')).suggestions).toEqual(['xavier_uniform']);
    const dashed = first(`model m {\n  input 1x28x28\n  flatten\n  dense 10\n}\ntrain {\n  data fashion-mnist\n  steps 1\n}\n`);
    expect(dashed).toMatchObject({ code: 'sem/unknown-name', suggestions: ['fashion_mnist'] });
    expect(dashed.message).toBe("'fashion-mnist' reads as a subtraction; names are written with '_'; did you mean 'fashion_mnist'?");
    expect(first(`model m {\n  input 3x32x32\n  flatten\n  dense 10\n}\ntrain {\n  data cifar-10\n  steps 1\n}\n`).suggestions).toEqual(['cifar10']);
  });
});
