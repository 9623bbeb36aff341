import { describe, expect, it } from 'vitest';
import { Engine, ReferenceBackend, Rng, tensor } from '@skipinit/tensor';
import type { Tensor } from '@skipinit/tensor';
import { Sgd } from './sgd';

const engine = new Engine(new ReferenceBackend());

/** A leaf parameter with values `p` whose .grad is `g` (the gradient of sum(p * g)). */
function withGrad(p: number[], g: number[]): Tensor {
  const x = tensor(p, [p.length], { engine, requiresGrad: true });
  setGrad(x, g);
  return x;
}
function setGrad(x: Tensor, g: number[]): void {
  x.zeroGrad();
  const c = tensor(g, [g.length], { engine });
  const loss = x.mul(c).sum();
  loss.backward();
  loss.dispose();
  c.dispose();
}
const values = (x: Tensor): number[] => Array.from(x.dataSync64());

describe('Sgd against hand-computed updates', () => {
  it('plain SGD: p -= lr * g', () => {
    const p = withGrad([1, -2], [0.5, 0.25]);
    new Sgd([{ name: 'p', value: p, isWeight: true }], { lr: 0.1 }).step();
    expect(values(p)).toEqual([1 - 0.05, -2 - 0.025]);
  });

  it('momentum with weight decay, two steps', () => {
    // step 1: d = 0.5 + 0.1 * 1 = 0.6; v = 0.6; p = 1 - 0.1 * 0.6 = 0.94
    // step 2: d = 0.5 + 0.1 * 0.94 = 0.594; v = 0.9 * 0.6 + 0.594 = 1.134; p = 0.94 - 0.1134 = 0.8266
    const p = withGrad([1], [0.5]);
    const opt = new Sgd([{ name: 'p', value: p, isWeight: true }], { lr: 0.1, momentum: 0.9, weightDecay: 0.1 });
    opt.step();
    expect(values(p)[0]).toBeCloseTo(0.94, 14);
    opt.step();
    expect(values(p)[0]).toBeCloseTo(0.8266, 14);
    expect(values(opt.state().get('optim.velocity.p')!)[0]).toBeCloseTo(1.134, 14);
  });

  it('Nesterov momentum, two steps', () => {
    // step 1: d = 0.6; v = 0.6; p = 1 - 0.1 * (0.6 + 0.9 * 0.6) = 0.886
    // step 2: d = 0.5 + 0.0886 = 0.5886; v = 0.54 + 0.5886 = 1.1286; p = 0.886 - 0.1 * (0.5886 + 0.9 * 1.1286) = 0.725566
    const p = withGrad([1], [0.5]);
    const opt = new Sgd([{ name: 'p', value: p, isWeight: true }], { lr: 0.1, momentum: 0.9, weightDecay: 0.1, nesterov: true });
    opt.step();
    expect(values(p)[0]).toBeCloseTo(0.886, 14);
    opt.step();
    expect(values(p)[0]).toBeCloseTo(0.725566, 14);
  });

  it("decay: 'weights' spares non-weights; a parameter without a gradient is not touched", () => {
    const w = withGrad([1], [0]);
    const b = withGrad([1], [0]);
    const idle = tensor([3], [1], { engine, requiresGrad: true });
    const opt = new Sgd(
      [
        { name: 'w', value: w, isWeight: true },
        { name: 'b', value: b, isWeight: false },
        { name: 'idle', value: idle, isWeight: true },
      ],
      { lr: 0.5, weightDecay: 0.2, decay: 'weights', momentum: 0.9 },
    );
    opt.step();
    expect(values(w)).toEqual([0.9]); // 1 - 0.5 * 0.2 * 1
    expect(values(b)).toEqual([1]);
    expect(values(idle)).toEqual([3]);
    expect(values(opt.state().get('optim.velocity.idle')!)).toEqual([0]);
  });

  it('refuses nesterov without momentum, bad rates, duplicate names', () => {
    const p = withGrad([1], [1]);
    expect(() => new Sgd([{ name: 'p', value: p, isWeight: true }], { lr: 0.1, nesterov: true })).toThrow(/nesterov needs momentum > 0/);
    expect(() => new Sgd([{ name: 'p', value: p, isWeight: true }], { lr: 0 })).toThrow(/lr must be a positive number/);
    expect(() => new Sgd([{ name: 'p', value: p, isWeight: true }], { lr: 0.1, momentum: 1 })).toThrow(/momentum must be in \[0, 1\)/);
    expect(
      () =>
        new Sgd(
          [
            { name: 'p', value: p, isWeight: true },
            { name: 'p', value: p, isWeight: true },
          ],
          { lr: 0.1 },
        ),
    ).toThrow(/two parameters are named 'p'/);
  });
});

/**
 * torch.optim.SGD's algorithm, transcribed from its documentation (dampening tau, maximize = False):
 *   g_t = grad + lambda * theta
 *   if mu != 0: b_t = (t > 1) ? mu * b_{t-1} + (1 - tau) * g_t : g_t
 *               g_t = nesterov ? g_t + mu * b_t : b_t
 *   theta_t = theta_{t-1} - gamma * g_t
 */
function torchSgd(theta: number[], grads: number[][], o: { lr: number; momentum: number; wd: number; nesterov: boolean }, lrs: number[]): number[] {
  const p = [...theta];
  let buf: number[] | null = null;
  grads.forEach((grad, t) => {
    let g = grad.map((gi, i) => gi + o.wd * p[i]);
    if (o.momentum !== 0) {
      buf = buf === null ? [...g] : buf.map((b, i) => o.momentum * b + g[i]);
      const b = buf;
      g = o.nesterov ? g.map((gi, i) => gi + o.momentum * b[i]) : [...b];
    }
    for (let i = 0; i < p.length; i++) p[i] -= lrs[t] * g[i];
  });
  return p;
}

describe('Sgd against PyTorch formulas (random gradients, changing lr)', () => {
  for (const o of [
    { lr: 0.1, momentum: 0, wd: 0, nesterov: false },
    { lr: 0.05, momentum: 0.9, wd: 5e-4, nesterov: false },
    { lr: 0.05, momentum: 0.9, wd: 5e-4, nesterov: true },
    { lr: 0.3, momentum: 0.5, wd: 0.01, nesterov: true },
  ]) {
    it(`momentum ${o.momentum}, wd ${o.wd}, nesterov ${o.nesterov}`, () => {
      const rng = new Rng(42);
      const theta = Array.from({ length: 7 }, () => rng.normal());
      const grads = Array.from({ length: 12 }, () => Array.from({ length: 7 }, () => rng.normal()));
      const lrs = grads.map((_, t) => o.lr * (1 + Math.cos((Math.PI * t) / 12)) / 2);
      const p = tensor(theta, [7], { engine, requiresGrad: true });
      const opt = new Sgd([{ name: 'p', value: p, isWeight: true }], { lr: o.lr, momentum: o.momentum, weightDecay: o.wd, nesterov: o.nesterov });
      grads.forEach((g, t) => {
        setGrad(p, g);
        opt.step(lrs[t]);
      });
      const want = torchSgd(theta, grads, o, lrs);
      values(p).forEach((v, i) => expect(v).toBeCloseTo(want[i], 12));
    });
  }
});

describe('Sgd state', () => {
  it('saves and loads velocities; a resumed optimiser continues identically', () => {
    const run = (stopAt: number | null) => {
      const p = tensor([0.3, -0.7, 1.1], [3], { engine, requiresGrad: true });
      let opt = new Sgd([{ name: 'w', value: p, isWeight: true }], { lr: 0.1, momentum: 0.9, nesterov: true, weightDecay: 0.01 });
      const rng = new Rng(7);
      for (let t = 0; t < 6; t++) {
        if (t === stopAt) {
          const saved = new Map([...opt.state()].map(([k, v]) => [k, { shape: v.shape, data: v.dataSync64() }]));
          opt.dispose();
          opt = new Sgd([{ name: 'w', value: p, isWeight: true }], { lr: 0.1, momentum: 0.9, nesterov: true, weightDecay: 0.01 });
          opt.loadState(saved);
        }
        setGrad(p, [rng.normal(), rng.normal(), rng.normal()]);
        opt.step();
      }
      return values(p);
    };
    expect(run(3)).toEqual(run(null));
  });

  it('refuses missing, unknown and misshapen velocities, leaving the state untouched', () => {
    const p = tensor([1, 2], [2], { engine, requiresGrad: true });
    const opt = new Sgd([{ name: 'w', value: p, isWeight: true }], { lr: 0.1, momentum: 0.9 });
    expect(() => opt.loadState(new Map())).toThrow(/missing velocity 'optim.velocity.w'/);
    expect(() => opt.loadState(new Map([['optim.velocity.q', { shape: [2], data: [1, 1] }]]))).toThrow(/unknown velocities: optim.velocity.q/);
    expect(() => opt.loadState(new Map([['optim.velocity.w', { shape: [3], data: [1, 1, 1] }]]))).toThrow(/has shape \[3\], the parameter \[2\]/);
    expect(values(opt.state().get('optim.velocity.w')!)).toEqual([0, 0]);
  });

  it('allocates nothing parameter-sized per step (live tensors and buffers are flat)', () => {
    const p = tensor(new Float64Array(1000).fill(1), [1000], { engine, requiresGrad: true });
    const opt = new Sgd([{ name: 'w', value: p, isWeight: true }], { lr: 0.1, momentum: 0.9 });
    const g = new Array(1000).fill(0.01);
    setGrad(p, g);
    opt.step();
    const before = engine.memory();
    for (let i = 0; i < 5; i++) opt.step();
    const after = engine.memory();
    expect(after.numTensors).toBe(before.numTensors);
    expect(after.numDataBuffers).toBe(before.numDataBuffers);
    expect(after.backend.numDataIds).toBe(before.backend.numDataIds);
  });
});
