import type { ActivationName, LayerKind, NormName } from '@skipinit/graph';
import { ACTIVATION_NAMES, LAYER_KINDS, NORM_NAMES, branchNodes, convPadding, preact } from '@skipinit/graph';
import { Rng, copy_, noGrad, tensor } from '@skipinit/tensor';
import type { Tensor } from '@skipinit/tensor';
import { describe, expect, it } from 'vitest';
import { input, refEngine, sameValues } from '../test/helpers';
import { ACTIVATIONS } from './activation';
import { BuildContext } from './build-context';
import { Dropout } from './dropout';
import { LAYER_FACTORIES, NORM_LAYERS } from './layer-factory';
import { LayerNorm } from './layernorm';
import { Pool } from './pool';

// Every vocabulary name has an implementation: these are Records over the vocabulary's unions, so a
// missing entry fails `tsc -p packages/layers` (the @ts-expect-error lines below would then be unused).
// @ts-expect-error -- incomplete: every activation name needs an implementation
const _acts: Record<ActivationName, (x: Tensor) => Tensor> = { relu: ACTIVATIONS.relu };
// @ts-expect-error -- incomplete: every norm name needs a layer kind
const _norms: Record<NormName, 'batchnorm' | 'layernorm' | null> = { bn: 'batchnorm' };
// @ts-expect-error -- incomplete: every layer kind needs a factory
const _kinds: Record<LayerKind, unknown> = { conv: LAYER_FACTORIES.conv };

describe('the vocabulary is implemented', () => {
  it('every activation, norm and layer kind (and nothing else)', () => {
    expect(Object.keys(ACTIVATIONS).sort()).toEqual([...ACTIVATION_NAMES].sort());
    expect(Object.keys(NORM_LAYERS).sort()).toEqual([...NORM_NAMES].sort());
    expect(Object.keys(LAYER_FACTORIES).sort()).toEqual([...LAYER_KINDS].sort());
  });
  it("each norm name maps to the layer the graph's expansion inserts", () => {
    for (const norm of NORM_NAMES) {
      const kinds = branchNodes(preact({ width: 4, norm })).map((n) => n.kind);
      const want = NORM_LAYERS[norm];
      if (want === null) expect(kinds).not.toContain('batchnorm');
      else expect(kinds.filter((k) => k === want)).toHaveLength(2);
    }
  });
  it('activations compute their functions', () => {
    const engine = refEngine();
    const x = tensor([-2, -0.5, 0, 0.5, 2], [5], { engine });
    const ref: Record<ActivationName, (v: number) => number> = {
      relu: (v) => Math.max(v, 0),
      gelu: (v) => 0.5 * v * (1 + erf(v / Math.SQRT2)),
      tanh: Math.tanh,
      sigmoid: (v) => 1 / (1 + Math.exp(-v)),
      identity: (v) => v,
    };
    for (const name of ACTIVATION_NAMES) {
      const y = ACTIVATIONS[name](x).dataSync64();
      [-2, -0.5, 0, 0.5, 2].forEach((v, i) => expect(y[i], name).toBeCloseTo(ref[name](v), 6));
    }
  });
});

/** erf by its Taylor series (|x| <= 2 here: 60 terms are plenty). */
function erf(x: number): number {
  let term = x;
  let sum = x;
  for (let n = 1; n < 60; n++) {
    term *= (-x * x) / n;
    sum += term / (2 * n + 1);
  }
  return (2 / Math.sqrt(Math.PI)) * sum;
}

describe('LayerNorm', () => {
  it('normalises each example over C, H, W and applies a per-channel scale and shift', () => {
    const engine = refEngine();
    const ln = new LayerNorm('ln1', { kind: 'layernorm', eps: 1e-5, affine: true }, [2, 3, 3], new BuildContext(engine, 0));
    const w = [1.5, -0.5];
    const b = [0.25, 2];
    noGrad(() => {
      copy_(ln.weight!.value, tensor(w, [2], { engine }));
      copy_(ln.bias!.value, tensor(b, [2], { engine }));
    });
    const x = input(engine, [2, 2, 3, 3]);
    const xs = x.dataSync64();
    const y = ln.forward(x).dataSync64();
    for (let n = 0; n < 2; n++) {
      const v = xs.slice(n * 18, n * 18 + 18);
      const mu = v.reduce((a, c) => a + c, 0) / 18;
      const va = v.reduce((a, c) => a + (c - mu) ** 2, 0) / 18;
      for (let i = 0; i < 18; i++) {
        const ch = Math.floor(i / 9);
        expect(y[n * 18 + i]).toBeCloseTo(((v[i] - mu) / Math.sqrt(va + 1e-5)) * w[ch] + b[ch], 12);
      }
    }
  });
});

describe('Pool', () => {
  const engine = refEngine();
  const x = input(engine, [1, 2, 5, 5]);
  const xs = x.dataSync64();

  /** Direct windowed pooling with explicit (top, bottom, left, right) padding; avg counts padded zeros. */
  function direct(op: 'avg' | 'max', size: number, stride: number, [t, b, l, r]: number[]): number[] {
    const H = 5 + t + b;
    const W = 5 + l + r;
    const oh = Math.floor((H - size) / stride) + 1;
    const ow = Math.floor((W - size) / stride) + 1;
    const out: number[] = [];
    for (let c = 0; c < 2; c++)
      for (let i = 0; i < oh; i++)
        for (let j = 0; j < ow; j++) {
          let acc = op === 'max' ? -Infinity : 0;
          for (let di = 0; di < size; di++)
            for (let dj = 0; dj < size; dj++) {
              const yi = i * stride + di - t;
              const xj = j * stride + dj - l;
              const inside = yi >= 0 && yi < 5 && xj >= 0 && xj < 5;
              const v = inside ? xs[c * 25 + yi * 5 + xj] : op === 'max' ? -Infinity : 0;
              acc = op === 'max' ? Math.max(acc, v) : acc + v;
            }
          out.push(op === 'max' ? acc : acc / (size * size));
        }
    return out;
  }

  for (const op of ['avg', 'max'] as const)
    for (const [size, stride, padding] of [
      [2, 2, 'same'],
      [3, 2, 'same'],
      [2, 1, 'same'],
      [3, 1, 1],
      [3, 2, 'valid'],
      [2, 2, 1],
    ] as const) {
      it(`${op} ${size}x${size}/${stride} padding ${padding}: the graph's padding rule, padding counted as zeros (avg) or never picked (max)`, () => {
        const [t, b] = convPadding(5, size, stride, padding);
        const oh = Math.floor((5 + t + b - size) / stride) + 1;
        const pool = new Pool('pool1', { kind: 'pool', op, size, stride, padding }, [2, 5, 5], [2, oh, oh]);
        const y = pool.forward(x);
        expect(y.shape).toEqual([1, 2, oh, oh]);
        const want = direct(op, size, stride, [t, b, t, b]);
        const got = y.dataSync64();
        want.forEach((v, i) => expect(got[i]).toBeCloseTo(v, 12));
      });
    }

  it('global average pooling gives [N, C]', () => {
    const pool = new Pool('head.pool', { kind: 'pool', op: 'global' }, [2, 5, 5], [2]);
    const y = pool.forward(x).dataSync64();
    expect(y[0]).toBeCloseTo(xs.slice(0, 25).reduce((a, b) => a + b, 0) / 25, 12);
  });
});

describe('Dropout', () => {
  const engine = refEngine();
  const d = new Dropout('dropout1', { kind: 'dropout', p: 0.25 }, [1000]);
  const x = tensor(new Float32Array(4000).fill(1), [4, 1000], { engine });

  it('is the identity in evaluation', () => {
    expect(d.forward(x, { training: false, rng: new Rng(0) })).toBe(x);
  });

  it('drops about p of the elements and scales the rest by 1/(1-p), reproducibly from the stream', () => {
    const a = d.forward(x, { training: true, rng: new Rng(0).fork('dropout') }).dataSync64();
    const b = d.forward(x, { training: true, rng: new Rng(0).fork('dropout') }).dataSync64();
    const c = d.forward(x, { training: true, rng: new Rng(1).fork('dropout') }).dataSync64();
    expect(sameValues(a, b)).toBe(true);
    expect(sameValues(a, c)).toBe(false);
    const dropped = a.filter((v) => v === 0).length;
    expect(Math.abs(dropped - 1000)).toBeLessThan(5 * Math.sqrt(4000 * 0.25 * 0.75));
    expect(a.every((v) => v === 0 || Math.abs(v - 4 / 3) < 1e-6)).toBe(true);
  });
});
