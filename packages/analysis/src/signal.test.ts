// The paper's laws at small size (claims P1-P3 of docs/reproduction.md), measured on the float64 reference backend with fixed
// seeds: depth 50, width 64, batch 32.
import { AsyncReferenceBackend, Engine, ReferenceBackend, tensor } from '@skipinit/tensor';
import { describe, expect, test } from 'vitest';
import { convnet, mlp } from '../test/nets';
import { withScheme } from './schemes';
import { signalPropagation } from './signal';
import { summarizeSignal } from './signal-summary';

const engine = new Engine(new ReferenceBackend());
const DEPTH = 50;
const run = (scheme: Parameters<typeof withScheme>[1], opts: { depth?: number; width?: number; batch?: number; mode?: 'train' | 'eval' } = {}) =>
  signalPropagation(withScheme(mlp(opts.depth ?? DEPTH, { width: opts.width ?? 64 }), scheme), { engine, batch: opts.batch ?? 32, seed: 0, scheme, mode: opts.mode ?? 'train' });

describe('signal propagation at initialisation (the laws, depth 50)', () => {
  test('plain: ln Var(x_l) grows about ln 2 per block (P1), as the theory says', async () => {
    const s = summarizeSignal(await run('plain'));
    expect(s.logSlope!).toBeGreaterThan(Math.LN2 - 0.1);
    expect(s.logSlope!).toBeLessThan(Math.LN2 + 0.1);
    expect(s.theoryLogSlope!).toBeCloseTo(Math.LN2, 10);
    expect(s.overflowBlock).toBeNull();
  });

  test('bn: Var(x_l) grows about linearly, and ratio x sqrt(l) stays in a band (P2)', async () => {
    const r = await run('bn');
    const s = summarizeSignal(r, { from: 5 });
    expect(s.varianceOverDepth!.min).toBeGreaterThan(0.5);
    expect(s.varianceOverDepth!.max).toBeLessThan(1.5);
    expect(s.ratioTimesSqrtDepth!.min).toBeGreaterThan(0.7);
    expect(s.ratioTimesSqrtDepth!.max).toBeLessThan(1.4);
    // the measured second moment follows the theory's q_0 + l within 25% at every block
    for (const b of r.records) expect(Math.abs(b.output.secondMoment! / b.theory!.output - 1)).toBeLessThan(0.25);
  });

  test('skipinit (alpha = 0): every block is exactly the identity, the variance exactly constant (P3)', async () => {
    const r = await run('skipinit');
    expect(summarizeSignal(r).identity).toBe(true);
    for (const b of r.records) {
      expect(b.output).toEqual(r.records[0].input);
      expect(b.alpha).toBe(0);
      expect(b.ratio).toBe(0);
      expect(b.branch.variance!).toBeGreaterThan(0); // the branch itself is not zero: alpha is
    }
  });

  test('scaled (alpha = 1/sqrt(d)): the variance stays below e times the input variance (P3)', async () => {
    const r = await run('scaled');
    const s = summarizeSignal(r);
    expect(s.maxGrowth!).toBeGreaterThan(1);
    expect(s.maxGrowth!).toBeLessThan(Math.E);
    expect(r.records[0].alpha).toBeCloseTo(1 / Math.sqrt(DEPTH), 6);
  });

  test('fixup: the last branch layer starts at zero, so every block is the identity too', async () => {
    expect(summarizeSignal(await run('fixup')).identity).toBe(true);
  });

  test('eval mode: batch norm with its initial running statistics does not normalise, so bn grows like plain', async () => {
    const s = summarizeSignal(await run('bn', { mode: 'eval' }));
    expect(s.logSlope!).toBeGreaterThan(Math.LN2 - 0.1);
    expect(s.theoryLogSlope!).toBeCloseTo(Math.log(1 + 1 / (1 + 1e-5) ** 2), 9);
  });

  test('plain overflows float32 near where the theory says (within 10%), and the report names the block', async () => {
    const r = await run('plain', { depth: 400, width: 64, batch: 8 });
    const s = summarizeSignal(r);
    expect(s.overflowBlock).not.toBeNull();
    expect(r.overflow!.name).toBe(`block${s.overflowBlock}`);
    expect(Math.abs(s.overflowBlock! / s.theoryOverflowBlock! - 1)).toBeLessThan(0.1);
    expect(r.records[s.overflowBlock! - 2].output.finite).toBe(true);
    expect(r.records[s.overflowBlock! - 1].output).toMatchObject({ finite: false, variance: null });
    // the pass stops there: every later block would only see Inf/NaN
    expect(r.stoppedAt).toBe(s.overflowBlock! - 1);
    expect(r.records).toHaveLength(s.overflowBlock!);
    const through = await signalPropagation(withScheme(mlp(s.overflowBlock! + 3, { width: 64 }), 'plain'), { engine, batch: 8, seed: 0, stopAtOverflow: false });
    expect(through.stoppedAt).toBeNull();
    expect(through.records.slice(s.overflowBlock!).map((b) => b.output.finite)).toEqual([false, false, false]);
  });

  test('a conv net with stages: blocks in order, projections measured on the skip path, identity blocks exact', async () => {
    const r = await signalPropagation(withScheme(convnet(3), 'skipinit'), { engine, batch: 4, seed: 1 });
    expect(r.records.map((b) => b.name)).toEqual(['stage1.block1', 'stage1.block2', 'stage1.block3', 'stage2.block1', 'stage2.block2', 'stage2.block3']);
    const projecting = r.records[3];
    expect(projecting.skip).not.toEqual(projecting.input);
    for (const b of r.records.filter((_, i) => i !== 3)) expect(b.output).toEqual(b.input);
    expect(r.theory.applies).toBe(true);
  });

  test('gathers statistics block by block and leaves no tensor behind', async () => {
    const before = engine.memory().numTensors;
    await run('bn', { depth: 20 });
    expect(engine.memory().numTensors).toBe(before);
  });

  test('real inputs instead of random ones; bad inputs are errors that say what', async () => {
    const g = mlp(4, { features: 3 });
    const x = tensor(
      Array.from({ length: 24 }, (_, i) => Math.sin(i)),
      [8, 3],
      { engine },
    );
    const r = await signalPropagation(g, { engine, input: x });
    expect(r.inputs).toBe('data');
    expect(r.batch).toBe(8);
    expect(x.isDisposed).toBe(false);
    await expect(signalPropagation(g, { engine, input: tensor([1, 2, 3, 4], [2, 2], { engine }) })).rejects.toThrow(
      "the inputs have shape [2, 2], but 'mlp' takes [N, 3]",
    );
    await expect(signalPropagation(g, { engine, batch: 1 })).rejects.toThrow('at least 2 examples');
    x.dispose();
  });

  test('on a backend that reads only asynchronously (WebGPU-like): exactly the same reports, and no tensor left', async () => {
    const asyncEngine = new Engine(new AsyncReferenceBackend());
    const cases = [
      { graph: withScheme(mlp(12, { width: 16 }), 'bn'), options: { batch: 8, seed: 3 } },
      { graph: withScheme(convnet(2), 'scaled'), options: { batch: 2, seed: 1, mode: 'eval' as const } },
    ];
    for (const c of cases) {
      const before = asyncEngine.memory().numTensors;
      const a = await signalPropagation(c.graph, { engine: asyncEngine, ...c.options });
      const b = await signalPropagation(c.graph, { engine, ...c.options });
      expect(a).toEqual(b);
      expect(asyncEngine.memory().numTensors).toBe(before);
    }
    // inputs of about 1e36 overflow float32 within a few plain blocks: the pass stops at the same block (the
    // two passes, on two engines, run interleaved)
    const huge = Array.from({ length: 4 * 16 }, (_, i) => 1e36 * Math.sin(i + 1));
    const g = withScheme(mlp(30, { width: 16 }), 'plain');
    const stopped = [asyncEngine, engine].map((e) => signalPropagation(g, { engine: e, input: tensor(huge, [4, 16], { engine: e }) }));
    const [a, b] = [await stopped[0], await stopped[1]];
    expect(a.stoppedAt).not.toBeNull();
    expect(a).toEqual(b);
  });
});
