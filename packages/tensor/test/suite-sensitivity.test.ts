// The conformance suite must be able to fail, and its tolerances must be reachable in float32:
// - a backend that rounds every stored value to float32 (the best a float32 backend can do) passes;
// - a backend with one primitive slightly wrong fails exactly the cases that use it.

import { describe, expect, it } from 'vitest';
import { ReferenceBackend } from '../src/index';
import type { Backend, DataId } from '../src/index';
import { runConformance } from '../src/testing/index';

type Values = { values: Float64Array };
const round = (id: DataId) => {
  const v = (id as unknown as Values).values;
  for (let i = 0; i < v.length; i++) v[i] = Math.fround(v[i]);
  return id;
};

/** The reference backend with every result rounded to float32. */
function float32Backend(): Backend {
  const ref = new ReferenceBackend();
  return new Proxy(ref, {
    get(target, key, receiver) {
      const value = Reflect.get(target, key, receiver);
      if (typeof value !== 'function' || ['read', 'readAsync', 'dispose', 'memory', 'destroy'].includes(String(key))) {
        return typeof value === 'function' ? value.bind(target) : value;
      }
      return (...args: unknown[]) => {
        const out = value.apply(target, args);
        if (key === 'sgdUpdate') [args[0], args[2]].forEach((id) => round(id as DataId));
        else if (key === 'assign') round(args[0] as DataId);
        else if ((out as object) instanceof Object && !('values' in (out as object))) Object.values(out as object).forEach((id) => id !== null && round(id as DataId)); // conv2dTraining's workspace may be null
        else round(out as DataId);
        return out;
      };
    },
  });
}

/** The reference backend with one primitive perturbed by a relative 1e-3. */
function faultyBackend(method: 'conv2dBackpropFilter' | 'unary', when: (args: unknown[]) => boolean): Backend {
  const ref = new ReferenceBackend();
  const original = ref[method].bind(ref) as (...a: unknown[]) => DataId;
  (ref as unknown as Record<string, unknown>)[method] = (...args: unknown[]) => {
    const out = original(...args);
    if (when(args)) {
      const v = (out as unknown as Values).values;
      for (let i = 0; i < v.length; i++) v[i] *= 1 + 1e-3;
    }
    return out;
  };
  return ref;
}

describe('conformance suite sensitivity', () => {
  it('passes a float32-rounding backend with the stated tolerances', async () => {
    const results = await runConformance(float32Backend());
    const failed = results.filter((r) => !r.passed);
    expect(failed.map((r) => r.name)).toEqual([]);
    // and float32 rounding is visible: not everything is exact
    expect(results.some((r) => r.forward!.maxAbsError > 0)).toBe(true);
  });

  it('fails the cases of a perturbed conv2d filter gradient, and only those', async () => {
    const results = await runConformance(faultyBackend('conv2dBackpropFilter', () => true));
    const failed = results.filter((r) => !r.passed);
    expect(failed.length).toBeGreaterThan(0);
    // conv2d's cases, and the case that feeds a conv2d with Scaled WS ('conv2d [..] with scaledWeightStandardization')
    expect(failed.map((r) => r.name).filter((n) => !n.startsWith('conv2d'))).toEqual([]);
    // the forward is right; the weight gradient (input 1) is what fails
    for (const r of failed) {
      expect(r.forward!.passed).toBe(true);
      expect(r.grads[1]!.passed).toBe(false);
    }
  });

  it('fails the exp cases of a backend whose exp is off by 1e-3', async () => {
    const results = await runConformance(faultyBackend('unary', (args) => args[0] === 'exp'), {
      filter: (c) => c.op === 'exp' || c.op === 'neg',
    });
    expect(results.filter((r) => r.op === 'exp').every((r) => !r.passed)).toBe(true);
    expect(results.filter((r) => r.op === 'neg').every((r) => r.passed)).toBe(true);
  });
});
