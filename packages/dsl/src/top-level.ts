// The top level of a spec file: its lets in order, its blocks by name, and one model, one train and one sweep
// section. Anything else there is a diagnostic saying where it belongs.
import * as g from '@skipinit/graph';
import type { BlockStatement, CommandStatement, LetStatement, Statement } from './ast';
import { didYouMean } from './diagnostic';
import type { Reporter } from './reporter';
import { MODEL_STATEMENTS, SECTIONS, TRAIN_STATEMENTS } from './statements';

export type Sections = Record<'model' | 'train' | 'sweep', CommandStatement | undefined>;

export interface TopLevel {
  readonly lets: LetStatement[];
  readonly blocks: Map<string, BlockStatement>;
  readonly sections: Sections;
}

/** Sorts the top-level statements of `file` into lets, blocks and sections, reporting the misplaced ones. */
export function collectTopLevel(statements: readonly Statement[], file: string, r: Reporter): TopLevel {
  const lets: LetStatement[] = [];
  const blocks = new Map<string, BlockStatement>();
  const sections: Sections = { model: undefined, train: undefined, sweep: undefined };
  for (const s of statements) {
    if (s.kind === 'let') lets.push(s);
    else if (s.kind === 'block') collectBlock(s, blocks, r);
    else if (s.kind === 'assign') {
      r.at('sem/misplaced-statement', `'${s.name.text} = ...' is a sweep axis and goes inside sweep { }; to name a value, write 'let ${s.name.text} = ...'`, s.span);
    } else {
      const head = s.head.text;
      if (head === 'model' || head === 'train' || head === 'sweep') {
        const prev = sections[head];
        if (prev) {
          r.at('sem/duplicate-section', `a file has one ${head} section; this is the second`, s.head.span, { notes: [`the first is at ${r.where({ span: prev.head.span, file })}`] });
        } else sections[head] = s;
        if (!s.body && head !== 'model') r.at('sem/missing-argument', `${head} needs a body: ${head} { ... }`, s.head.span);
        if (!s.body && head === 'model') r.at('sem/missing-argument', 'model needs a body: model name { input ...; ... }', s.head.span);
      } else if (head in MODEL_STATEMENTS) {
        r.at('sem/misplaced-statement', `'${head}' is a layer; it goes inside model { }`, s.head.span);
      } else if (head in TRAIN_STATEMENTS) {
        r.at('sem/misplaced-statement', `'${head}' is a training setting; it goes inside train { }`, s.head.span);
      } else if (blocks.has(head)) {
        r.at('sem/misplaced-statement', `block '${head}' is used inside a model, not at the top level`, s.head.span);
      } else {
        const suggestions = g.closestNames(head, SECTIONS);
        r.at('sem/unknown-section', `unknown section '${head}'${didYouMean(suggestions)}`, s.head.span, {
          suggestions,
          notes: suggestions.length === 0 ? ['the top level holds: let, block, model, train, sweep'] : [],
        });
      }
    }
  }
  return { lets, blocks, sections };
}

function collectBlock(s: BlockStatement, blocks: Map<string, BlockStatement>, r: Reporter): void {
  const name = s.name.text;
  if (blocks.has(name)) {
    r.at('sem/duplicate-name', `block '${name}' is already defined`, s.name.span, { notes: [`first defined at ${r.where({ span: blocks.get(name)!.name.span, file: r.file })}`] });
    return;
  }
  if (name in MODEL_STATEMENTS || name in TRAIN_STATEMENTS || (SECTIONS as readonly string[]).includes(name)) {
    r.at('sem/duplicate-name', `'${name}' is a keyword of the language; give the block another name`, s.name.span);
    return;
  }
  const seen = new Set<string>();
  for (const p of s.params) {
    if (seen.has(p.name.text)) r.at('sem/duplicate-name', `block '${name}' has two parameters named '${p.name.text}'`, p.name.span);
    seen.add(p.name.text);
  }
  blocks.set(name, s);
}
