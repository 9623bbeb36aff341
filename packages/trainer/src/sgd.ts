// SGD with momentum, Nesterov momentum and L2 weight decay, in PyTorch's formulation (torch.optim.SGD,
// dampening 0), one in-place backend kernel per parameter:
//
//   g = grad + wd * p                 (wd = weightDecay, or 0 for a parameter that does not decay)
//   v = momentum * v + g              (the velocity; starts at 0, so the first step sets v = g, as torch)
//   p = p - lr * (nesterov ? g + momentum * v : v)
//
// Velocities are allocated once, at construction, and updated in place with the parameters
// (`sgdUpdate_`): a step allocates no parameter-sized buffer. A parameter without a gradient this step
// (`.grad === null`) is skipped entirely, as torch does (no decay, no momentum update). With momentum 0 the
// velocity only carries the step's gradient, so there is no state to checkpoint.

import { TensorError, noGrad, sgdUpdate_, tidy, zeros } from '@skipinit/tensor';
import type { Tensor } from '@skipinit/tensor';
import { assignValues, type HostValues } from './assign';
import type { Optimizer } from './optimizer';

/** One parameter as the optimiser sees it. */
export interface OptimParam {
  /** Stable name (the checkpoint key of its velocity is `optim.velocity.<name>`). */
  readonly name: string;
  /** The leaf tensor (requiresGrad); its `.grad` is read at each step. */
  readonly value: Tensor;
  /** Whether weight decay applies to it (see SgdOptions.decay). */
  readonly isWeight: boolean;
}

export interface SgdOptions {
  /** Base learning rate; `step(lr)` may pass the schedule's rate instead. */
  readonly lr: number;
  readonly momentum?: number;
  readonly nesterov?: boolean;
  readonly weightDecay?: number;
  /** 'all' (torch's default) decays every parameter; 'weights' only conv/dense kernels (isWeight). */
  readonly decay?: 'all' | 'weights';
}

export const VELOCITY_PREFIX = 'optim.velocity.';

export class Sgd implements Optimizer {
  readonly name = 'sgd' as const;
  readonly lr: number;
  readonly momentum: number;
  readonly nesterov: boolean;
  readonly weightDecay: number;
  readonly decay: 'all' | 'weights';
  private readonly params: readonly OptimParam[];
  private readonly velocities: Tensor[];
  private disposed = false;

  constructor(params: readonly OptimParam[], options: SgdOptions) {
    const momentum = options.momentum ?? 0;
    const weightDecay = options.weightDecay ?? 0;
    const nesterov = options.nesterov ?? false;
    const decay = options.decay ?? 'all';
    const bad = (msg: string): never => {
      throw new RangeError(`Sgd: ${msg}`);
    };
    if (!(Number.isFinite(options.lr) && options.lr > 0)) bad(`lr must be a positive number, got ${options.lr}`);
    if (!(Number.isFinite(momentum) && momentum >= 0 && momentum < 1)) bad(`momentum must be in [0, 1), got ${momentum}`);
    if (!(Number.isFinite(weightDecay) && weightDecay >= 0)) bad(`weightDecay must be >= 0, got ${weightDecay}`);
    if (nesterov && momentum === 0) bad('nesterov needs momentum > 0 (torch refuses it too)');
    if (decay !== 'all' && decay !== 'weights') bad(`decay must be 'all' or 'weights', got ${JSON.stringify(decay)}`);
    const seen = new Set<string>();
    for (const p of params) {
      if (seen.has(p.name)) bad(`two parameters are named '${p.name}'`);
      seen.add(p.name);
      if (!p.value.requiresGrad) bad(`parameter '${p.name}' does not require grad`);
    }
    this.lr = options.lr;
    this.momentum = momentum;
    this.nesterov = nesterov;
    this.weightDecay = weightDecay;
    this.decay = decay;
    this.params = [...params];
    this.velocities = this.params.map((p) => zeros(p.value.shape, { engine: p.value.engine }).keep());
  }

  /** The parameters, in the order given. */
  get parameters(): readonly OptimParam[] {
    return this.params;
  }

  /** The weight decay a parameter gets. */
  decayOf(p: OptimParam): number {
    return this.decay === 'all' || p.isWeight ? this.weightDecay : 0;
  }

  /**
   * One update of every parameter that has a gradient, at learning rate `lr` (default: the base lr), with
   * the gradients scaled by `gradScale` (clipping's factor; a scaled copy, the gradient is not modified).
   */
  step(lr: number = this.lr, gradScale = 1): void {
    this.assertAlive();
    if (!Number.isFinite(lr) || lr < 0) throw new RangeError(`Sgd.step: lr must be a finite number >= 0, got ${lr}`);
    if (!(Number.isFinite(gradScale) && gradScale >= 0)) throw new RangeError(`Sgd.step: gradScale must be a finite number >= 0, got ${gradScale}`);
    for (let i = 0; i < this.params.length; i++) {
      const p = this.params[i];
      const g = p.value.grad;
      if (g === null) continue;
      const update = (grad: Tensor): void =>
        sgdUpdate_(p.value, grad, this.velocities[i], { lr, momentum: this.momentum, weightDecay: this.decayOf(p), nesterov: this.nesterov });
      if (gradScale === 1) update(g);
      else noGrad(() => tidy(() => update(g.mul(gradScale))));
    }
  }

  /** Frees every parameter's gradient (torch's zero_grad(set_to_none=True)). */
  zeroGrad(): void {
    for (const p of this.params) p.value.zeroGrad();
  }

  /** The velocity tensors by checkpoint name (`optim.velocity.<param>`), owned by the optimiser; none with momentum 0. */
  state(): Map<string, Tensor> {
    this.assertAlive();
    const out = new Map<string, Tensor>();
    if (this.momentum > 0) this.params.forEach((p, i) => out.set(VELOCITY_PREFIX + p.name, this.velocities[i]));
    return out;
  }

  /** SGD's state is its velocities alone. */
  stateMeta(): null {
    return null;
  }

  /**
   * Overwrites the velocities from checkpoint values (`optim.velocity.<param>` -> values). Every
   * parameter's velocity must be present with its shape; an extra velocity is an error too.
   */
  loadState(entries: ReadonlyMap<string, HostValues>): void {
    this.assertAlive();
    if (this.momentum === 0) {
      if (entries.size > 0) throw new TensorError('Sgd.loadState', `holds ${[...entries.keys()][0].startsWith(VELOCITY_PREFIX) ? 'momentum buffers' : 'another optimiser\'s state'} but this SGD has momentum 0`);
      return;
    }
    const expected = new Set(this.params.map((p) => VELOCITY_PREFIX + p.name));
    const extra = [...entries.keys()].filter((k) => !expected.has(k));
    if (extra.length > 0) throw new TensorError('Sgd.loadState', `unknown velocities: ${extra.slice(0, 5).join(', ')}${extra.length > 5 ? ', ...' : ''}`);
    const sources = this.params.map((p, i) => {
      const key = VELOCITY_PREFIX + p.name;
      const entry = entries.get(key);
      if (entry === undefined) throw new TensorError('Sgd.loadState', `missing velocity '${key}'`);
      const want = this.velocities[i].shape;
      if (entry.shape.length !== want.length || entry.shape.some((d, j) => d !== want[j])) {
        throw new TensorError('Sgd.loadState', `'${key}' has shape [${entry.shape.join(', ')}], the parameter [${want.join(', ')}]`);
      }
      return entry;
    });
    // Every entry checked before the first is written: a refused state leaves the velocities untouched.
    sources.forEach((entry, i) => assignValues(this.velocities[i], entry, `Sgd.loadState '${VELOCITY_PREFIX + this.params[i].name}'`));
  }

  /** Frees the velocities. */
  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    for (const v of this.velocities) v.dispose();
  }

  private assertAlive(): void {
    if (this.disposed) throw new Error('Sgd: used after dispose()');
  }
}
