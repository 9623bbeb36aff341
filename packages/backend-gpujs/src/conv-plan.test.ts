// Which steps a convolution plans for given shapes and options, read without running a kernel:
// Winograd or direct, the strided input gradient, image chunks, and the workspace.

import { describe, expect, it } from 'vitest';
import * as ref from '../test/oracle';
import { chunkImages, planConv2d, planConvFilter, planConvInput, usesWinograd, winogradApplies, workspaceSize } from './conv-plan';
import { FLOAT_EXACT, MAX_HOST_ELEMENTS, MAX_INDEXABLE } from './kernel-source';
import type { Plan, PlanOptions } from './plan';

const HOST: PlanOptions = { host: true, blocked: true, wide: false, algorithm: 'auto', chunkElements: FLOAT_EXACT, maxElements: MAX_HOST_ELEMENTS, indexLimit: FLOAT_EXACT };
const GPU: PlanOptions = { ...HOST, host: false, blocked: false, maxElements: MAX_INDEXABLE };

/** The plan's steps in words: kernels (with their host post-processing), fills and chunk layout. */
const steps = (plan: Plan): string[] =>
  plan.steps.map((s) => ('kernel' in s ? s.kernel.name + (s.post ? `+${s.post.fn.name}` : '') : 'fill' in s ? 'fill' : 'alloc' in s ? 'alloc' : 'write' in s ? 'write' : 'add'));

const conv = (x: number[], w: number[], stride: number, pad: number) => ref.convParams(x, w, [stride, stride], [pad, pad, pad, pad]);

describe('convolution plans', () => {
  const r2 = conv([32, 16, 32, 32], [16, 16, 3, 3], 1, 1);

  it('a stride-1 3x3 convolution with enough channels runs as Winograd F(2x2, 3x3) on host executors', () => {
    expect(usesWinograd(r2, HOST)).toBe(true);
    expect(steps(planConv2d(r2, HOST, true))).toEqual(['winograd.weights', 'pad2d', 'winograd.input', 'winograd.gemm', 'winograd.output+winograd.untile']);
    expect(steps(planConvInput(r2, HOST))).toEqual(['winograd.weights', 'pad2d', 'winograd.input', 'winograd.gemm', 'winograd.output+winograd.untile']);
    expect(steps(planConvFilter(r2, HOST))).toEqual(['pad2d', 'winograd.input', 'winograd.dy', 'winograd.filterGemm', 'winograd.sumImages', 'winograd.filterOutput+winograd.filterTaps']);
    // the filter gradient from the forward's workspace skips the input transform
    expect(workspaceSize(r2, HOST)).toBe(16 * 16 * 32 * 16 * 16);
    expect(planConv2d(r2, HOST, false, true).out).toEqual(['y', 'v']);
    expect(steps(planConvFilter(r2, HOST, true))).toEqual(['winograd.dy', 'winograd.filterGemm', 'winograd.sumImages', 'winograd.filterOutput+winograd.filterTaps']);
  });

  it("'auto' keeps few channels, strided and non-3x3 convolutions, and every GPU plan, on the direct kernels", () => {
    const stem = conv([64, 3, 32, 32], [16, 3, 3, 3], 1, 1);
    expect(usesWinograd(stem, HOST)).toBe(false);
    expect(usesWinograd(stem, { ...HOST, algorithm: 'winograd' })).toBe(true);
    expect(usesWinograd(r2, { ...HOST, algorithm: 'direct' })).toBe(false);
    expect(usesWinograd(r2, GPU)).toBe(false);
    expect(winogradApplies(conv([1, 4, 8, 8], [4, 4, 3, 3], 2, 1))).toBe(false);
    expect(winogradApplies(conv([1, 4, 8, 8], [4, 4, 1, 1], 1, 0))).toBe(false);
    expect(winogradApplies(conv([1, 4, 8, 8], [4, 4, 3, 3], 1, 3))).toBe(false);
    expect(steps(planConv2d(stem, HOST, true))).toEqual(['pad2d', 'conv2d.blocked+deinterleave']);
    expect(steps(planConv2d(stem, GPU, true))).toEqual(['pad2d', 'conv2d.scalar', 'binary']);
    expect(steps(planConvFilter(stem, GPU))).toEqual(['pad2d', 'conv2dBackpropFilter.scalar']);
    expect(workspaceSize(stem, HOST)).toBe(0);
    expect(() => planConvFilter(stem, HOST, true)).toThrow(/a workspace for a convolution that keeps none/);
  });

  it('a strided input gradient is W^T dy in the blocked matmul and a gather on host executors, a dilated convolution elsewhere', () => {
    const down = conv([64, 16, 32, 32], [32, 16, 3, 3], 2, 1);
    expect(steps(planConvInput(down, HOST))).toEqual(['matmul.blocked', 'conv2dBackpropInput.col2im']);
    expect(steps(planConvInput(down, GPU))).toEqual(['conv2dBackpropInput.dilate', 'conv2dBackpropInput.flip', 'conv2d.scalar']);
    const stride1 = conv([64, 3, 32, 32], [16, 3, 3, 3], 1, 1);
    expect(steps(planConvInput(stride1, HOST))).toEqual(['conv2dBackpropInput.dilate', 'conv2dBackpropInput.flip', 'conv2d.blocked+deinterleave']);
  });

  it('cuts a batch whose intermediates outgrow the chunk budget into image chunks (host executors only)', () => {
    // the MNIST network's eval batch: 500 images of 16x28x28
    const evalBatch = conv([500, 16, 28, 28], [16, 16, 3, 3], 1, 1);
    const per = chunkImages(evalBatch, 'forward', HOST);
    expect(per).toBeLessThan(500);
    const plan = planConv2d(evalBatch, HOST, false);
    const chunks = Math.ceil(500 / per);
    expect(steps(plan).filter((s) => s === 'write')).toHaveLength(chunks);
    expect(steps(plan).slice(0, 7)).toEqual(['alloc', 'winograd.weights', 'pad2d', 'winograd.input', 'winograd.gemm', 'winograd.output+winograd.untile', 'write']);
    expect(plan.steps[2]).toMatchObject({ args: [{ of: 'x', start: 0, length: per * 16 * 784 }] });
    expect(workspaceSize(evalBatch, HOST)).toBe(0); // a chunked forward keeps no workspace
    // the filter gradient sums its chunks' gradients
    const filter = steps(planConvFilter(evalBatch, HOST));
    expect(filter.filter((s) => s === 'add')).toHaveLength(Math.ceil(500 / chunkImages(evalBatch, 'filter', HOST)) - 1);
    expect(chunkImages(evalBatch, 'forward', GPU)).toBe(500);
    expect(steps(planConv2d(evalBatch, { ...HOST, chunkElements: 2 ** 28 }, false))).toHaveLength(5);
    expect(() => chunkImages(conv([1, 512, 1024, 1024], [512, 512, 3, 3], 1, 1), 'forward', HOST)).toThrow(/one image of x \[1,512,1024,1024\].*makes \d+ elements in its forward pass/);
  });

  it('plans a filter gradient over no pixels as zeros', () => {
    expect(planConvFilter(conv([0, 2, 5, 5], [3, 2, 3, 3], 1, 1), HOST).steps).toEqual([{ fill: 0, size: 54, out: 'dw' }]);
  });
});
