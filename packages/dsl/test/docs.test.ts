// docs/dsl.md is the reference users read: every example in it compiles (or fails with the code it claims), and
// it documents every keyword, statement, option with its default, function, diagnostic code and limit.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ISSUE_CODES, LIMITS } from '@skipinit/graph';
import { describe, expect, it } from 'vitest';
import {
  compile,
  DIAGNOSTIC_CODES,
  FUNCTIONS,
  KEYWORDS,
  MAX_BRACKET_DEPTH,
  MAX_EXPRESSION_DEPTH,
  MAX_SOURCE_CHARS,
  MODEL_STATEMENTS,
  printDiagnostics,
  TRAIN_SETTINGS,
  TRAIN_STATEMENTS,
} from '../src/index';

const doc = readFileSync(join(import.meta.dirname, '..', '..', '..', 'docs', 'dsl.md'), 'utf8');

const blocks = [...doc.matchAll(/^```arch([^\n]*)\n([\s\S]*?)^```$/gm)].map((m) => ({ info: m[1].trim(), code: m[2] }));

/** The text of the section under `#### \`name\`` (up to the next heading). */
function section(name: string): string {
  const start = doc.indexOf(`#### \`${name}\`\n`);
  expect(start, `docs/dsl.md has no section '#### \`${name}\`'`).toBeGreaterThanOrEqual(0);
  const next = doc.slice(start + 5).search(/^#{2,4} /m);
  return next < 0 ? doc.slice(start) : doc.slice(start, start + 5 + next);
}

describe('docs/dsl.md', () => {
  it('has examples, and every one compiles as it says', () => {
    expect(blocks.length).toBeGreaterThanOrEqual(8);
    for (const [i, b] of blocks.entries()) {
      const r = compile(b.code, { file: `docs example ${i + 1}` });
      const expected = /error=(\S+)/.exec(b.info)?.[1];
      if (expected) expect(r.errors[0]?.code, b.code).toBe(expected);
      else expect(printDiagnostics(r.errors, r.sources), b.code).toBe('');
    }
  });

  it('documents every statement and every option with its default', () => {
    for (const table of [MODEL_STATEMENTS, TRAIN_STATEMENTS]) {
      for (const s of Object.values(table)) {
        const text = section(s.name);
        for (const [key, o] of Object.entries(s.options)) {
          const row = text.split('\n').find((l) => l.startsWith(`| \`${key}\` |`));
          expect(row, `${s.name}: option ${key}`).toBeDefined();
          const def = o.default ?? ((s.required ?? []).includes(key) ? '(required)' : '—');
          expect(row!.split(' | ')[3], `${s.name} ${key} default`).toBe(def);
        }
      }
    }
  });

  it('documents every keyword, section, function and sweepable setting', () => {
    for (const k of KEYWORDS) expect(doc).toContain(`\`${k}\``);
    for (const k of ['model', 'train', 'sweep', 'block', 'let']) expect(doc).toMatch(new RegExp(`\\| \`${k} `));
    for (const f of Object.keys(FUNCTIONS)) expect(doc).toContain(`\`${f}(`);
    for (const s of Object.keys(TRAIN_SETTINGS)) expect(doc).toContain(`\`${s}\``);
  });

  it('documents every diagnostic code', () => {
    const graph = Object.keys(ISSUE_CODES).filter((c) => c.startsWith('shape/') || c === 'graph/redundant-bias' || c === 'graph/nf-norm' || c === 'graph/stage-mismatch');
    for (const code of [...Object.keys(DIAGNOSTIC_CODES), ...graph]) expect(doc, code).toContain(`| \`${code}\` |`);
  });

  it('states every limit with its value', () => {
    const n = (x: number): string => x.toLocaleString('en-US');
    for (const v of [MAX_SOURCE_CHARS, MAX_BRACKET_DEPTH, MAX_EXPRESSION_DEPTH, ...Object.values(LIMITS)]) {
      expect(doc, `limit ${v}`).toContain(`| ${n(v)}`);
    }
  });
});
