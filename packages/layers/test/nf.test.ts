// NF-ResNet blocks (Brock, De & Smith 2021) as built: the block divides its input by beta_l, its identity
// shortcut carries x itself, its weights are Scaled-WS with a learnable gain, and a transition's projection
// reads relu(x / beta). Checked against the same arithmetic on the host, in float64.
import { NF_ALPHA, WS_GAMMA, conv, graph, head, inferGraph, input as inputNode, preact, resblock, stage } from '@skipinit/graph';
import { Rng, noGrad } from '@skipinit/tensor';
import { describe, expect, it } from 'vitest';
import { build } from '../src';
import { input, refEngine, relError } from './helpers';

/** gain * gamma * (w - mean) / sqrt(N var + 1e-4) per row of a [rows, N] weight. */
function standardise(w: Float64Array, rows: number, gamma: number): Float64Array {
  const n = w.length / rows;
  const out = new Float64Array(w.length);
  for (let r = 0; r < rows; r++) {
    const row = w.subarray(r * n, (r + 1) * n);
    const m = row.reduce((a, v) => a + v, 0) / n;
    const v = row.reduce((a, x) => a + (x - m) ** 2, 0) / n;
    for (let j = 0; j < n; j++) out[r * n + j] = (gamma * (row[j] - m)) / Math.sqrt(n * v + 1e-4);
  }
  return out;
}

/** y = x W^T for x [batch, in], W [units, in]. */
function matmulT(x: Float64Array, w: Float64Array, batch: number, units: number): Float64Array {
  const inn = x.length / batch;
  const y = new Float64Array(batch * units);
  for (let b = 0; b < batch; b++) for (let u = 0; u < units; u++) for (let j = 0; j < inn; j++) y[b * units + u] += x[b * inn + j] * w[u * inn + j];
  return y;
}

describe('NF-ResNet blocks, built', () => {
  it('x_{l+1} = x_l + 0.2 * W2^ relu(W1^ relu(x_l / beta_l)), beta_l^2 = 1 + 0.04 l, W^ Scaled-WS with relu gamma', () => {
    const engine = refEngine();
    const g = graph('nf', [inputNode([6]), resblock({ count: 3, branch: preact({ kind: 'mlp', width: 6, norm: 'none' }), init: 'nf' }), head(2)]);
    const m = build(g, { engine, seed: 4 });
    expect(m.blocks.map((b) => b.beta)).toEqual([1, Math.sqrt(1.04), Math.sqrt(1.08)]);
    expect(m.blocks.every((b) => b.fixedAlpha === NF_ALPHA && b.alpha === null)).toBe(true);
    expect(m.parameters().map((p) => `${p.name} ${p.role}`).slice(0, 4)).toEqual(['block1.dense1.weight weight', 'block1.dense1.gain norm', 'block1.dense2.weight weight', 'block1.dense2.gain norm']);
    const x = input(engine, [4, 6], 3);
    const outputs: Float64Array[] = [];
    noGrad(() => m.forward(x, { training: true, onBlock: (b) => void outputs.push(b.output.dataSync64().slice()) }).dispose());
    let h = x.dataSync64().slice();
    m.blocks.forEach((b, l) => {
      const w = b.branch.filter((u) => u.kind === 'dense').map((u) => standardise(u.parameters[0].value.dataSync64(), 6, WS_GAMMA.relu));
      const relu = (v: Float64Array) => v.map((a) => Math.max(a, 0));
      const f = matmulT(relu(matmulT(relu(h.map((v) => v / b.beta!)), w[0], 4, 6)), w[1], 4, 6);
      h = h.map((v, i) => v + NF_ALPHA * f[i]);
      expect(relError(outputs[l], h), `block ${l}`).toBeLessThan(1e-12);
    });
    m.dispose();
  });

  it('a transition block: skip = WS 1x1 projection of relu(x / beta), the stream variance restarts near 1 + alpha^2', () => {
    const engine = refEngine();
    const g = graph('nf', [
      inputNode([4, 8, 8]),
      stage({ width: 4, blocks: 3, block: { init: 'nf', branch: { norm: 'none', bias: true } } }),
      stage({ width: 8, blocks: 1, stride: 2, block: { init: 'nf', branch: { norm: 'none', bias: true } } }),
      head(2),
    ]);
    expect(inferGraph(g).ok).toBe(true);
    const m = build(g, { engine, seed: 1 });
    const t = m.blocks[3];
    expect(t.beta).toBeCloseTo(Math.sqrt(1 + 3 * 0.04), 12);
    expect(t.shortcut[0].parameters.map((p) => p.name)).toEqual(['stage2.block1.shortcut.weight', 'stage2.block1.shortcut.bias', 'stage2.block1.shortcut.gain']);
    const x = input(engine, [2, 4, 8, 8], 2);
    noGrad(() =>
      m
        .forward(x, {
          training: true,
          onBlock: (b) => {
            if (b.index !== 3) {
              expect(b.skip).toBe(b.input); // identity shortcuts carry x itself
              return;
            }
            const ctx = { training: true, rng: new Rng(0) };
            const want = t.shortcut[0].forward(t.pre[0].forward(b.input.mul(1 / t.beta!), ctx), ctx);
            expect(relError(b.skip.dataSync64(), want.dataSync64())).toBeLessThan(1e-12);
          },
        })
        .dispose(),
    );
    m.dispose();
  });

  it('a conv with ws: the raw weight scale (the node gain) does not matter', () => {
    const engine = refEngine();
    const g = graph('ws', [inputNode([3, 5, 5]), conv(4, { ws: { gamma: 2, eps: 1e-4 } }), head(2)]);
    const a = build(g, { engine, seed: 1 });
    const b = build({ ...g, nodes: g.nodes.map((n) => (n.kind === 'conv' ? { ...n, gain: 7 } : n)) }, { engine, seed: 1 });
    const x = input(engine, [2, 3, 5, 5], 8);
    const ya = noGrad(() => a.forward(x)).dataSync64();
    const yb = noGrad(() => b.forward(x)).dataSync64();
    expect(relError(ya, yb)).toBeLessThan(1e-4); // only eps sees the scale: 1e-4 against N var = 2 (He) gives 2.5e-5
    a.dispose();
    b.dispose();
  });
});
