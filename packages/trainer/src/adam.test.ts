// Adam, AdamW and gradient clipping against an independent oracle: a float64 plain-JS loop that follows
// PyTorch's documented algorithms (torch.optim.Adam / AdamW pseudo-code: bias-corrected m-hat and v-hat,
// AdamW's theta <- theta - lr * lambda * theta) and torch.nn.utils.clip_grad_norm_, on a least-squares
// problem whose gradient the oracle computes by hand. 100 steps with a changing learning rate, every
// parameter compared after every step, to 1e-6.
import { Engine, ReferenceBackend, Rng, tensor } from '@skipinit/tensor';
import type { Tensor } from '@skipinit/tensor';
import { describe, expect, it } from 'vitest';
import { Adam } from './adam';
import { clipGradNorm } from './clip-grad-norm';

const N = 8;
const D = 4;
const K = 3;

interface Case {
  readonly name: string;
  readonly decoupled: boolean;
  readonly weightDecay: number;
  readonly decay: 'all' | 'weights';
  readonly clip: number | null;
  readonly beta1?: number;
  readonly beta2?: number;
  readonly eps?: number;
}

const CASES: Case[] = [
  { name: 'Adam, L2 decay on all parameters', decoupled: false, weightDecay: 0.1, decay: 'all', clip: null },
  { name: 'AdamW, decoupled decay on weights only', decoupled: true, weightDecay: 0.05, decay: 'weights', clip: null },
  { name: 'Adam with clip_grad_norm 0.5 (clipping on most steps), betas 0.8/0.99, eps 1e-6', decoupled: false, weightDecay: 0, decay: 'all', clip: 0.5, beta1: 0.8, beta2: 0.99, eps: 1e-6 },
  { name: 'AdamW with clip_grad_norm 0.3', decoupled: true, weightDecay: 0.01, decay: 'all', clip: 0.3 },
];

/** The problem: X [N,D], Y [N,K], initial W [D,K], b [K]. */
function problem(seed: number) {
  const rng = new Rng(seed);
  const draw = (n: number) => Array.from({ length: n }, () => rng.normal());
  return { X: draw(N * D), Y: draw(N * K), W: draw(D * K), b: draw(K) };
}

/** Gradients of mean((X W + b - Y)^2) in float64 by hand. */
function oracleGrads(X: number[], Y: number[], W: number[], b: number[]): { gW: number[]; gb: number[] } {
  const gW = new Array<number>(D * K).fill(0);
  const gb = new Array<number>(K).fill(0);
  const scale = 2 / (N * K);
  for (let n = 0; n < N; n++) {
    for (let k = 0; k < K; k++) {
      let r = b[k] - Y[n * K + k];
      for (let d = 0; d < D; d++) r += X[n * D + d] * W[d * K + k];
      gb[k] += scale * r;
      for (let d = 0; d < D; d++) gW[d * K + k] += scale * r * X[n * D + d];
    }
  }
  return { gW, gb };
}

/** PyTorch's documented Adam / AdamW, one tensor (a flat array) at a time, with shared clipping. */
function oracleRun(c: Case, steps: number, lrAt: (t: number) => number): number[][][] {
  const { X, Y } = problem(1);
  let { W, b } = problem(1);
  W = [...W];
  b = [...b];
  const [b1, b2, eps] = [c.beta1 ?? 0.9, c.beta2 ?? 0.999, c.eps ?? 1e-8];
  const state = [W, b].map((p) => ({ m: p.map(() => 0), v: p.map(() => 0) }));
  const history: number[][][] = [];
  for (let t = 1; t <= steps; t++) {
    const { gW, gb } = oracleGrads(X, Y, W, b);
    let grads = [gW, gb];
    if (c.clip !== null) {
      const total = Math.sqrt(grads.flat().reduce((s, g) => s + g * g, 0));
      const coef = Math.min(1, c.clip / (total + 1e-6));
      grads = grads.map((g) => g.map((x) => x * coef));
    }
    const lr = lrAt(t - 1);
    [W, b].forEach((theta, i) => {
      const lambda = c.decay === 'all' || i === 0 ? c.weightDecay : 0;
      const { m, v } = state[i];
      for (let j = 0; j < theta.length; j++) {
        let g = grads[i][j];
        if (c.decoupled) theta[j] = theta[j] - lr * lambda * theta[j];
        else if (lambda !== 0) g = g + lambda * theta[j];
        m[j] = b1 * m[j] + (1 - b1) * g;
        v[j] = b2 * v[j] + (1 - b2) * g * g;
        const mHat = m[j] / (1 - b1 ** t);
        const vHat = v[j] / (1 - b2 ** t);
        theta[j] = theta[j] - (lr * mHat) / (Math.sqrt(vHat) + eps);
      }
    });
    history.push([[...W], [...b]]);
  }
  return history;
}

/** The same on the engine: the loss from tensor ops, backward, Adam (and clipGradNorm). */
async function engineRun(c: Case, steps: number, lrAt: (t: number) => number, interruptAt: number | null = null): Promise<number[][][]> {
  const engine = new Engine(new ReferenceBackend());
  const p = problem(1);
  const X = tensor(p.X, [N, D], { engine });
  const Y = tensor(p.Y, [N, K], { engine });
  const W = tensor(p.W, [D, K], { engine, requiresGrad: true });
  const b = tensor(p.b, [K], { engine, requiresGrad: true });
  const params = [
    { name: 'w', value: W, isWeight: true },
    { name: 'b', value: b, isWeight: false },
  ];
  const make = () => new Adam(params, { lr: 1, beta1: c.beta1, beta2: c.beta2, eps: c.eps, weightDecay: c.weightDecay, decay: c.decay, decoupled: c.decoupled });
  let opt = make();
  const history: number[][][] = [];
  for (let t = 0; t < steps; t++) {
    if (t === interruptAt) {
      const saved = new Map([...opt.state()].map(([k, v]) => [k, { shape: v.shape, data: v.dataSync64() }]));
      const meta = JSON.parse(JSON.stringify(opt.stateMeta()));
      opt.dispose();
      opt = make();
      opt.loadState(saved, meta);
    }
    const loss = X.matmul(W).add(b).sub(Y).square().mean();
    loss.backward();
    loss.dispose();
    const factor = c.clip !== null ? (await clipGradNorm(params, c.clip)).factor : 1;
    opt.step(lrAt(t), factor);
    opt.zeroGrad();
    history.push([Array.from(W.dataSync64()), Array.from(b.dataSync64())]);
  }
  return history;
}

const lrAt = (t: number): number => 0.05 * (1 + Math.cos((Math.PI * t) / 100)) / 2 + 0.001;

function maxDiff(a: number[][][], b: number[][][]): number {
  let worst = 0;
  a.forEach((step, s) => step.forEach((p, i) => p.forEach((x, j) => (worst = Math.max(worst, Math.abs(x - b[s][i][j]))))));
  return worst;
}

describe('Adam and AdamW against PyTorch\'s documented algorithm (float64 oracle, 100 steps)', () => {
  for (const c of CASES) {
    it(c.name, async () => {
      const want = oracleRun(c, 100, lrAt);
      const got = await engineRun(c, 100, lrAt);
      const diff = maxDiff(got, want);
      expect(diff, `largest difference ${diff}`).toBeLessThan(1e-6);
      // the parameters moved (the test can fail): by far more than the tolerance
      expect(Math.abs(want[99][0][0] - problem(1).W[0])).toBeGreaterThan(1e-2);
    });
  }

  it('clipping was active: the clipped and unclipped runs differ', () => {
    const clipped = oracleRun(CASES[2], 100, lrAt);
    const free = oracleRun({ ...CASES[2], clip: null }, 100, lrAt);
    expect(maxDiff(clipped, free)).toBeGreaterThan(1e-3);
  });

  it('state saved mid-run and loaded into a fresh optimiser continues identically (moments and step counts)', async () => {
    const c = CASES[1];
    expect(await engineRun(c, 30, lrAt, 17)).toEqual(await engineRun(c, 30, lrAt));
  });

  it('refuses state of another optimiser, or missing, extra or misshapen moments, leaving its state untouched', () => {
    const engine = new Engine(new ReferenceBackend());
    const w: Tensor = tensor([1, 2], [2], { engine, requiresGrad: true });
    const opt = new Adam([{ name: 'w', value: w, isWeight: true }], { lr: 0.1 });
    const good = { name: 'adam', steps: [3] };
    const m = { shape: [2], data: [1, 1] };
    expect(() => opt.loadState(new Map(), null)).toThrow(/no Adam step counts/);
    expect(() => opt.loadState(new Map(), { name: 'adamw', steps: [1] })).toThrow(/optimiser is "adamw", this run's 'adam'/);
    expect(() => opt.loadState(new Map([['optim.exp_avg.w', m]]), good)).toThrow(/missing state tensor 'optim.exp_avg_sq.w'/);
    expect(() => opt.loadState(new Map([['optim.exp_avg.w', m], ['optim.exp_avg_sq.w', m], ['optim.velocity.w', m]]), good)).toThrow(/unknown state tensors: optim.velocity.w/);
    expect(() => opt.loadState(new Map([['optim.exp_avg.w', m], ['optim.exp_avg_sq.w', { shape: [3], data: [1, 1, 1] }]]), good)).toThrow(/has shape \[3\]/);
    expect(Array.from(opt.state().get('optim.exp_avg.w')!.dataSync64())).toEqual([0, 0]);
    expect(opt.stateMeta()).toEqual({ name: 'adam', steps: [0] });
  });
});

describe('clipGradNorm', () => {
  it("is torch's rule: factor min(1, max / (norm + 1e-6)); no gradient counts 0", async () => {
    const engine = new Engine(new ReferenceBackend());
    const a = tensor([3, 0], [2], { engine, requiresGrad: true });
    const b = tensor([4], [1], { engine, requiresGrad: true });
    const idle = tensor([100], [1], { engine, requiresGrad: true });
    const loss = a.mul(tensor([3, 0], [2], { engine })).sum().add(b.mul(4).sum());
    loss.backward(); // grads: a [3, 0], b [4]; norm 5
    const params = [a, b, idle].map((value, i) => ({ name: `p${i}`, value, isWeight: true }));
    expect(await clipGradNorm(params, 1)).toEqual({ norm: 5, factor: 1 / (5 + 1e-6) });
    expect((await clipGradNorm(params, 10)).factor).toBe(1);
    expect(() => clipGradNorm(params, 0)).toThrow(/maxNorm must be a positive number/);
  });
});
