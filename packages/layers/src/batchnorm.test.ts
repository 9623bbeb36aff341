import { batchnorm, graph, head, input as inputNode, flatten } from '@skipinit/graph';
import type { Tensor } from '@skipinit/tensor';
import { copy_, noGrad, tensor } from '@skipinit/tensor';
import { describe, expect, it } from 'vitest';
import { input, refEngine } from '../test/helpers';
import { BatchNorm } from './batchnorm';
import { BuildContext } from './build-context';
import { build } from './build';

// Batch norm against a direct float64 computation of PyTorch's formulas.

function channelStats(x: Float64Array, [n, c, h, w]: number[]): { mean: number[]; biased: number[]; unbiased: number[] } {
  const m = n * h * w;
  const mean: number[] = [];
  const biased: number[] = [];
  const unbiased: number[] = [];
  for (let ch = 0; ch < c; ch++) {
    let s = 0;
    for (let i = 0; i < n; i++) for (let p = 0; p < h * w; p++) s += x[(i * c + ch) * h * w + p];
    const mu = s / m;
    let v = 0;
    for (let i = 0; i < n; i++) for (let p = 0; p < h * w; p++) v += (x[(i * c + ch) * h * w + p] - mu) ** 2;
    mean.push(mu);
    biased.push(v / m);
    unbiased.push(v / (m - 1));
  }
  return { mean, biased, unbiased };
}

describe('BatchNorm', () => {
  const shape = [4, 3, 5, 5];

  it('training: normalises with batch statistics and updates running stats (momentum, unbiased var)', () => {
    const engine = refEngine();
    const bn = new BatchNorm('bn1', { kind: 'batchnorm', momentum: 0.3, eps: 1e-3, affine: true }, shape.slice(1), new BuildContext(engine, 0));
    const x = input(engine, shape);
    const xs = x.dataSync64();
    const st = channelStats(xs, shape);
    const y = bn.forward(x, { training: true, rng: engine.rng }).dataSync64();
    for (let i = 0; i < xs.length; i++) {
      const ch = Math.floor(i / 25) % 3;
      expect(y[i]).toBeCloseTo((xs[i] - st.mean[ch]) / Math.sqrt(st.biased[ch] + 1e-3), 12);
    }
    const rm = bn.runningMean.value.dataSync64();
    const rv = bn.runningVar.value.dataSync64();
    for (let ch = 0; ch < 3; ch++) {
      expect(rm[ch]).toBeCloseTo(0.3 * st.mean[ch], 14);
      expect(rv[ch]).toBeCloseTo(0.7 * 1 + 0.3 * st.unbiased[ch], 14);
    }
    // A second step compounds: running = 0.7 * running + 0.3 * batch.
    const x2 = input(engine, shape, 7);
    const st2 = channelStats(x2.dataSync64(), shape);
    bn.forward(x2, { training: true, rng: engine.rng });
    const rm2 = bn.runningMean.value.dataSync64();
    for (let ch = 0; ch < 3; ch++) expect(rm2[ch]).toBeCloseTo(0.7 * rm[ch] + 0.3 * st2.mean[ch], 14);
  });

  it('eval: uses the running statistics and the affine parameters, and updates nothing', () => {
    const engine = refEngine();
    const bn = new BatchNorm('bn1', { kind: 'batchnorm', momentum: 0.1, eps: 1e-5, affine: true }, [2], new BuildContext(engine, 0));
    const set = (t: Tensor, v: number[]) => copy_(t, tensor(v, [2], { engine }));
    set(bn.runningMean.value, [0.5, -1]);
    set(bn.runningVar.value, [4, 0.25]);
    noGrad(() => {
      set(bn.weight!.value, [2, 3]);
      set(bn.bias!.value, [0.1, -0.2]);
    });
    const x = input(engine, [3, 2]);
    const y = bn.forward(x, { training: false, rng: engine.rng }).dataSync64();
    const xs = x.dataSync64();
    const [rm, rv, w, b] = [[0.5, -1], [4, 0.25], [2, 3], [0.1, -0.2]];
    for (let i = 0; i < 6; i++) expect(y[i]).toBeCloseTo(((xs[i] - rm[i % 2]) / Math.sqrt(rv[i % 2] + 1e-5)) * w[i % 2] + b[i % 2], 13);
    expect([...bn.runningMean.value.dataSync64()]).toEqual(rm);
    expect([...bn.runningVar.value.dataSync64()]).toEqual(rv);
  });

  it('refuses one value per channel in training, naming the module and shape', () => {
    const engine = refEngine();
    const bn = new BatchNorm('stage1.block1.bn1', { kind: 'batchnorm', momentum: 0.1, eps: 1e-5, affine: true }, [4], new BuildContext(engine, 0));
    expect(() => bn.forward(input(engine, [1, 4]), { training: true, rng: engine.rng })).toThrow(
      /forward: stage1.block1.bn1 \(batchnorm\): expected more than 1 value per channel when training, got input \[1, 4\]/,
    );
  });

  it('affine=false has no parameters; running stats are buffers named as torch', () => {
    const engine = refEngine();
    const m = build(graph('g', [inputNode([2, 3, 3]), batchnorm({ affine: false }), flatten(), head(2)]), { engine });
    expect(m.parameters().map((p) => p.name)).toEqual(['head.weight', 'head.bias']);
    expect(m.buffers().map((b) => b.name)).toEqual(['bn1.running_mean', 'bn1.running_var']);
    const y = noGrad(() => m.forward(input(engine, [2, 2, 3, 3]), { training: true }));
    expect(y.shape).toEqual([2, 2]);
  });
});
