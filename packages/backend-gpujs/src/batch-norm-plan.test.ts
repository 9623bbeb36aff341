import { describe, expect, it } from 'vitest';
import { planBatchNormBackward, planBatchNormForward, planBatchNormStats } from './batch-norm-plan';
import type { Plan } from './plan';

const steps = (plan: Plan) => plan.steps.map((s) => ('kernel' in s ? `${s.kernel.name}${s.post ? `+${s.post.fn.name}` : ''} -> ${String(s.out)}` : '?'));
const p = { outer: 64, channels: 16, inner: 784, eps: 1e-5 };

describe('batch norm plans', () => {
  it('statistics in two passes (mean, then the variance around it); the forward in one', () => {
    expect(steps(planBatchNormStats(p))).toEqual(['batchNorm.mean -> mean', 'batchNorm.variance -> variance']);
    expect(planBatchNormForward(p, true, false).steps[0]).toMatchObject({ args: ['x', 'mean', 'variance', 'weight'], params: { ...p, weight: true, bias: false } });
  });

  it('the backward: both sums in one Array(2) pass where the executor runs them (host), one kernel each elsewhere', () => {
    expect(steps(planBatchNormBackward(p, true, true))).toEqual(['batchNorm.sums+batchNorm.splitSums -> dbias,dweight', 'batchNorm.dx -> dx']);
    expect(steps(planBatchNormBackward(p, false, false))).toEqual(['batchNorm.sums -> dbias', 'batchNorm.sums -> dweight', 'batchNorm.dx -> dx']);
    expect(planBatchNormBackward(p, false, false).out).toEqual(['dx', 'dweight', 'dbias']);
  });
});
