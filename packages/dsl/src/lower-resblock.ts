// Residual blocks and stages. `resblock x N, ...` is one node with a count; a stage lowers its template
// resblock twice: once with the stage's stride (the first block) and once with stride 1 (the other blocks-1).
import * as g from '@skipinit/graph';
import type { Branch, Node, ResblockNode, StageNode } from '@skipinit/graph';
import type { CommandStatement } from './ast';
import { Scope } from './evaluate';
import type { BlockCallArg } from './lower-block';
import type { At, ModelLowerer } from './lower-model';
import { presetValue } from './lower-preset';
import { Options } from './options';
import type { BranchRef } from './options';
import { MODEL_STATEMENTS } from './statements';
import { formatNumber, toPlain } from './value';

/** What a stage hands its template block. */
export interface StageFrame {
  readonly width: number;
  readonly stride: number;
}

const PREACT_ONLY = ['kind', 'kernel', 'norm', 'act', 'bias', 'dropout'] as const;

export function lowerResblock(
  lowerer: ModelLowerer,
  cmd: CommandStatement,
  at: At,
  count: number,
  stage?: StageFrame,
): ResblockNode | undefined {
  const r = lowerer.reporter;
  const o = Options.bind(cmd, MODEL_STATEMENTS.resblock, at.scope, lowerer.ctx);
  if (stage) {
    for (const k of ['width', 'stride'] as const) {
      if (o.has(k)) r.at('sem/conflicting-options', `the stage sets this block's ${k}; remove it here (or change the stage's ${k}=)`, o.spanOf(k));
    }
  }
  if (!lowerer.countBlocks(count * at.mult, cmd.span)) return undefined;
  const width = stage?.width ?? o.int('width');
  const stride = stage?.stride ?? o.int('stride') ?? 1;
  const preset = lowerer.preset?.rule.resblock;
  const init = presetValue<g.InitName>(lowerer, o, 'init', o.name<g.InitName>('init'), preset?.init, 'he');
  let branch: Branch | undefined;
  const ref = o.get('branch') as BranchRef | undefined;
  if (ref) {
    branch = customBranch(lowerer, cmd, o, ref, { width, stride, stage, at });
  } else if (!o.has('branch')) {
    if (width === undefined) {
      if (!o.has('width')) {
        r.at('sem/missing-argument', 'resblock needs width= (the channels or units of its branch), or a stage around it', cmd.head.span);
      }
      return undefined;
    }
    const kind = o.name<g.BlockKind>('kind') ?? (at.flow.rank === 1 ? 'mlp' : 'conv');
    if (kind === 'mlp' && stride !== 1) {
      r.at('sem/conflicting-options', `an mlp block has no stride (it is ${formatNumber(stride)} here); use kind=conv to downsample`, stage ? cmd.head.span : o.spanOf('stride'));
      return undefined;
    }
    if (kind === 'mlp' && o.has('kernel')) r.at('sem/conflicting-options', 'an mlp block has no kernel', o.spanOf('kernel'));
    const nf = init === 'nf';
    // (init=nf with norm=bn is legal, an NF block that normalises too: the graph's validation warns)
    const norm = presetValue<g.NormName>(lowerer, o, 'norm', o.name<g.NormName>('norm'), preset?.norm, nf ? 'none' : 'bn');
    branch = g.preact({
      kind,
      width,
      stride,
      kernel: o.int('kernel') ?? 3,
      norm,
      act: o.name<g.ActivationName>('act') ?? 'relu',
      bias: presetValue(lowerer, o, 'bias', o.bool('bias'), preset?.bias, nf && norm === 'none'),
      dropout: o.number('dropout') ?? 0,
    });
    if (kind === 'conv') at.flow.rank = 3;
  }
  if (!branch) return undefined;
  const weights = o.name<g.WeightInitName>('weights');
  const alpha = o.number('alpha');
  const learnable = o.bool('learnable');
  const shortcut = o.name<g.ShortcutName>('shortcut') ?? 'auto';
  return g.resblock({
    branch,
    count,
    shortcut,
    init,
    ...(weights !== undefined ? { weights } : {}),
    ...(alpha !== undefined ? { alpha } : {}),
    ...(learnable !== undefined ? { learnable } : {}),
    span: lowerer.graphSpan(cmd.span),
  });
}

/** A branch made of a user's block (`branch=name(args)`): its layers, with the block's width and stride passed in. */
function customBranch(
  lowerer: ModelLowerer,
  cmd: CommandStatement,
  o: Options,
  ref: BranchRef,
  { width, stride, stage, at }: { width: number | undefined; stride: number; stage: StageFrame | undefined; at: At },
): Branch | undefined {
  const r = lowerer.reporter;
  for (const k of PREACT_ONLY) {
    if (o.has(k)) r.at('sem/conflicting-options', `${k}= describes the built-in branch; with branch=${ref.name}, set it inside block '${ref.name}'`, o.spanOf(k));
  }
  const block = lowerer.blocks.get(ref.name)!;
  const params = block.params.map((p) => p.name.text);
  const givesStride = ref.args.some((a, i) => a.key === 'stride' || (!a.key && params[i] === 'stride'));
  if (stride !== 1 && !params.includes('stride') && !givesStride) {
    r.at('sem/missing-argument', `${stage ? "the stage's" : 'the'} stride=${stride} is passed to the branch block's 'stride' parameter, but block ${ref.name}(${params.join(', ')}) has none`, stage ? cmd.head.span : o.spanOf('stride'), {
      notes: [`give the block a parameter named stride and use it in its first strided layer, as in 'block ${ref.name}(${[...params, 'stride=1'].join(', ')})'`],
    });
    return undefined;
  }
  const args: BlockCallArg[] = ref.args.map((a) => ({ ...(a.key ? { key: a.key } : {}), value: a.value, span: a.span }));
  const implicit: Record<string, number> = {};
  if (width !== undefined) implicit.width = width;
  implicit.stride = stride;
  const nodes = lowerer.branchLayers(block, args, o.spanOf('branch'), implicit, at);
  if (!nodes) return undefined;
  if (nodes.length === 0) {
    r.at('sem/missing-argument', `block '${ref.name}' has no layers, so the branch would compute nothing`, o.spanOf('branch'));
    return undefined;
  }
  const plainArgs: Record<string, number | string | boolean> = {};
  ref.args.forEach((a, i) => {
    const p = toPlain(a.value);
    if (!Array.isArray(p)) plainArgs[a.key ?? block.params[i]?.name.text ?? String(i)] = p;
  });
  for (const p of block.params) {
    const k = p.name.text;
    if (!(k in plainArgs) && k in implicit) plainArgs[k] = implicit[k];
  }
  return g.custom(ref.name, nodes, plainArgs);
}

/** `stage width=W, blocks=N, stride=S { resblock ... }`: the stage node (undefined when wrong; reported). */
export function lowerStage(lowerer: ModelLowerer, cmd: CommandStatement, at: At): StageNode | undefined {
  const r = lowerer.reporter;
  const o = Options.bind(cmd, MODEL_STATEMENTS.stage, at.scope, lowerer.ctx);
  const width = o.int('width');
  const blocks = o.int('blocks');
  const stride = o.int('stride') ?? 1;
  const statements = cmd.body?.statements ?? [];
  const scope = new Scope(at.scope);
  let template: CommandStatement | undefined;
  for (const s of statements) {
    if (s.kind === 'let') {
      lowerer.defineLet(s, scope);
      continue;
    }
    if (s.kind === 'command' && s.head.text === 'resblock' && !template) {
      template = s;
      continue;
    }
    r.at('sem/misplaced-statement', 'a stage body holds one resblock: the template of its blocks (blocks= says how many)', s.kind === 'command' ? s.head.span : s.span);
  }
  if (!template) {
    r.at('sem/missing-argument', "a stage needs a body with one resblock, as in 'stage width=32, blocks=4, stride=2 { resblock norm=bn, init=skipinit }'", cmd.head.span);
    return undefined;
  }
  if (template.repeat) {
    r.at('sem/conflicting-options', "the stage's blocks= says how many blocks it has; remove the 'x' here", template.repeat.span);
    return undefined;
  }
  if (width === undefined || blocks === undefined) return undefined;
  const inner: At = { ...at, scope, depth: at.depth + 1 };
  const first = lowerResblock(lowerer, template, inner, 1, { width, stride });
  if (!first) return undefined;
  const body: Node[] = [first];
  if (blocks > 1) {
    const rest = lowerResblock(lowerer, template, inner, blocks - 1, { width, stride: 1 });
    if (!rest) return undefined;
    body.push(rest);
  }
  return { kind: 'stage', width, blocks, stride, body, span: lowerer.graphSpan(cmd.span) };
}
