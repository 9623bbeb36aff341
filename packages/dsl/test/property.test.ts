// Property tests (fast-check): compiling anything never throws or hangs and every span lies inside its
// source; generated valid specs compile without errors, and the formatter round-trips them (same graph, same
// train and sweep, idempotent); valid specs with random edits still never throw. 10,100 cases in all.
// Seeded, so a failure replays.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compile, format, printDiagnostics } from '../src/index';
import type { CompileResult } from '../src/index';

const SEED = 20200214;

/**
 * The invariants every compile must keep, whatever the input. Checked in plain code (vitest's expect costs
 * tens of microseconds a call, and there are ten thousand cases): one failing assertion says what broke.
 */
function checkInvariants(r: CompileResult): void {
  const problems: string[] = [];
  for (const d of [...r.errors, ...r.warnings]) {
    if (d.code === 'internal/error') problems.push(`internal error: ${d.message}`);
    const text = r.sources.get(d.file);
    if (text === undefined) problems.push(`diagnostic in unknown source ${d.file}`);
    else if (!(d.span.start >= 0 && d.span.end >= d.span.start && d.span.end <= text.length)) {
      problems.push(`span [${d.span.start}, ${d.span.end}) outside ${d.file} (${text.length} characters): ${d.code}`);
    }
  }
  if (typeof printDiagnostics(r.errors, r.sources) !== 'string') problems.push('printDiagnostics returned no text');
  if (r.errors.length === 0 && r.graph === null) problems.push('no errors but no graph');
  if (problems.length > 0) expect.fail(problems.join('\n'));
}

/** Removes source positions, which formatting legitimately changes. */
const strip = (x: unknown): unknown => JSON.parse(JSON.stringify(x ?? null, (k, v) => (k === 'span' ? undefined : v)));

const WORDS = [
  'model', 'train', 'sweep', 'let', 'block', 'x', 'm', 'input', 'conv', 'dense', 'flatten', 'relu', 'norm', 'bn', 'none',
  'resblock', 'stage', 'head', 'pool', 'avg', 'global', 'dropout', 'data', 'mnist', 'sgd', 'lr', 'steps', 'epochs',
  'init', 'skipinit', 'fixup', 'width', 'depth', 'kind', 'mlp', 'branch', 'b', 'w', 'sqrt', '1x28x28', '3x32x32',
  '784', '16', '0', '1', '0.1', '5e-4', '1e999', '12abc', '"s"', '"open', '{', '}', '(', ')', '[', ']', ',', '=', '+', '-',
  '*', '/', ';', '\n', '# note\n', '@', '\t', ' ',
];

const tokenSoup = fc.array(fc.constantFrom(...WORDS), { maxLength: 40 }).map((ws) => ws.join(' '));
const anyText = fc.oneof(fc.string({ maxLength: 80 }), fc.string({ unit: 'binary', maxLength: 40 }), tokenSoup);

/** Valid specs: lets, an optional block, a model (MLP or conv), an optional train and sweep section. */
const validSpec = fc
  .record({
    depth: fc.integer({ min: 1, max: 12 }),
    width: fc.constantFrom(8, 16, 32),
    norm: fc.constantFrom('bn', 'ln', 'none'),
    init: fc.constantFrom('skipinit', 'fixup', 'scaled', 'plain', 'he', 'xavier', 'orthogonal'),
    conv: fc.boolean(),
    extras: fc.array(fc.constantFrom('relu', 'gelu', 'dropout 0.1', 'norm norm', 'activation tanh', 'identity'), { maxLength: 3 }),
    useBlock: fc.boolean(),
    stages: fc.integer({ min: 1, max: 3 }),
    train: fc.boolean(),
    sweep: fc.integer({ min: 0, max: 3 }).map((x) => x === 0),
    oneLine: fc.boolean(),
    comments: fc.boolean(),
  })
  .map((o) => {
    const sep = o.oneLine ? '; ' : '\n  ';
    const c = (text: string): string => (o.comments ? `  # ${text}` : '');
    const lines = [
      `let depth = ${o.depth}${c('blocks')}`,
      `let width = ${o.width}`,
      `let norm = ${o.norm}`,
      `let init = ${o.init}${c('scheme')}`,
    ];
    if (o.useBlock) lines.push(o.conv ? 'block twin(w, stride=1) {\n  conv w, stride=stride\n  relu\n  conv w\n}' : 'block twin(w) {\n  dense w\n  relu\n  dense w\n}');
    const body: string[] = [];
    if (o.conv) {
      body.push('input 3x32x32', 'conv width');
      for (let i = 0; i < o.stages; i++) {
        const branch = o.useBlock ? 'branch=twin(width * ' + (1 << i) + ')' : 'norm=norm';
        body.push(`stage width=width * ${1 << i}, blocks=depth, stride=${i === 0 ? 1 : 2} { resblock ${branch}, init=init }`);
      }
    } else {
      body.push('input 1x28x28', 'flatten', 'dense width');
      body.push(o.useBlock ? 'resblock x depth, branch=twin(width), init=init' : 'resblock x depth, kind=mlp, width=width, norm=norm, init=init');
    }
    body.push(...o.extras, 'head 10');
    lines.push(`model net {${o.oneLine ? ' ' : '\n  '}${body.join(sep)}${o.oneLine ? ' }' : '\n}'}`);
    if (o.train) {
      lines.push(`train {\n  data ${o.conv ? 'cifar10' : 'mnist'}, batch=64\n  sgd lr=0.1, momentum=0.9, nesterov=true\n  schedule cosine, warmup=10\n  steps 100, seed=1\n}`);
    }
    if (o.sweep) lines.push(`sweep {\n  depth = [1, 2]${o.train ? '\n  lr = [0.01, 0.1]' : ''}\n}`);
    return `${lines.join('\n')}\n`;
  });

/** A random edit: delete a slice, insert a word or a character, duplicate or drop a line. */
const edited = fc
  .tuple(validSpec, fc.nat(), fc.nat({ max: 8 }), fc.constantFrom(...WORDS), fc.integer({ min: 0, max: 4 }))
  .map(([s, at, len, word, kind]) => {
    const i = at % (s.length + 1);
    const lines = s.split('\n');
    const l = at % lines.length;
    switch (kind) {
      case 0:
        return s.slice(0, i) + s.slice(i + len);
      case 1:
        return `${s.slice(0, i)}${word}${s.slice(i)}`;
      case 2:
        return `${s.slice(0, i)}${String.fromCharCode(32 + (at % 95))}${s.slice(i)}`;
      case 3:
        return [...lines.slice(0, l), lines[l], ...lines.slice(l)].join('\n');
      default:
        return [...lines.slice(0, l), ...lines.slice(l + 1)].join('\n');
    }
  });

describe('compile never throws and every span lies inside its source', () => {
  it('on arbitrary text (6500 cases)', () => {
    fc.assert(
      fc.property(anyText, (s) => {
        checkInvariants(compile(s, { file: 'fuzz.arch' }));
        const f = format(s);
        if (f.text !== null && format(f.text).text !== f.text) expect(format(f.text).text).toBe(f.text);
      }),
      { numRuns: 6500, seed: SEED },
    );
  });

  it('on valid specs with a random edit (3000 cases)', () => {
    fc.assert(
      fc.property(edited, (s) => {
        checkInvariants(compile(s, { file: 'edited.arch' }));
      }),
      { numRuns: 3000, seed: SEED },
    );
  });
});

describe('generated valid specs', () => {
  it('compile without errors, and the formatter round-trips them (600 cases)', () => {
    fc.assert(
      fc.property(validSpec, (s) => {
        const a = compile(s, { file: 'valid.arch' });
        expect(printDiagnostics(a.errors, a.sources)).toBe('');
        const f = format(s);
        expect(f.errors).toEqual([]);
        const b = compile(f.text!, { file: 'valid.arch' });
        expect(strip(b.graph)).toEqual(strip(a.graph));
        expect(b.train).toEqual(a.train);
        expect(strip(b.sweep)).toEqual(strip(a.sweep));
        expect(b.lets).toEqual(a.lets);
        expect(format(f.text!).text).toBe(f.text);
      }),
      { numRuns: 600, seed: SEED },
    );
  });
});
