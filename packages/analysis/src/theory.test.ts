import type { BlockRun, Graph } from '@skipinit/graph';
import { dense, graph, head, input, resblock, custom, relu, activation } from '@skipinit/graph';
import { describe, expect, test } from 'vitest';
import { convnet, mlp } from '../test/nets';
import { blockPlanOf } from './block-plan';
import { theoryCurve } from './prediction';
import { withScheme } from './schemes';
import { blockLaw, describeLaw, describeNfLaw, insideFraction, layerLaw, weightFactor } from './theory';

const firstRun = (g: Graph): BlockRun => blockPlanOf(g).segments[0].run;
const law = (g: Graph, mode: 'train' | 'eval' = 'train') => {
  const l = blockLaw(firstRun(g), mode);
  if (!l.ok) throw new Error(l.reason);
  return l.law;
};

describe('the theory of one block (second moment q_out = a q_in + b)', () => {
  test.each([
    ['plain', 2, 0, 'q_{l+1} = 2 q_l'],
    ['bn', 1, 1, 'q_{l+1} = q_l + 1'],
    ['ln', 1, 1, 'q_{l+1} = q_l + 1'],
    ['skipinit', 1, 0, 'q_{l+1} = q_l (exactly the identity)'],
    ['fixup', 1, 0, 'q_{l+1} = q_l (exactly the identity)'],
  ] as const)('%s (pre-activation relu mlp branch, He weights)', (scheme, a, b, text) => {
    const l = law(withScheme(mlp(10), scheme)).out;
    expect(l.a).toBeCloseTo(a, 12);
    expect(l.b).toBeCloseTo(b, 12);
    expect(describeLaw(l)).toBe(text);
  });

  test('scaled: alpha = 1/sqrt(d), q_{l+1} = (1 + 1/d) q_l, so (1 + 1/d)^d < e over the network', () => {
    const l = law(withScheme(mlp(50), 'scaled'));
    expect(l.alpha).toBeCloseTo(1 / Math.sqrt(50), 12);
    expect(l.out.a).toBeCloseTo(1 + 1 / 50, 12);
    expect(Math.pow(l.out.a, 50)).toBeLessThan(Math.E);
  });

  test('eval mode: batch norm at init passes its input (running variance 1), so bn grows like plain', () => {
    const l = law(withScheme(mlp(10), 'bn'), 'eval').out;
    expect(l.a).toBeCloseTo(1 + 1 / (1 + 1e-5) ** 2, 12);
    expect(l.b).toBe(0);
  });

  test('a projection block with batch norm resets the stream: q_out = 1 + rho whatever q_in', () => {
    const plan = blockPlanOf(withScheme(convnet(2), 'bn'));
    const projecting = plan.segments.find((s) => s.run.shortcut.length > 0)!;
    expect(projecting.chainStart).toBe(false);
    const l = blockLaw(projecting.run, 'train');
    // skip: bn -> relu -> 1x1 He projection = 1; branch: the second bn resets, then the 3x3 conv on 4x4
    // sees (10/12) of its taps per axis on average (zero padding)
    expect(l.ok && l.law.out.a).toBe(0);
    expect(l.ok && l.law.out.b).toBeCloseTo(1 + (10 / 12) ** 2, 12);
  });

  test('zero padding: the average fraction of a conv window inside the image', () => {
    expect(insideFraction(32, 32, 3, 1, 'same')).toBeCloseTo((94 / 96) ** 2, 12);
    expect(insideFraction(8, 8, 3, 1, 'same')).toBeCloseTo((22 / 24) ** 2, 12);
    expect(insideFraction(8, 8, 1, 2, 0)).toBe(1);
    expect(insideFraction(8, 8, 3, 1, 'valid')).toBe(1);
    expect(insideFraction(8, 8, 3, 2, 'same')).toBeCloseTo((11 / 12) ** 2, 12); // pads one pixel, at the end
  });

  test('weight factors: fan_in Var(w) of each initialiser', () => {
    expect(weightFactor('he', 64, 64, 64)).toBe(2);
    expect(weightFactor('lecun', 64, 64, 64)).toBe(1);
    expect(weightFactor('xavier', 64, 192, 64)).toBe(0.5);
    expect(weightFactor('orthogonal', 64, 64, 128)).toBe(0.5);
    expect(weightFactor('zeros', 8, 8, 8)).toBe(0);
    expect(weightFactor('nope', 8, 8, 8)).toBeNull();
  });

  test('an activation without a closed form: not applicable, and the reason says which', () => {
    const g = graph('t', [input([8]), resblock({ branch: custom('b', [activation('tanh'), dense(8)]), count: 3, init: 'plain' }), head(2)]);
    const curve = theoryCurve(blockPlanOf(g), { mode: 'train', anchor: () => 1 });
    expect(curve.applies).toBe(false);
    expect(curve.reason).toBe('block 0: no closed form for the second moment through tanh');
    expect(curve.blocks.every((b) => b === null)).toBe(true);
  });
});

describe('NF-ResNet blocks (Scaled WS, x / beta)', () => {
  test('a Scaled WS layer after relu passes q -> gamma^2 (1 - 1/pi) q = 2 q (relu gamma), like He; fed by a zero-mean input, gamma^2 q', () => {
    const run = firstRun(withScheme(mlp(10), 'nf'));
    const ws = run.branch.find((r) => r.node.kind === 'dense')!;
    const l = layerLaw(ws, 'train', { kind: 'activation', fn: 'relu' });
    expect(l.ok && l.map.a).toBeCloseTo(2, 12);
    const z = layerLaw(ws, 'train', null);
    expect(z.ok && z.map.a).toBeCloseTo(2 / (1 - 1 / Math.PI), 12);
    const tanh = layerLaw(ws, 'train', { kind: 'activation', fn: 'tanh' });
    expect(tanh).toEqual({ ok: false, reason: 'no closed form for the mean of tanh feeding a Scaled WS layer' });
  });

  test('block l of a chain: q_{l+1} = q_l + alpha^2 q_l / beta_l^2 (the skip path is x itself, the branch reads x / beta)', () => {
    const run = firstRun(withScheme(mlp(10), 'nf'));
    for (const rep of [0, 3, 9]) {
      const b2 = 1 + rep * 0.04;
      const l = blockLaw(run, 'train', rep);
      if (!l.ok) throw new Error(l.reason);
      expect(l.law.skip).toEqual({ a: 1, b: 0 });
      expect(l.law.out.a).toBeCloseTo(1 + 0.04 / b2, 12);
      expect(l.law.alpha).toBe(0.2);
    }
    const at1 = blockLaw(run, 'train', 0, 1);
    expect(at1.ok && describeNfLaw(at1.law, false)).toBe('q_{l+1} = q_l + 0.04 q_l / beta_l^2 (NF)');
  });

  test('a transition: q_{l+1} = (rho_skip + alpha^2 rho_branch) q_l / beta_l^2 (both paths read relu(x / beta))', () => {
    const plan = blockPlanOf(withScheme(convnet(2), 'nf'));
    const t = plan.segments.find((s) => s.run.shortcut.length > 0)!;
    const l = blockLaw(t.run, 'train', 0, 1);
    if (!l.ok) throw new Error(l.reason);
    // 1x1 projection: rho 1; the branch: a 3x3 stride-2 conv on 8x8 (11/12 per axis) then a 3x3 on 4x4 (10/12)
    const rho = (11 / 12) ** 2 * (10 / 12) ** 2;
    expect(l.law.out.a).toBeCloseTo(1 + 0.04 * rho, 12);
    expect(describeNfLaw(l.law, true)).toMatch(/^q_\{l\+1\} = 1\.0\d+ q_l \/ beta_l\^2 \(NF transition\)$/);
  });
});

describe('the theory over a network', () => {
  test('plain, 1000 blocks: q_l = 2^l q_0, values pass float32 near block 250', () => {
    const curve = theoryCurve(blockPlanOf(withScheme(mlp(1000, { width: 128 }), 'plain')), { mode: 'train', anchor: () => 1, batch: 64 });
    expect(curve.laws).toEqual([{ from: 0, to: 999, law: 'q_{l+1} = 2 q_l' }]);
    expect(curve.blocks[9]!.output).toBe(2 ** 10);
    // block i (0-based) outputs q = 2^(i+1): sqrt(2^(i+1)) * sqrt(2 ln(64 * 128)) > 3.4e38  <=>  i + 1 > 2 log2(3.4e38 / 4.246) = 251.2
    expect(curve.overflowBlock).toBe(251);
  });

  test('chains restart from their anchor after a layer that is not a residual block', () => {
    const g = graph('two-chains', [
      input([8]),
      resblock({ branch: custom('b', [relu(), dense(8)]), count: 2, init: 'plain' }),
      dense(8),
      resblock({ branch: custom('b', [relu(), dense(8)]), count: 2, init: 'plain' }),
      head(2),
    ]);
    const plan = blockPlanOf(g);
    expect(plan.segments.map((s) => [s.first, s.reps, s.chainStart])).toEqual([
      [0, 2, true],
      [2, 2, true],
    ]);
    const curve = theoryCurve(plan, { mode: 'train', anchor: (i) => (i === 0 ? 1 : 10) });
    expect(curve.blocks.map((b) => b!.output)).toEqual([2, 4, 20, 40]);
  });
});
