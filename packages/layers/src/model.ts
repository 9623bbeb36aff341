// A model built from a graph: an ordered list of units (primitive layers and residual blocks) with
// named parameters and buffers, a forward pass with per-block hooks, checkpoint state and weight export.

import type { Graph } from '@skipinit/graph';
import type { Engine, Rng, Tensor } from '@skipinit/tensor';
import { copy_, isGradEnabled, noGrad, enableGrad, tensor, tidy } from '@skipinit/tensor';
import type { AsyncBlockHook, BlockHook, BlockInfo } from './block-info';
import { LayersError, formatShape } from './errors';
import type { ForwardContext, Layer } from './layer';
import type { NamedBuffer, Parameter } from './parameter';
import { ResidualBlock } from './residual-block';
import type { ExportedWeight, ModelState } from './state';
import { checkState, stateProblems } from './state';

export type Unit = Layer | ResidualBlock;

export interface ForwardOptions {
  /** Training mode (default false): batch norm uses and updates batch statistics, dropout drops. */
  readonly training?: boolean;
  /** Called for every residual block, in order (see BlockInfo for what it sees and for how long). */
  readonly onBlock?: BlockHook;
}

export interface AsyncForwardOptions {
  readonly training?: boolean;
  /** Awaited after every residual block, before the next one runs (see AsyncBlockHook). */
  readonly onBlock?: AsyncBlockHook;
}

export interface LoadOptions {
  /** Refuse names the model does not have (default true). Missing names are always an error. */
  readonly strict?: boolean;
}

export class Model {
  readonly name: string;
  /** Residual blocks, in forward order (block.index is the position here). */
  readonly blocks: readonly ResidualBlock[];
  private readonly params: readonly Parameter[];
  private readonly bufs: readonly NamedBuffer[];
  private disposed = false;

  constructor(
    readonly graph: Graph,
    readonly engine: Engine,
    /** The seed the parameters were initialised from. */
    readonly seed: number,
    readonly units: readonly Unit[],
    /** Per-example input shape ([C, H, W] or [n]) and output shape ([classes]). */
    readonly inputShape: readonly number[],
    readonly outputShape: readonly number[],
    /** The dropout stream: every dropout draws from it in forward order (save rng.state() for exact resume). */
    public rng: Rng,
  ) {
    this.name = graph.name;
    this.blocks = units.filter((u): u is ResidualBlock => u instanceof ResidualBlock);
    this.params = units.flatMap((u) => u.parameters);
    this.bufs = units.flatMap((u) => u.buffers);
    const seen = new Set<string>();
    for (const t of [...this.params, ...this.bufs]) {
      if (seen.has(t.name)) throw new LayersError('build', `internal: two tensors are named '${t.name}'`);
      seen.add(t.name);
    }
  }

  /**
   * Logits [N, ...outputShape] of a batch x [N, ...inputShape]. Intermediate activations are disposed as
   * soon as the next layer has used them (the autograd tape keeps what backward needs), so a forward pass
   * without gradient holds about one block's activations at a time.
   */
  forward(x: Tensor, options: ForwardOptions = {}): Tensor {
    this.checkInput(x);
    const ctx: ForwardContext = { training: options.training ?? false, rng: this.rng };
    const hook = options.onBlock ?? null;
    return tidy(() => {
      let h = x;
      for (const u of this.units) {
        const y = u instanceof ResidualBlock ? u.forward(h, ctx, hook) : runLayer(u, h, ctx);
        if (h !== x && y !== h) h.dispose();
        h = y;
      }
      return h === x ? x.reshape(x.shape) : h;
    });
  }

  /**
   * forward() with a hook that may be asynchronous: after each residual block it awaits `onBlock` while
   * the block's tensors are still alive, then runs the next block. This is how per-block statistics are
   * read on a backend that reads only asynchronously (WebGPU) with the memory of one block. The grad mode
   * at the call holds for the whole pass (a caller's noGrad does not reach past an await by itself).
   */
  async forwardAsync(x: Tensor, options: AsyncForwardOptions = {}): Promise<Tensor> {
    const hook = options.onBlock;
    if (hook === undefined) return this.forward(x, options);
    this.checkInput(x);
    const ctx: ForwardContext = { training: options.training ?? false, rng: this.rng };
    const grad = isGradEnabled();
    const inMode = <T>(fn: () => T): T => (grad ? enableGrad(fn) : noGrad(fn));
    let h = x;
    try {
      for (const u of this.units) {
        let held: HeldBlock | null = null;
        const y = inMode(() => (u instanceof ResidualBlock ? u.forward(h, ctx, (info) => (held = holdBlock(info))) : runLayer(u, h, ctx)));
        const previous = h;
        h = y;
        if (held !== null) await awaitHook(hook, held, previous === x ? null : previous);
        else if (previous !== x && previous !== y) previous.dispose();
      }
    } catch (error) {
      if (h !== x) h.dispose();
      throw error;
    }
    return h === x ? inMode(() => x.reshape(x.shape)) : h;
  }

  /** Every trainable parameter, in a stable order (forward order; within a block: pre, branch, shortcut, alpha). */
  parameters(): readonly Parameter[] {
    return this.params;
  }

  /** Every buffer (batch norm's running_mean and running_var), in forward order. */
  buffers(): readonly NamedBuffer[] {
    return this.bufs;
  }

  /** Trainable values in all (equals the graph's parameter count, `inferGraph(graph).params`). */
  numParameters(): number {
    let n = 0;
    for (const p of this.params) n += p.size;
    return n;
  }

  /** Every primitive module, blocks opened (pre, branch, shortcut), in forward order. */
  modules(): readonly Layer[] {
    return this.units.flatMap((u) => (u instanceof ResidualBlock ? [...u.pre, ...u.branch, ...u.shortcut] : [u]));
  }

  /** Disposes every parameter's gradient (torch's zero_grad(set_to_none=True)). */
  zeroGrad(): void {
    for (const p of this.params) p.value.zeroGrad();
  }

  /** A copy of every parameter and buffer, by name (synchronous read; see stateAsync for async-only backends). */
  state(): ModelState {
    this.checkAlive('state');
    const out: ModelState = {};
    for (const t of [...this.params, ...this.bufs]) out[t.name] = { shape: [...t.shape], data: t.value.dataSync().slice() };
    return out;
  }

  /** state() on every backend (WebGPU reads only asynchronously). */
  async stateAsync(): Promise<ModelState> {
    this.checkAlive('state');
    const out: ModelState = {};
    for (const t of [...this.params, ...this.bufs]) out[t.name] = { shape: [...t.shape], data: (await t.value.data()).slice() };
    return out;
  }

  /**
   * Overwrites parameters and buffers with `state`'s values. Checks everything first (every name present,
   * no unknown name unless strict is false, shapes and lengths) and changes nothing when anything is wrong.
   */
  load(state: ModelState, options: LoadOptions = {}): void {
    this.checkAlive('load');
    const all = [...this.params, ...this.bufs];
    const expected = new Map(all.map((t) => [t.name, t.shape] as const));
    checkState('load', this.name, stateProblems(state, expected, options.strict ?? true));
    noGrad(() => {
      for (const t of all) {
        const e = state[t.name];
        tidy(() => {
          copy_(t.value, tensor(e.data, t.shape, { engine: this.engine }));
        });
      }
    });
  }

  /** Every parameter and buffer with its layout (conv OIHW, dense OI [units, in]) for other frameworks; see ExportedWeight. */
  exportWeights(): ExportedWeight[] {
    this.checkAlive('exportWeights');
    return [
      ...this.params.map((p) => ({ name: p.name, kind: 'parameter' as const, role: p.role, layout: p.layout, shape: [...p.shape], data: p.value.dataSync().slice() })),
      ...this.bufs.map((b) => ({ name: b.name, kind: 'buffer' as const, role: null, layout: b.layout, shape: [...b.shape], data: b.value.dataSync().slice() })),
    ];
  }

  /** Frees every parameter, gradient and buffer. The model is unusable afterwards. Idempotent. */
  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    for (const t of [...this.params, ...this.bufs]) t.value.dispose();
  }

  get isDisposed(): boolean {
    return this.disposed;
  }

  private checkAlive(op: string): void {
    if (this.disposed) throw new LayersError(op, `model '${this.name}' was disposed`);
  }

  private checkInput(x: Tensor): void {
    this.checkAlive('forward');
    const want = `[N, ${this.inputShape.join(', ')}]`;
    if (x === null || typeof x !== 'object' || typeof (x as Tensor).assertAlive !== 'function') {
      throw new LayersError('forward', `model '${this.name}' expects a Tensor ${want}, got ${String(x)}`);
    }
    x.assertAlive('forward');
    if (x.engine !== this.engine) throw new LayersError('forward', `model '${this.name}': the input belongs to another engine than the model's parameters`);
    const s = x.shape;
    if (s.length !== this.inputShape.length + 1 || this.inputShape.some((d, i) => s[i + 1] !== d)) {
      throw new LayersError('forward', `model '${this.name}' expects input ${want}, got ${formatShape(s)}`);
    }
  }
}

interface HeldBlock {
  readonly info: BlockInfo;
  /** The block's intermediates kept past its scope for the hook (disposed after it). */
  readonly kept: readonly Tensor[];
}

/** Inside the block's hook: keeps its skip and branch (its input and output outlive the block anyway). */
function holdBlock(info: BlockInfo): HeldBlock {
  const kept = [...new Set([info.skip, info.branch])].filter((t) => t !== info.input && t !== info.output);
  for (const t of kept) t.keep();
  return { info, kept };
}

/** Runs the hook, then frees what the block no longer needs: its kept intermediates and its input. */
async function awaitHook(hook: AsyncBlockHook, held: HeldBlock, input: Tensor | null): Promise<void> {
  try {
    await hook(held.info);
  } finally {
    for (const t of held.kept) t.dispose();
    if (input !== null && input !== held.info.output) input.dispose();
  }
}

/** One primitive layer in its own scope: its temporaries go, its output stays. */
function runLayer(layer: Layer, x: Tensor, ctx: ForwardContext): Tensor {
  return tidy(() => layer.forward(x, ctx));
}
