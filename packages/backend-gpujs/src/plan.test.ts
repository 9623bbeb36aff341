// Running plans on the host executor: every intermediate goes back to the buffer pool after its last
// use, so a repeated op in its steady state allocates no host buffer (a fresh 8 MB buffer costs page
// faults and GC: R2's filter gradient without a workspace ran 2x slower while its V leaked).

import { describe, expect, it } from 'vitest';
import * as ref from '../test/oracle';
import { planConvFilter } from './conv-plan';
import { HostExecutor } from './host-executor';
import { FLOAT_EXACT, MAX_HOST_ELEMENTS } from './kernel-source';
import { nodePlatform } from './node';
import { runPlan, type PlanOptions } from './plan';

const HOST: PlanOptions = { host: true, blocked: true, wide: false, algorithm: 'winograd', chunkElements: FLOAT_EXACT, maxElements: MAX_HOST_ELEMENTS, indexLimit: FLOAT_EXACT };

describe('runPlan on the host executor', () => {
  it('frees a value made under an absent input name (the filter gradient V without a workspace): steady state allocates nothing', () => {
    const ex = new HostExecutor('webasm', new (nodePlatform.gpuJs().GPU)({ mode: 'webasm' }), { maxKernels: 64, maxBytes: 2 ** 28 }, { pool: null });
    const p = ref.convParams([2, 8, 8, 8], [8, 8, 3, 3], [1, 1], [1, 1, 1, 1]);
    const plan = planConvFilter(p, HOST, false);
    // the plan makes 'v' itself: the op's third input (the workspace) is absent
    expect(plan.steps.some((s) => 'kernel' in s && s.out === 'v')).toBe(true);
    const x = ex.upload(ref.randomArray(ref.size(p.xShape), 1));
    const dy = ex.upload(ref.randomArray(ref.size(p.outShape), 2));
    const once = () => {
      const [dw] = runPlan(ex, plan, ['x', 'dy', 'v'], [x, dy, null]);
      const values = ex.read(dw!, ref.size(p.wShape));
      ex.free(dw!);
      return values;
    };
    const first = once();
    once(); // from here on webasm kernels run by direct calls, their results copied into pooled buffers
    const created = ex.buffers.created;
    for (let i = 0; i < 3; i++) expect(once()).toEqual(first);
    expect(ex.buffers.created).toBe(created);
    ex.destroy();
  });
});
