// Lowering a `model` section to the layer graph: each statement to its node(s), `x N` to a count or a repeat
// node, user blocks inlined (as layers, or as a residual branch), stages to stage nodes. Limits are checked
// as counts multiply, before anything is built, so `resblock x 1000000000` is an instant error.
import * as g from '@skipinit/graph';
import type { Graph, LayerNode, Node, Span as GraphSpan } from '@skipinit/graph';
import type { BlockStatement, CommandStatement, Statement } from './ast';
import { didYouMean } from './diagnostic';
import { evaluate, unknownName } from './evaluate';
import type { EvalContext } from './evaluate';
import { Scope } from './evaluate';
import { instantiateBlock } from './lower-block';
import type { BlockCallArg } from './lower-block';
import { lowerLayer } from './lower-layer';
import type { LoweredPreset } from './lower-preset';
import { lowerPreset } from './lower-preset';
import { lowerResblock, lowerStage } from './lower-resblock';
import type { Reporter } from './reporter';
import type { LineIndex, Span } from './span';
import { MODEL_STATEMENTS, TRAIN_STATEMENTS } from './statements';
import { describeValue, formatNumber } from './value';

/** Where lowering is: the model itself, a block inlined into it, or a block used as a residual branch. */
export type Mode = 'model' | 'inline' | 'branch';

/** What lowering knows of the running shape: image (rank 3) or flat (rank 1); undefined before the input. */
export interface Flow {
  rank: 1 | 3 | undefined;
}

/** For the lowering of one statement. */
export interface At {
  readonly scope: Scope;
  readonly mode: Mode;
  /** Product of the enclosing repetition counts: one resblock here is `mult` blocks in the network. */
  readonly mult: number;
  /** Composite nesting depth so far. */
  readonly depth: number;
  readonly flow: Flow;
}

export class ModelLowerer {
  private nodeCount = 0;
  private blockCount = 0;
  private stopped = false;
  private readonly callStack: string[] = [];
  /** Recursion cycles already reported (sorted block names). */
  private readonly cycles = new Set<string>();
  /** Failures not reported again (a recursion already reported): a block body that hits one fails too. */
  private silentFailures = 0;
  /** Statement spans of the block calls that produced a node (for "in block 'b' used at 12:3"). */
  readonly callSites = new WeakMap<object, { block: string; span: Span }[]>();
  /** The model's preset (lower-preset.ts), once its statement is lowered. */
  preset: LoweredPreset | null = null;
  /** Heads lowered so far (a preset must come before them). */
  headsSoFar = 0;

  constructor(
    readonly reporter: Reporter,
    readonly ctx: EvalContext,
    readonly blocks: ReadonlyMap<string, BlockStatement>,
    private readonly lines: LineIndex,
    /** The file's lets: what block bodies see. */
    readonly fileScope: Scope,
  ) {}

  /** The graph's span for a statement span in the spec file. */
  graphSpan(span: Span): GraphSpan {
    const a = this.lines.position(span.start);
    const b = this.lines.position(span.end);
    return { file: this.reporter.file, offset: span.start, endOffset: span.end, line: a.line, col: a.column, endLine: b.line, endCol: b.column };
  }

  lowerModel(cmd: CommandStatement): Graph | undefined {
    let name = 'model';
    const [first, ...extra] = cmd.args;
    if (first) {
      if (first.key || first.value.kind !== 'name') {
        this.reporter.at('sem/type-mismatch', 'a model is named with a plain name: model resnet { ... }', first.span);
      } else name = first.value.name;
    }
    for (const a of extra) this.reporter.at('sem/too-many-arguments', 'model takes only its name', a.span);
    if (cmd.repeat) this.reporter.at('sem/misplaced-statement', 'a model cannot be repeated', cmd.repeat.span);
    const body = cmd.body?.statements ?? [];
    const at: At = { scope: new Scope(this.fileScope), mode: 'model', mult: 1, depth: 0, flow: { rank: undefined } };
    const firstCommand = body.find((s) => s.kind !== 'let');
    if (!firstCommand) {
      this.reporter.at('sem/missing-input', `model '${name}' is empty: it needs at least an input, as in 'input 1x28x28'`, cmd.head.span);
      return undefined;
    }
    if (firstCommand.kind !== 'command' || firstCommand.head.text !== 'input') {
      this.reporter.at('sem/missing-input', "a model starts with its input, as in 'input 1x28x28' or 'input 784'", firstCommand.span);
    }
    const nodes = this.lowerBody(body, at);
    if (this.stopped) return undefined;
    return { name, nodes };
  }

  /** Lowers statements in order; lets extend the scope for the statements after them. */
  lowerBody(statements: readonly Statement[], at: At): Node[] {
    const out: Node[] = [];
    for (const s of statements) {
      if (this.stopped) break;
      if (s.kind === 'let') {
        this.defineLet(s, at.scope);
        continue;
      }
      if (s.kind === 'block') {
        this.reporter.at('sem/misplaced-statement', 'blocks are defined at the top level of the file, not inside another section', s.name.span);
        continue;
      }
      if (s.kind === 'assign') {
        this.reporter.at('sem/misplaced-statement', `'${s.name.text} = ...' belongs in a sweep section; to name a value here, write 'let ${s.name.text} = ...'`, s.span);
        continue;
      }
      for (const n of this.lowerCommand(s, at, out.length === 0 && at.mode === 'model')) out.push(n);
    }
    return out;
  }

  defineLet(s: Extract<Statement, { kind: 'let' }>, scope: Scope): void {
    const prev = scope.own(s.name.text);
    if (prev) {
      this.reporter.at('sem/duplicate-name', `'${s.name.text}' is already defined in this scope`, s.name.span, {
        notes: [`first defined at ${this.reporter.where(prev.defined)}`],
      });
      return;
    }
    scope.define(s.name.text, { value: evaluate(s.value, scope, this.ctx), defined: { span: s.name.span, file: this.ctx.file }, kind: 'let' });
  }

  /** Counts nodes against the limit; false (and one report) once it is passed. */
  private budget(n: number, span: Span): boolean {
    this.nodeCount += n;
    if (this.nodeCount > g.MAX_NODES && !this.stopped) {
      this.stopped = true;
      this.reporter.at('limit/nodes', `the model has more than ${formatNumber(g.MAX_NODES)} layers written out (repetition with 'x N' does not count); the limit is ${formatNumber(g.MAX_NODES)}`, span);
    }
    return !this.stopped;
  }

  /** Counts residual blocks against the limit (count x enclosing repetitions). */
  countBlocks(n: number, span: Span): boolean {
    this.blockCount += n;
    if (this.blockCount > g.MAX_BLOCKS && !this.stopped) {
      this.stopped = true;
      this.reporter.at('limit/blocks', `this makes the network ${formatNumber(this.blockCount)} residual blocks deep; the limit is ${formatNumber(g.MAX_BLOCKS)}`, span);
    }
    return !this.stopped;
  }

  get blocksSoFar(): number {
    return this.blockCount;
  }

  /** The `x N` count of a statement: 1 without one; undefined when wrong (reported). */
  repeatCount(cmd: CommandStatement, at: At): number | undefined {
    if (!cmd.repeat) return 1;
    const v = evaluate(cmd.repeat, at.scope, this.ctx);
    if (!v) return undefined;
    if (v.kind === 'symbol') {
      unknownName(v.name, v.origin, at.scope, this.ctx);
      return undefined;
    }
    if (v.kind !== 'number') {
      this.reporter.report('sem/type-mismatch', `a repetition count is a whole number, not ${describeValue(v)}`, v.origin);
      return undefined;
    }
    const n = v.value;
    if (!Number.isInteger(n)) return void this.reporter.report('sem/not-integer', `a repetition count must be a whole number, got ${formatNumber(n)}`, v.origin);
    if (n < 1) return void this.reporter.report('sem/out-of-range', `a repetition count must be at least 1, got ${formatNumber(n)}`, v.origin);
    if (n > g.MAX_COUNT) {
      this.reporter.report('limit/repeat', `'x ${formatNumber(n)}' repeats more than the limit of ${formatNumber(g.MAX_COUNT)}`, v.origin);
      return undefined;
    }
    return n;
  }

  private lowerCommand(cmd: CommandStatement, at: At, isFirst: boolean): Node[] {
    const head = cmd.head.text;
    const spec = MODEL_STATEMENTS[head];
    const block = this.blocks.get(head);
    if (!spec && !block) {
      this.unknownStatement(cmd);
      return [];
    }
    if (at.depth >= g.MAX_NESTING) {
      this.reporter.at('limit/nesting', `repetitions, stages and blocks nest more than ${g.MAX_NESTING} deep here`, cmd.head.span);
      this.stopped = true;
      return [];
    }
    if (cmd.body && spec?.body === undefined) {
      this.reporter.at('sem/misplaced-statement', `${head} has no { ... } body`, cmd.body.span);
    }
    if (head === 'preset' && !block) {
      if (cmd.repeat) this.reporter.at('sem/misplaced-statement', "a preset cannot be repeated with 'x'", cmd.repeat.span);
      lowerPreset(this, cmd, at);
      return [];
    }
    const counted = this.repeatCount(cmd, at);
    if (counted === undefined) {
      // The count is wrong (reported); lower once anyway so the rest of the statement is checked too.
      this.lowerCommandOnce(cmd, at, isFirst, spec, block);
      return [];
    }
    const count = counted;
    if (cmd.repeat && spec && !spec.repeat) {
      this.reporter.at('sem/misplaced-statement', `${head} cannot be repeated with 'x'`, cmd.repeat.span);
      return [];
    }
    const inner: At = { ...at, mult: at.mult * count, depth: at.depth + (count > 1 ? 1 : 0) };
    if (block) return this.lowerBlockCall(cmd, block, at, inner, count);
    if (head === 'resblock' || head === 'stage') {
      if (at.mode === 'branch') {
        this.reporter.at('sem/misplaced-statement', `a block used as a residual branch holds plain layers; '${head}' cannot be inside it`, cmd.head.span);
        return [];
      }
      const node = head === 'resblock' ? lowerResblock(this, cmd, { ...at, mult: at.mult }, count) : this.wrap(lowerStage(this, cmd, inner), count, cmd);
      return node && this.budget(1, cmd.span) ? [node] : [];
    }
    if (head === 'input') {
      if (!isFirst) {
        this.reporter.at('sem/misplaced-statement', at.mode === 'model' ? 'the input is the first statement of a model, and there is only one' : 'an input cannot be inside a block', cmd.head.span);
        return [];
      }
    } else if (head === 'head' && at.mode === 'branch') {
      this.reporter.at('sem/misplaced-statement', 'a classifier head cannot be inside a residual branch', cmd.head.span);
      return [];
    }
    if (head === 'head') this.headsSoFar++;
    const layer = lowerLayer(this, cmd, spec!, at);
    if (layer.length === 0 || !this.budget(layer.length, cmd.span)) return [];
    if (count === 1) return layer;
    if (at.mode === 'branch') {
      // A branch is a flat list of layers: repetition is written out.
      if (!this.budget(layer.length * (count - 1), cmd.span)) return [];
      const out: Node[] = [];
      for (let i = 0; i < count; i++) for (const n of layer) out.push(i === 0 ? n : structuredClone(n));
      return out;
    }
    const node = this.wrap(layer, count, cmd);
    return node ? [node] : [];
  }

  private lowerCommandOnce(cmd: CommandStatement, at: At, isFirst: boolean, spec: (typeof MODEL_STATEMENTS)[string] | undefined, block: BlockStatement | undefined): void {
    const once: CommandStatement = { ...cmd, repeat: undefined };
    const saved = this.nodeCount;
    if (block || spec) this.lowerCommand(once, at, isFirst);
    this.nodeCount = saved;
  }

  /** `x N` on anything but a resblock: a repeat node (a single node when N = 1). */
  private wrap(nodes: Node | Node[] | undefined, count: number, cmd: CommandStatement): Node | undefined {
    if (nodes === undefined) return undefined;
    const list = Array.isArray(nodes) ? nodes : [nodes];
    if (count === 1 && list.length === 1) return list[0];
    if (list.length === 0) return undefined;
    return g.repeat(count, list, { span: this.graphSpan(cmd.span) });
  }

  private unknownStatement(cmd: CommandStatement): void {
    const head = cmd.head.text;
    if (head in TRAIN_STATEMENTS) {
      this.reporter.at('sem/misplaced-statement', `'${head}' is a training setting; it belongs in the train section`, cmd.head.span);
      return;
    }
    if (head === 'model' || head === 'train' || head === 'sweep') {
      this.reporter.at('sem/misplaced-statement', `a ${head} section cannot be inside another section`, cmd.head.span);
      return;
    }
    const candidates = [...Object.keys(MODEL_STATEMENTS), ...this.blocks.keys()];
    const suggestions = g.closestNames(head, candidates);
    this.reporter.at('sem/unknown-layer', `unknown layer '${head}'${didYouMean(suggestions)}`, cmd.head.span, {
      suggestions,
      notes: suggestions.length === 0 ? [`layers: ${Object.keys(MODEL_STATEMENTS).join(', ')}${this.blocks.size > 0 ? `; blocks: ${[...this.blocks.keys()].join(', ')}` : ''}`] : [],
    });
  }

  /** A call of a user block as a statement: its layers inlined (a repeat node under `x N`). */
  private lowerBlockCall(cmd: CommandStatement, block: BlockStatement, at: At, inner: At, count: number): Node[] {
    const args: BlockCallArg[] = cmd.args.map((a) => ({
      ...(a.key ? { key: a.key.text, keySpan: a.key.span } : {}),
      value: evaluate(a.value, at.scope, this.ctx),
      span: a.span,
    }));
    const nodes = this.instantiate(block, args, cmd.span, {}, { ...inner, mode: at.mode === 'branch' ? 'branch' : 'inline' });
    if (!nodes) return [];
    if (count === 1) return nodes;
    if (at.mode === 'branch') {
      if (!this.budget(nodes.length * (count - 1), cmd.span)) return [];
      const out: Node[] = [];
      for (let i = 0; i < count; i++) for (const n of nodes) out.push(i === 0 ? n : structuredClone(n));
      return out;
    }
    const node = this.wrap(nodes, count, cmd);
    return node && this.budget(1, cmd.span) ? [node] : [];
  }

  /** Lowers a block's body with its arguments bound; undefined on a recursion or binding error (reported). */
  instantiate(
    block: BlockStatement,
    args: readonly BlockCallArg[],
    callSpan: Span,
    implicit: Readonly<Record<string, number>>,
    at: At,
  ): Node[] | undefined {
    if (this.callStack.includes(block.name.text)) {
      const cycle = this.callStack.slice(this.callStack.indexOf(block.name.text));
      const key = [...cycle].sort().join(' ');
      if (!this.cycles.has(key)) {
        this.cycles.add(key);
        const chain = [...cycle, block.name.text].join(' -> ');
        this.reporter.at('sem/recursive-block', `block '${block.name.text}' uses itself (${chain}); blocks cannot recurse`, callSpan);
      }
      this.silentFailures++;
      return undefined;
    }
    if (this.callStack.length >= g.MAX_NESTING) {
      this.reporter.at('limit/nesting', `blocks call blocks more than ${g.MAX_NESTING} deep here`, callSpan);
      return undefined;
    }
    const scope = instantiateBlock(this, block, args, callSpan, implicit);
    if (!scope) return undefined;
    this.callStack.push(block.name.text);
    const before = this.reporter.count + this.silentFailures;
    try {
      const nodes = this.lowerBody(block.body.statements, { ...at, scope });
      if (this.reporter.count + this.silentFailures > before) return undefined;
      for (const n of nodes) {
        const sites = this.callSites.get(n) ?? [];
        sites.push({ block: block.name.text, span: callSpan });
        this.callSites.set(n, sites);
      }
      return nodes;
    } finally {
      this.callStack.pop();
    }
  }

  /** A block used as a residual branch: plain layers only. */
  branchLayers(block: BlockStatement, args: readonly BlockCallArg[], callSpan: Span, implicit: Readonly<Record<string, number>>, at: At): LayerNode[] | undefined {
    const nodes = this.instantiate(block, args, callSpan, implicit, { ...at, mode: 'branch', flow: { rank: at.flow.rank } });
    return nodes as LayerNode[] | undefined;
  }
}
