// Winograd F(2x2, 3x3) convolutions (forward, input and filter gradients) against the float64
// oracle: odd and even sizes (partial edge tiles), paddings 0, 1 and 2 (asymmetric too), channel
// counts that are not multiples of 4, batch 1 and 3; in webasm and cpu (conv-plan.test.ts checks that
// these shapes plan Winograd). And the workspace a training forward keeps for the filter gradient, which
// the tensor op hands to it.

import { afterAll, describe, expect, it, vi } from 'vitest';
import * as ref from '../test/oracle';
import { Engine, conv2d, tensor, type DataId } from '@skipinit/tensor';
import { createGpuJsBackend } from './index';

const cases: { x: number[]; w: number[]; pad: [number, number, number, number] }[] = [
  { x: [2, 16, 8, 8], w: [16, 16, 3, 3], pad: [1, 1, 1, 1] },
  { x: [3, 5, 7, 9], w: [6, 5, 3, 3], pad: [1, 1, 1, 1] },
  { x: [1, 8, 11, 6], w: [9, 8, 3, 3], pad: [0, 0, 0, 0] },
  { x: [2, 4, 5, 5], w: [4, 4, 3, 3], pad: [2, 2, 2, 2] },
  { x: [1, 3, 6, 7], w: [13, 3, 3, 3], pad: [0, 2, 1, 0] },
  { x: [1, 1, 3, 3], w: [1, 1, 3, 3], pad: [1, 1, 1, 1] },
];

for (const mode of ['webasm', 'cpu'] as const) {
  describe(`Winograd F(2x2, 3x3) in '${mode}'`, () => {
    const be = createGpuJsBackend({ mode, convAlgorithm: 'winograd' });
    afterAll(() => be.destroy());

    for (const c of cases) {
      it(`x [${c.x}] w [${c.w}] pad ${c.pad}: forward, input and filter gradients`, () => {
        const p = ref.convParams(c.x, c.w, [1, 1], c.pad);
        const xv = ref.randomArray(ref.size(p.xShape), 11);
        const wv = ref.randomArray(ref.size(p.wShape), 12);
        const dyv = ref.randomArray(ref.size(p.outShape), 13);
        const [x, w, dy] = [xv, wv, dyv].map((v) => be.upload(v));
        const check = (id: ReturnType<typeof be.upload>, want: number[]) => {
          expect(ref.worst(be.read(id), want, 1e-4, 1e-4)).toBeNull();
          be.dispose(id);
        };
        check(be.conv2d(x!, w!, p), ref.conv2d(xv, wv, p));
        // with a bias, added as the output tiles are laid out
        const o = c.w[0]!;
        const bv = ref.randomArray(o, 14);
        const b = be.upload(bv);
        const plane = p.outShape[2]! * p.outShape[3]!;
        check(be.conv2d(x!, w!, p, b), ref.conv2d(xv, wv, p).map((v, i) => v + bv[Math.floor(i / plane) % o]!));
        be.dispose(b);
        check(be.conv2dBackpropInput(dy!, w!, p), ref.conv2dBackpropInput(dyv, wv, p));
        check(be.conv2dBackpropFilter(x!, dy!, p), ref.conv2dBackpropFilter(xv, dyv, p));
        [x, w, dy].forEach((d) => be.dispose(d!));
        expect(be.memory().numDataIds).toBe(0);
      });
    }
  });
}

describe('the workspace a training conv2d keeps for its filter gradient', () => {
  const p = ref.convParams([2, 8, 6, 6], [8, 8, 3, 3], [1, 1], [1, 1, 1, 1]);
  const xv = ref.randomArray(ref.size(p.xShape), 21);
  const wv = ref.randomArray(ref.size(p.wShape), 22);
  const dyv = ref.randomArray(ref.size(p.outShape), 23);

  it('is the Winograd input transform, counted as storage, and gives the same filter gradient bit for bit', () => {
    const be = createGpuJsBackend({ mode: 'webasm', convAlgorithm: 'winograd' });
    const [x, w, dy] = [xv, wv, dyv].map((v) => be.upload(v)) as [DataId, DataId, DataId];
    const { y, workspace } = be.conv2dTraining(x, w, p);
    expect(workspace?.size).toBe(16 * 8 * 2 * 9);
    expect(be.memory()).toEqual({ numDataIds: 5, numBytes: 4 * (4 * 576 + 2304) }); // x, w, dy, y and V
    expect(Array.from(be.read(y))).toEqual(Array.from(be.read(be.conv2d(x, w, p))));
    const kept = be.read(be.conv2dBackpropFilter(x, dy, p, workspace));
    const recomputed = be.read(be.conv2dBackpropFilter(x, dy, p));
    expect(Array.from(kept)).toEqual(Array.from(recomputed));
    expect(ref.worst(kept, ref.conv2dBackpropFilter(xv, dyv, p), 1e-4, 1e-4)).toBeNull();
    be.destroy();
  });

  it('is kept only within workspaceBytes, for Winograd convolutions, and must fit the convolution it is given to', () => {
    const small = createGpuJsBackend({ mode: 'webasm', convAlgorithm: 'winograd', workspaceBytes: 16 * 8 * 2 * 9 * 4 });
    const [x, w] = [xv, wv].map((v) => small.upload(v)) as [DataId, DataId];
    const first = small.conv2dTraining(x, w, p);
    expect(first.workspace).not.toBeNull();
    expect(small.conv2dTraining(x, w, p).workspace).toBeNull(); // the bound is taken by the first
    small.dispose(first.workspace!);
    expect(small.conv2dTraining(x, w, p).workspace).not.toBeNull();
    const other = ref.convParams([2, 8, 6, 6], [8, 8, 3, 3], [1, 1], [0, 0, 0, 0]);
    expect(() => small.conv2dBackpropFilter(x, small.fill(ref.size(other.outShape), 0), other, first.y)).toThrow(/conv2dBackpropFilter: v holds 576 elements, expected 1024/);
    small.destroy();
    const direct = createGpuJsBackend({ mode: 'webasm', convAlgorithm: 'direct' });
    const [xd, wd] = [xv, wv].map((v) => direct.upload(v)) as [DataId, DataId];
    expect(direct.conv2dTraining(xd, wd, p).workspace).toBeNull();
    direct.destroy();
    expect(() => createGpuJsBackend({ mode: 'webasm', workspaceBytes: -1 })).toThrow(/workspaceBytes must be/);
    expect(() => createGpuJsBackend({ mode: 'webasm', convAlgorithm: 'fast' as never })).toThrow(/convAlgorithm must be/);
  });

  it("is what the tensor op's filter gradient gets, with and without a bias", () => {
    const be = createGpuJsBackend({ mode: 'webasm', convAlgorithm: 'winograd' });
    const engine = new Engine(be);
    const filter = vi.spyOn(be, 'conv2dBackpropFilter');
    const x = tensor(xv, p.xShape, { engine });
    const dy = tensor(dyv, p.outShape, { engine });
    const grads: Float32Array[] = [];
    for (const withBias of [false, true]) {
      const w = tensor(wv, p.wShape, { engine });
      w.requiresGrad = true;
      const bias = withBias ? tensor(new Float32Array(8).fill(0.5), [8], { engine }) : null;
      if (bias) bias.requiresGrad = true;
      conv2d(x, w, { bias, padding: 1 }).backward(dy);
      grads.push(be.read(w.grad!.storage.id));
    }
    expect(filter).toHaveBeenCalledTimes(2);
    for (const call of filter.mock.calls) expect(call[3]).not.toBeNull();
    expect(Array.from(grads[1]!)).toEqual(Array.from(grads[0]!));
    expect(ref.worst(grads[0]!, ref.conv2dBackpropFilter(xv, dyv, p), 1e-4, 1e-4)).toBeNull();
    be.destroy();
  });
});
