// The conformance suite on the reference backend against itself (a sanity check of the suite and the
// runner: every case must run, match exactly, and leak nothing), plus the suite's own invariants.

import { afterAll, describe, expect, it } from 'vitest';
import { ReferenceBackend } from '../src/index';
import { conformanceCases, describeConformance, runConformance } from '../src/testing/index';

describe('conformance suite', () => {
  it('has unique case names and covers every op of the issue', () => {
    const names = conformanceCases.map((c) => c.name);
    expect(new Set(names).size).toBe(names.length);
    const ops = new Set(conformanceCases.map((c) => c.op));
    for (const op of [
      'add', 'sub', 'mul', 'div', 'neg', 'exp', 'log', 'sqrt', 'pow', 'relu', 'sigmoid', 'tanh', 'maximum', 'minimum',
      'abs', 'eq', 'ne', 'lt', 'le', 'gt', 'ge', 'where', 'sum', 'mean', 'max', 'var', 'reshape', 'permute',
      'transpose', 'expand', 'slice', 'concat', 'pad', 'flatten', 'squeeze', 'unsqueeze', 'matmul', 'conv2d',
      'avgPool2d', 'maxPool2d', 'globalAvgPool2d', 'logSoftmax', 'crossEntropy', 'dropout', 'gelu', 'softmax',
      'layerNorm', 'batchNorm', 'linear', 'sumTo',
    ]) {
      expect(ops.has(op), op).toBe(true);
    }
    // odd sizes, as the issue asks
    expect(conformanceCases.some((c) => c.inputs.some((s) => s.shape.join('x') === '7x13'))).toBe(true);
  });

  it('reference vs reference: every case passes with zero error', async () => {
    const results = await runConformance(new ReferenceBackend());
    expect(results.length).toBe(conformanceCases.length);
    const failed = results.filter((r) => !r.passed || r.error);
    expect(failed.map((r) => `${r.name}: ${r.error ?? ''}`)).toEqual([]);
    for (const r of results) {
      expect(r.forward!.maxAbsError, r.name).toBe(0);
      for (const g of r.grads) if (g) expect(g.maxAbsError, r.name).toBe(0);
    }
    // gradients were really compared for the differentiable cases
    expect(results.filter((r) => r.grads.some((g) => g !== null)).length).toBeGreaterThan(200);
  });
});

// The one-line form a backend's tests use (here on the reference backend, without the memory test,
// which test/memory.test.ts runs).
describeConformance('reference (helper)', () => new ReferenceBackend(), { describe, it, expect, afterAll }, { memoryIterations: 0 });
