// `preset regularised_skipinit, dropout=0.25`: a model-wide set of defaults (@skipinit/graph's PRESETS) for
// every resblock after it (norm, init, bias of the built-in branch) and for the head (dropout). A preset is
// only defaults: the graph is the one the user would get writing those options on every block by hand. An
// option a block writes itself must agree with the preset (a conflicting one is reported, not overridden);
// a branch=block keeps the layers its block writes.
import * as g from '@skipinit/graph';
import type { CommandStatement } from './ast';
import type { At, ModelLowerer } from './lower-model';
import { Options } from './options';
import type { Span } from './span';
import { MODEL_STATEMENTS } from './statements';
import { formatNumber } from './value';

export interface LoweredPreset {
  readonly rule: g.PresetRule;
  /** The head's dropout: the preset's dropout= or the rule's default. */
  readonly dropout: number;
  readonly span: Span;
}

/** Binds a preset statement (reported and ignored where it cannot go). */
export function lowerPreset(lowerer: ModelLowerer, cmd: CommandStatement, at: At): void {
  const r = lowerer.reporter;
  if (at.mode !== 'model' || at.depth > 0) {
    r.at('sem/misplaced-statement', 'a preset applies to the whole model: write it at the top of the model section', cmd.head.span);
    return;
  }
  if (lowerer.preset !== null) {
    r.at('sem/misplaced-statement', 'a model takes one preset', cmd.head.span, { notes: [`the first is at ${r.where({ span: lowerer.preset.span, file: r.file })}`] });
    return;
  }
  if (lowerer.blocksSoFar > 0 || lowerer.headsSoFar > 0) {
    r.at('sem/misplaced-statement', 'write the preset before the first resblock, stage and head: it sets their defaults', cmd.head.span);
    return;
  }
  const o = Options.bind(cmd, MODEL_STATEMENTS.preset, at.scope, lowerer.ctx);
  const name = o.name<g.PresetName>('preset');
  if (name === undefined) return;
  const rule = g.PRESETS[name];
  lowerer.preset = { rule, dropout: o.number('dropout') ?? rule.head.dropout, span: cmd.span };
}

/**
 * The value of option `key` for a statement under the model's preset: the written one (reported when it
 * contradicts the preset), else the preset's, else `fallback`. `written` is undefined when not given.
 */
export function presetValue<T extends string | number | boolean>(
  lowerer: ModelLowerer,
  o: Options,
  key: string,
  written: T | undefined,
  fromPreset: T | undefined,
  fallback: T,
): T {
  const p = lowerer.preset;
  if (written !== undefined && fromPreset !== undefined && p !== null && written !== fromPreset) {
    const show = (v: T): string => (typeof v === 'number' ? formatNumber(v) : String(v));
    lowerer.reporter.at('sem/conflicting-options', `preset ${p.rule.name} sets ${key}=${show(fromPreset)}; this says ${key}=${show(written)}`, o.spanOf(key), {
      notes: [`the preset is at ${lowerer.reporter.where({ span: p.span, file: lowerer.reporter.file })}; remove ${key}= here, or the preset`],
    });
  }
  return written ?? fromPreset ?? fallback;
}
