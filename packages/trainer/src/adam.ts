// Adam and AdamW with PyTorch's update rules (torch.optim.Adam / AdamW, amsgrad off, as documented):
//
//   t += 1;  g = grad (times the clipping factor)
//   Adam:   g = g + wd * p                      (L2 decay through the gradient)
//   AdamW:  p = p * (1 - lr * wd)               (decoupled decay, before the update)
//   m = b1 * m + (1 - b1) * g                   (first moment)
//   v = b2 * v + (1 - b2) * g * g               (second moment)
//   p = p - (lr / (1 - b1^t)) * m / (sqrt(v) / sqrt(1 - b2^t) + eps)
//
// Composed from the tensor package's ops under noGrad, and written back in place with copy_ (the backend's
// `assign`), one parameter at a time inside its own tidy so a step holds at most one parameter's
// temporaries. A fused kernel (one pass, as Sgd's sgdUpdate_) can replace the composition later; the
// composition's results are the oracle it must match. Step counts are per parameter, as torch keeps them:
// a parameter without a gradient this step is skipped and its count stays.
import { TensorError, copy_, noGrad, tidy, zeros } from '@skipinit/tensor';
import type { Tensor } from '@skipinit/tensor';
import { assignValues } from './assign';
import type { HostValues } from './assign';
import type { Optimizer } from './optimizer';
import type { OptimParam } from './sgd';

export interface AdamOptions {
  readonly lr: number;
  readonly beta1?: number;
  readonly beta2?: number;
  readonly eps?: number;
  readonly weightDecay?: number;
  /** 'all' (torch's default) or 'weights' (conv/dense kernels only). */
  readonly decay?: 'all' | 'weights';
  /** AdamW: decoupled weight decay. Default false (Adam). */
  readonly decoupled?: boolean;
}

export const EXP_AVG_PREFIX = 'optim.exp_avg.';
export const EXP_AVG_SQ_PREFIX = 'optim.exp_avg_sq.';

export class Adam implements Optimizer {
  readonly name: 'adam' | 'adamw';
  readonly lr: number;
  readonly beta1: number;
  readonly beta2: number;
  readonly eps: number;
  readonly weightDecay: number;
  readonly decay: 'all' | 'weights';
  readonly parameters: readonly OptimParam[];
  private readonly m: Tensor[];
  private readonly v: Tensor[];
  private readonly steps: number[];
  private disposed = false;

  constructor(params: readonly OptimParam[], o: AdamOptions) {
    const bad = (msg: string): never => {
      throw new RangeError(`${o.decoupled ? 'AdamW' : 'Adam'}: ${msg}`);
    };
    this.name = o.decoupled ? 'adamw' : 'adam';
    this.lr = o.lr;
    this.beta1 = o.beta1 ?? 0.9;
    this.beta2 = o.beta2 ?? 0.999;
    this.eps = o.eps ?? 1e-8;
    this.weightDecay = o.weightDecay ?? (o.decoupled ? 0.01 : 0);
    this.decay = o.decay ?? 'all';
    if (!(Number.isFinite(this.lr) && this.lr > 0)) bad(`lr must be a positive number, got ${this.lr}`);
    for (const [k, b] of [['beta1', this.beta1], ['beta2', this.beta2]] as const) if (!(b >= 0 && b < 1)) bad(`${k} must be in [0, 1), got ${b}`);
    if (!(this.eps > 0)) bad(`eps must be > 0, got ${this.eps}`);
    if (!(Number.isFinite(this.weightDecay) && this.weightDecay >= 0)) bad(`weightDecay must be >= 0, got ${this.weightDecay}`);
    const seen = new Set<string>();
    for (const p of params) {
      if (seen.has(p.name)) bad(`two parameters are named '${p.name}'`);
      seen.add(p.name);
      if (!p.value.requiresGrad) bad(`parameter '${p.name}' does not require grad`);
    }
    this.parameters = [...params];
    this.m = this.parameters.map((p) => zeros(p.value.shape, { engine: p.value.engine }).keep());
    this.v = this.parameters.map((p) => zeros(p.value.shape, { engine: p.value.engine }).keep());
    this.steps = this.parameters.map(() => 0);
  }

  /** The weight decay a parameter gets. */
  decayOf(p: OptimParam): number {
    return this.decay === 'all' || p.isWeight ? this.weightDecay : 0;
  }

  step(lr: number = this.lr, gradScale = 1): void {
    this.assertAlive();
    if (!Number.isFinite(lr) || lr < 0) throw new RangeError(`${this.name}.step: lr must be a finite number >= 0, got ${lr}`);
    if (!(Number.isFinite(gradScale) && gradScale >= 0)) throw new RangeError(`${this.name}.step: gradScale must be a finite number >= 0, got ${gradScale}`);
    noGrad(() => {
      for (let i = 0; i < this.parameters.length; i++) {
        const grad = this.parameters[i].value.grad;
        if (grad !== null) tidy(() => this.update(i, grad, lr, gradScale));
      }
    });
  }

  private update(i: number, grad: Tensor, lr: number, gradScale: number): void {
    const p = this.parameters[i].value;
    const m = this.m[i];
    const v = this.v[i];
    const wd = this.decayOf(this.parameters[i]);
    const t = ++this.steps[i];
    let g = gradScale === 1 ? grad : grad.mul(gradScale);
    if (wd !== 0 && this.name === 'adam') g = g.add(p.mul(wd));
    if (wd !== 0 && this.name === 'adamw') copy_(p, p.mul(1 - lr * wd));
    copy_(m, m.mul(this.beta1).add(g.mul(1 - this.beta1)));
    copy_(v, v.mul(this.beta2).add(g.square().mul(1 - this.beta2)));
    const stepSize = lr / (1 - this.beta1 ** t);
    const denom = v.sqrt().div(Math.sqrt(1 - this.beta2 ** t)).add(this.eps);
    copy_(p, p.sub(m.div(denom).mul(stepSize)));
  }

  zeroGrad(): void {
    for (const p of this.parameters) p.value.zeroGrad();
  }

  /** The moments by checkpoint name (torch's state names: exp_avg, exp_avg_sq). */
  state(): Map<string, Tensor> {
    this.assertAlive();
    const out = new Map<string, Tensor>();
    this.parameters.forEach((p, i) => {
      out.set(EXP_AVG_PREFIX + p.name, this.m[i]);
      out.set(EXP_AVG_SQ_PREFIX + p.name, this.v[i]);
    });
    return out;
  }

  /** The per-parameter step counts, in parameter order. */
  stateMeta(): { name: string; steps: number[] } {
    return { name: this.name, steps: [...this.steps] };
  }

  loadState(entries: ReadonlyMap<string, HostValues>, meta: unknown): void {
    this.assertAlive();
    const fail = (msg: string): never => {
      throw new TensorError(`${this.name}.loadState`, msg);
    };
    const saved = meta as { name?: unknown; steps?: unknown } | null;
    if (saved === null || typeof saved !== 'object') return fail('the checkpoint holds no Adam step counts (it was written by another optimiser)');
    if (saved.name !== this.name) fail(`the checkpoint's optimiser is ${JSON.stringify(saved.name)}, this run's '${this.name}'`);
    const steps = saved.steps;
    if (!Array.isArray(steps) || steps.length !== this.parameters.length || !steps.every((s) => Number.isSafeInteger(s) && s >= 0)) {
      fail(`step counts: expected ${this.parameters.length} whole numbers`);
    }
    const targets = new Map<string, Tensor>(this.state());
    const extra = [...entries.keys()].filter((k) => !targets.has(k));
    if (extra.length > 0) fail(`unknown state tensors: ${extra.slice(0, 5).join(', ')}`);
    for (const [key, target] of targets) {
      const e = entries.get(key);
      if (e === undefined) fail(`missing state tensor '${key}'`);
      if (e!.shape.length !== target.shape.length || e!.shape.some((d, j) => d !== target.shape[j])) fail(`'${key}' has shape [${e!.shape.join(', ')}], the parameter [${target.shape.join(', ')}]`);
    }
    // Every entry checked before the first is written: a refused state leaves the optimiser untouched.
    for (const [key, target] of targets) assignValues(target, entries.get(key)!, `${this.name}.loadState '${key}'`);
    (steps as number[]).forEach((s, i) => (this.steps[i] = s));
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    for (const t of [...this.m, ...this.v]) t.dispose();
  }

  private assertAlive(): void {
    if (this.disposed) throw new Error(`${this.name}: used after dispose()`);
  }
}
