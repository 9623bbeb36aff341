import { noGrad } from '@skipinit/tensor';
import { describe, expect, it } from 'vitest';
import type { ModelState } from '../src';
import { build, LayersError } from '../src';
import { smallResNet } from './fixtures';
import { input, refEngine, sameValues } from './helpers';

describe('state / load / exportWeights', () => {
  const g = smallResNet({ norm: 'bn', init: 'skipinit', blocks: [2, 1] });

  it('round-trips: a model loaded with another\'s state computes the same logits, in eval and training mode', () => {
    const engine = refEngine();
    const a = build(g, { engine, seed: 1 });
    noGrad(() => a.forward(input(engine, [4, 3, 8, 8], 3), { training: true })); // move the running stats
    const s = a.state();
    expect(Object.keys(s)).toEqual([...a.parameters().map((p) => p.name), ...a.buffers().map((b) => b.name)]);
    expect(s['stage1.block1.bn1.running_var'].data.some((v) => v !== 1)).toBe(true);
    const b = build(g, { engine, seed: 2 });
    b.load(s);
    a.load(s); // a state is float32: on the float64 reference backend this rounds a's running stats as it did b's
    const x = input(engine, [2, 3, 8, 8], 4);
    for (const training of [false, true]) {
      expect(sameValues(noGrad(() => a.forward(x, { training })).dataSync64(), noGrad(() => b.forward(x, { training })).dataSync64())).toBe(true);
    }
    for (const [name, e] of Object.entries(b.state())) expect(sameValues(e.data, a.state()[name].data), name).toBe(true);
  });

  it('hands out copies: changing a state does not change the model', () => {
    const m = build(g, { engine: refEngine() });
    const s = m.state();
    s['conv1.weight'].data.fill(7);
    expect(m.state()['conv1.weight'].data.some((v) => v === 7)).toBe(false);
  });

  it('refuses a state that does not fit, listing every problem, and changes nothing', () => {
    const engine = refEngine();
    const m = build(g, { engine, seed: 1 });
    const good = m.state();
    const before = m.state();
    const bad: ModelState = { ...build(g, { engine, seed: 9 }).state() };
    delete bad['head.bias'];
    bad['conv1.weight'] = { shape: [4, 3, 5, 5], data: new Float32Array(300) };
    bad['stage1.block1.alpha'] = { shape: [], data: new Float32Array(2) };
    bad['stage9.block1.alpha'] = { shape: [], data: new Float32Array(1) };
    let message = '';
    try {
      m.load(bad);
    } catch (e) {
      expect(e).toBeInstanceOf(LayersError);
      message = (e as Error).message;
    }
    expect(message).toContain("load: the state does not fit model 'resnet-bn-skipinit'");
    expect(message).toContain('missing 1 of the model\'s tensors: head.bias');
    expect(message).toContain('1 names the model does not have: stage9.block1.alpha');
    expect(message).toContain('conv1.weight: the state has shape [4, 3, 5, 5], the model [4, 3, 3, 3]');
    expect(message).toContain('stage1.block1.alpha: 2 values for shape [] (1 elements)');
    for (const [name, e] of Object.entries(m.state())) expect(sameValues(e.data, before[name].data), name).toBe(true);
    // Non-strict loading ignores unknown names (but still needs every name of the model).
    m.load({ ...good, 'extra.weight': { shape: [1], data: new Float32Array(1) } }, { strict: false });
    expect(() => m.load({ ...good, 'extra.weight': { shape: [1], data: new Float32Array(1) } })).toThrow(/names the model does not have: extra.weight/);
    expect(() => m.load(null as never)).toThrow(/load: the state does not fit model .*expected a \{ name: \{ shape, data \} \} object, got null/);
    expect(() => m.load({ ...good, 'head.bias': { shape: [5], data: 'x' as never } })).toThrow(/head.bias: data must be a Float32Array, got string/);
  });

  it('exports every tensor with its layout and role (conv OIHW, dense OI = [units, in])', () => {
    const m = build(g, { engine: refEngine() });
    const w = m.exportWeights();
    const by = (n: string) => w.find((e) => e.name === n)!;
    expect(by('conv1.weight')).toMatchObject({ kind: 'parameter', role: 'weight', layout: 'OIHW', shape: [4, 3, 3, 3] });
    expect(by('stage2.block1.shortcut.weight')).toMatchObject({ layout: 'OIHW', shape: [8, 4, 1, 1] });
    expect(by('head.weight')).toMatchObject({ role: 'weight', layout: 'OI', shape: [5, 8] });
    expect(by('head.bias')).toMatchObject({ role: 'bias', layout: 'C', shape: [5] });
    expect(by('stage1.block1.alpha')).toMatchObject({ role: 'scalar', layout: 'scalar', shape: [] });
    expect(by('stage1.block1.conv1.weight').data).toHaveLength(4 * 4 * 9);
    expect(w.filter((e) => e.kind === 'buffer').map((e) => e.name)).toEqual(m.buffers().map((b) => b.name));
    const plain = build(smallResNet({ norm: 'none', init: 'skipinit' }), { engine: refEngine() }).exportWeights();
    expect(plain.filter((e) => e.kind === 'buffer')).toEqual([]); // no norm: no running stats
    const bn = build(smallResNet(), { engine: refEngine() }).exportWeights();
    expect(bn.find((e) => e.name === 'bn1.running_var')).toMatchObject({ kind: 'buffer', role: null, layout: 'C', shape: [8] });
    expect(m.parameters().filter((p) => p.isWeight).map((p) => p.name)).toEqual(w.filter((e) => e.role === 'weight').map((e) => e.name));
  });

  it('stateAsync equals state', async () => {
    const m = build(g, { engine: refEngine() });
    const a = await m.stateAsync();
    const b = m.state();
    for (const n of Object.keys(b)) expect(sameValues(a[n].data, b[n].data)).toBe(true);
  });
});
