import { dense, flatten, graph, head, input, preact, resblock } from '@skipinit/graph';
import type { Layer } from '@skipinit/layers';
import { Model, build } from '@skipinit/layers';
import { ReferenceBackend, getEngine, setBackend } from '@skipinit/tensor';
import type { Tensor } from '@skipinit/tensor';
import { beforeAll, describe, expect, it } from 'vitest';
import { describeOnnx } from './describe-onnx';
import { OnnxExportError } from './errors';
import { exportOnnx } from './export-onnx';

beforeAll(() => setBackend(new ReferenceBackend(), { seed: 0 }));

const mlpGraph = (init: 'skipinit' | 'fixup' | 'plain') =>
  graph('mlp', [input([6]), dense(8), resblock({ count: 3, init, branch: preact({ kind: 'mlp', width: 8, norm: 'bn' }) }), head(3)]);

describe('exportOnnx', () => {
  it('writes the input as it is without a normalisation, and the SkipInit scalars as Mul before the Add', () => {
    const s = describeOnnx(exportOnnx(build(mlpGraph('skipinit'))).bytes);
    expect(s.graph.node![0].opType).toBe('Gemm');
    expect(s.ops.Mul).toBe(3);
    expect(s.ops.Add).toBe(3);
    expect(s.ops.BatchNormalization).toBe(6);
    const alpha = s.graph.initializer!.filter((t) => String(t.name).endsWith('.alpha'));
    expect(alpha.map((t) => t.name)).toEqual(['block1.alpha', 'block2.alpha', 'block3.alpha']);
    expect(alpha.every((t) => (t.dims ?? []).length === 0)).toBe(true);
  });

  it("writes Fixup's scalar biases as Add and its scale as Mul", () => {
    const s = describeOnnx(exportOnnx(build(mlpGraph('fixup'))).bytes);
    // Every scalar bias is an Add (graph's schemeNodes places them), plus one residual Add per block.
    const biases = s.graph.initializer!.filter((t) => /\.bias\d+$/.test(String(t.name)));
    expect(biases.length).toBeGreaterThan(0);
    expect(s.ops.Add).toBe(biases.length + 3);
    expect(s.ops.Mul).toBe(3);
  });

  it('refuses a normalisation with the wrong number of channels', () => {
    expect(() => exportOnnx(build(mlpGraph('plain')), { normalization: { mean: [0], std: [1] } })).toThrow(/1 means and 1 stds for an input of 6 channel/);
  });

  it('refuses a module with no ONNX form, naming it', () => {
    const built = build(graph('m', [input([4]), flatten(), dense(2)]));
    const swish: Layer = {
      name: 'swish1',
      kind: 'swish',
      inShape: [2],
      outShape: [2],
      parameters: [],
      buffers: [],
      forward: (x: Tensor) => x.mul(x.sigmoid()),
    };
    const model = new Model(built.graph, getEngine(), 0, [...built.units, swish], [4], [2], built.rng);
    let error: unknown;
    try {
      exportOnnx(model);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(OnnxExportError);
    expect((error as OnnxExportError).module).toBe('swish1');
    expect((error as Error).message).toMatch(/^swish1: a 'swish' module has no ONNX form/);
  });
});
