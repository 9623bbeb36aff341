// A central-difference gradient check for every differentiable conformance case (every op, its options,
// odd shapes and broadcasting), on the float64 reference backend with a random upstream gradient.

import { describe, expect, it } from 'vitest';
import { Rng } from '../src/index';
import { caseInputs, conformanceCases, gradcheck } from '../src/testing/index';

const cases = conformanceCases.filter((c) => c.grad !== false && c.numericGrad !== false);

describe('gradcheck (central differences, float64)', () => {
  it('covers every differentiable op', () => {
    const ops = new Set(cases.map((c) => c.op));
    for (const op of ['add', 'pow', 'maximum', 'where', 'var', 'logsumexp', 'expand', 'pad', 'concat', 'matmul', 'conv2d', 'maxPool2d', 'avgPool2d', 'crossEntropy', 'dropout', 'layerNorm', 'scaledWeightStandardization']) {
      expect(ops.has(op), op).toBe(true);
    }
  });

  it.each(cases.map((c) => [c.name, c] as const))('%s', (_, c) => {
    const values = caseInputs(c);
    const r = gradcheck(
      (xs) => c.run(xs, { engine: xs[0].engine, values, rng: () => new Rng(1234) }),
      c.inputs.map((s, i) => ({ values: values[i], shape: s.shape, grad: s.grad !== false })),
      { tol: { rtol: 1e-5, atol: 1e-7 } },
    );
    const detail = r.inputs.map((cmp, i) => (cmp ? `d${i}: abs ${cmp.maxAbsError.toExponential(2)}, worst ${cmp.worst.toFixed(3)}` : '-')).join('; ');
    expect(r.passed, detail).toBe(true);
    expect(r.inputs.some((cmp) => cmp !== null)).toBe(true);
  });
});
