// Calling a user block: `block bottleneck(width, stride=1) { ... }` called as `bottleneck(256, stride=2)` (a
// branch) or `bottleneck 256, stride=2` (a statement). Arguments bind to parameters by position, then by name;
// defaults are evaluated in order, so a default may use the parameters before it (`mid=width/4`).
import { closestNames } from '@skipinit/graph';
import type { BlockStatement } from './ast';
import { didYouMean } from './diagnostic';
import { evaluate, Scope } from './evaluate';
import type { ModelLowerer } from './lower-model';
import type { Span } from './span';
import type { Value } from './value';

export interface BlockCallArg {
  readonly key?: string;
  readonly keySpan?: Span;
  /** undefined when evaluating it failed (already reported). */
  readonly value: Value | undefined;
  readonly span: Span;
}

/**
 * The scope a block's body runs in: its parameters bound to `args` over the file's scope. `implicit` supplies
 * values for parameters the call leaves out (a resblock passes its width and stride to `width`/`stride`
 * parameters). Undefined when the call does not fit (reported).
 */
export function instantiateBlock(
  lowerer: ModelLowerer,
  block: BlockStatement,
  args: readonly BlockCallArg[],
  callSpan: Span,
  implicit: Readonly<Record<string, number>>,
): Scope | undefined {
  const r = lowerer.reporter;
  const file = lowerer.ctx.file;
  const name = block.name.text;
  const params = block.params.map((p) => p.name.text);
  const given = new Map<string, BlockCallArg>();
  let ok = true;
  let slot = 0;
  for (const a of args) {
    if (a.key !== undefined) {
      if (!params.includes(a.key)) {
        const suggestions = closestNames(a.key, params);
        r.at('sem/unknown-option', `block '${name}' has no parameter '${a.key}'${didYouMean(suggestions)}`, a.keySpan ?? a.span, {
          suggestions,
          notes: [`block ${name}(${params.join(', ')}) is defined at ${r.where({ span: block.name.span, file })}`],
        });
        ok = false;
        continue;
      }
      if (given.has(a.key)) {
        r.at('sem/duplicate-option', `parameter '${a.key}' of block '${name}' is given twice`, a.span);
        ok = false;
        continue;
      }
      given.set(a.key, a);
      continue;
    }
    while (slot < params.length && given.has(params[slot])) slot++;
    if (slot >= params.length) {
      r.at('sem/too-many-arguments', `block '${name}' takes ${params.length} argument${params.length === 1 ? '' : 's'} (${params.join(', ')}); this one is extra`, a.span);
      ok = false;
      continue;
    }
    given.set(params[slot++], a);
  }
  // The file scope: a block sees the file's lets and its own parameters, never its caller's locals.
  const scope = new Scope(lowerer.fileScope);
  for (const p of block.params) {
    const key = p.name.text;
    const defined = { span: p.name.span, file };
    const arg = given.get(key);
    if (arg) {
      if (!arg.value) ok = false;
      scope.define(key, { value: arg.value, defined, kind: 'param' });
      continue;
    }
    if (key in implicit) {
      scope.define(key, { value: { kind: 'number', value: implicit[key], origin: { span: callSpan, file } }, defined, kind: 'param' });
      continue;
    }
    if (p.default) {
      scope.define(key, { value: evaluate(p.default, scope, lowerer.ctx), defined, kind: 'param' });
      continue;
    }
    r.at('sem/missing-argument', `block '${name}' needs its parameter '${key}'`, callSpan, {
      notes: [`block ${name}(${params.join(', ')}) is defined at ${r.where({ span: block.name.span, file })}`],
    });
    ok = false;
  }
  return ok ? scope : undefined;
}
