// Tensors and intermediates past 2^24 elements (webasm, default limits): the MNIST network's eval batch
// of 500 made 25M-element Winograd products, which the engine used to refuse. Kernel indices are i32,
// so such sizes compute exactly; convolution passes whose intermediates exceed 2^24 elements run in
// image chunks. Checked against the direct convolution kernels (tested against plain loops at small
// sizes) and plain loops on sampled cells, and, for elementwise, reduction and movement kernels past
// 2^24 elements, against plain loops on every cell.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as ref from '../test/oracle';
import { createGpuJsBackend } from './index';
import type { GpuJsBackend } from './gpujs-backend';
import { planConv2d } from './conv-plan';
import { FLOAT_EXACT, MAX_HOST_ELEMENTS } from './kernel-source';
import { flatLayout } from './kernels/flat-layout';

/** One output cell of a stride-1 3x3 convolution with padding 1, by plain loops. */
function convCell(x: Float32Array, w: Float32Array, c: number, h: number, wd: number, n: number, o: number, y: number, xx: number): number {
  let s = 0;
  for (let ci = 0; ci < c; ci++) {
    for (let i = 0; i < 3; i++) {
      for (let j = 0; j < 3; j++) {
        const iy = y - 1 + i;
        const ix = xx - 1 + j;
        if (iy < 0 || iy >= h || ix < 0 || ix >= wd) continue;
        s += x[((n * c + ci) * h + iy) * wd + ix]! * w[((o * c + ci) * 3 + i) * 3 + j]!;
      }
    }
  }
  return s;
}

describe('flatLayout', () => {
  it('keeps small shapes on thread.x and spreads large ones over three axes with every group below the limit', () => {
    expect(flatLayout([64, 16, 784]).output).toEqual([64 * 16 * 784]);
    const big = flatLayout([700, 16, 28, 28]);
    expect(big.output.length).toBe(1);
    const huge = flatLayout([5000, 16, 28, 28]);
    expect(huge.output).toEqual([16 * 28 * 28, 5000]);
    expect(huge.coords).toEqual(['this.thread.y', '(c0_0 | 0)', '(c0_1 | 0)', '(c0_2 | 0)']);
    const low = flatLayout([4, 3, 5, 5], 32);
    expect(low.output).toEqual([25, 12]);
    expect(flatLayout([3, 2 ** 25], FLOAT_EXACT).output).toEqual([2 ** 25, 3]);
    expect(() => flatLayout([5, 5, 5, 5], 6)).toThrow(/needs 4 thread axes/);
  });
});

describe('webasm past 2^24 elements', () => {
  let be: GpuJsBackend;
  let direct: GpuJsBackend;
  beforeAll(() => {
    be = createGpuJsBackend({ mode: 'webasm' });
    direct = createGpuJsBackend({ mode: 'webasm', convAlgorithm: 'direct' });
  });
  afterAll(() => {
    be.destroy();
    direct.destroy();
  });

  // 700 images of 8x28x28: the Winograd products (16 x 8 channels x 196 tiles per image) hold 17.6M elements
  const p = ref.convParams([700, 8, 28, 28], [8, 8, 3, 3], [1, 1], [1, 1, 1, 1]);
  const xv = ref.randomArray(ref.size(p.xShape), 11);
  const wv = ref.randomArray(ref.size(p.wShape), 12);
  const dyv = ref.randomArray(ref.size(p.outShape), 13);

  function passes(b: GpuJsBackend): Float32Array[] {
    const [x, w, dy] = [xv, wv, dyv].map((v) => b.upload(v));
    const outs = [b.conv2d(x!, w!, p), b.conv2dBackpropInput(dy!, w!, p), b.conv2dBackpropFilter(x!, dy!, p)];
    const values = outs.map((d) => b.read(d));
    [x!, w!, dy!, ...outs].forEach((d) => b.dispose(d));
    expect(b.memory().numDataIds).toBe(0);
    return values;
  }

  let directValues: Float32Array[] | null = null;
  function checkAgainstDirect(got: Float32Array[]): void {
    const want = (directValues ??= passes(direct));
    expect(ref.worst(got[0]!, want[0]!, 1e-4, 1e-4)).toBeNull();
    expect(ref.worst(got[1]!, want[1]!, 1e-4, 1e-4)).toBeNull();
    // the filter gradient sums 700 x 784 products per cell
    expect(ref.worst(got[2]!, want[2]!, 1e-3, 1e-2)).toBeNull();
    // sampled cells of the last images (the end of every intermediate) against plain loops
    for (const [n, o, y, x] of [[699, 7, 27, 27], [699, 0, 0, 0], [650, 3, 13, 14], [0, 5, 1, 26]] as const) {
      const at = ((n * 8 + o) * 28 + y) * 28 + x;
      expect(got[0]![at]).toBeCloseTo(convCell(xv, wv, 8, 28, 28, n, o, y, x), 4);
    }
  }

  it('a Winograd convolution whose transforms and products exceed 2^24 elements (forward, input and filter gradients) runs in image chunks', () => {
    const plan = planConv2d(p, { host: true, blocked: true, wide: false, algorithm: 'auto', chunkElements: FLOAT_EXACT, maxElements: MAX_HOST_ELEMENTS, indexLimit: FLOAT_EXACT }, false);
    expect(plan.steps.filter((s) => 'kernel' in s && s.kernel.name === 'winograd.gemm').length).toBeGreaterThan(1);
    expect(16 * 8 * 700 * 14 * 14).toBeGreaterThan(FLOAT_EXACT);
    checkAgainstDirect(passes(be));
  });

  it('the same passes unchunked: Winograd kernels index exactly past 2^24', () => {
    const whole = createGpuJsBackend({ mode: 'webasm', convChunkElements: 2 ** 26 });
    try {
      checkAgainstDirect(passes(whole));
    } finally {
      whole.destroy();
    }
  });

  it('elementwise, reduction and movement kernels on 16.8M-element tensors', () => {
    const shape = [5, 4, 1024, 820];
    const total = ref.size(shape);
    expect(total).toBeGreaterThan(FLOAT_EXACT);
    const xv2 = ref.randomArray(total, 21);
    const x = be.upload(xv2);
    const bias = be.upload([1, 2, 3, 4]);
    const sum = be.binary('add', x, shape, bias, [1, 4, 1, 1], shape);
    const s = be.read(sum);
    const plane = 1024 * 820;
    let bad = 0;
    for (let i = 0; i < total; i++) if (s[i] !== Math.fround(xv2[i]! + 1 + (Math.floor(i / plane) % 4))) bad++;
    expect(bad).toBe(0);
    // per-channel sums (the loop index runs to the end of x)
    const red = be.read(be.reduce('sum', x, shape, [0, 2, 3]));
    const want = [0, 0, 0, 0];
    for (let i = 0; i < total; i++) want[Math.floor(i / plane) % 4]! += xv2[i]!;
    expect(ref.worst(red, want, 1e-4, 1e-1)).toBeNull();
    // the last image's last channel, and a transpose of the two trailing axes
    const last = be.read(be.slice(x, shape, [4, 3, 0, 0], [1, 1, 1024, 820]));
    expect(ref.worst(last, xv2.subarray(total - plane), 0, 0)).toBeNull();
    const tr = be.read(be.permute(x, shape, [0, 1, 3, 2]));
    bad = 0;
    for (let q = 0; q < 20; q++) {
      for (let r = 0; r < 820; r++) for (let c = 0; c < 1024; c += 37) if (tr[q * plane + r * 1024 + c] !== xv2[q * plane + c * 820 + r]) bad++;
    }
    expect(bad).toBe(0);
    be.destroy();
    be = createGpuJsBackend({ mode: 'webasm' });
  });

  it('refuses tensors past 2^28 elements with an error that names the op', () => {
    expect(() => be.fill(2 ** 28, 0)).toThrow('fill: the result has 268435456 elements; this backend holds at most 268435455 elements per tensor');
  });
});
