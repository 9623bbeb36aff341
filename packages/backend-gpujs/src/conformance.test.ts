// The conformance suite of @skipinit/tensor (every op, forward and gradients, on several shapes
// including odd ones such as 7x13) on every gpu.js mode that runs here, against the float64
// reference backend, plus its 1,000-step memory test of a small network on webasm. Tolerances are
// the suite's own, stated per case (TOL in @skipinit/tensor/testing: float32 elementwise ~1e-5,
// sums of products ~1e-4 relative); a failure prints the worst element and the tolerance.

import { afterAll, describe, expect, it } from 'vitest';
import { describeConformance } from '@skipinit/tensor/testing';
import { createGpuJsBackend } from './index';
import { probeMode, type GpuJsMode } from './index';

const modes: GpuJsMode[] = ['headlessgl', 'webasm', 'cpu'];
for (const mode of modes) {
  if (!probeMode(mode).ok) continue;
  describeConformance(mode, () => createGpuJsBackend({ mode }), { describe, it, expect, afterAll }, { memoryIterations: mode === 'webasm' ? 1000 : 0 });
}
// scalar (one output per thread) matmul/conv kernels are what GPU modes run; check them on webasm too
describeConformance('webasm, scalar kernels', () => createGpuJsBackend({ mode: 'webasm', kernels: 'scalar' }), { describe, it, expect, afterAll }, {
  filter: (c) => ['matmul', 'conv2d', 'linear'].some((op) => c.op.startsWith(op)),
  memoryIterations: 0,
});
// The large-tensor paths (coordinates spread over three thread axes so index math stays exact past
// 2^24; convolutions cut into image chunks) on every case: the same kernels with their limits lowered
// from 2^24 to a few dozen elements.
describeConformance(
  'webasm, large-tensor paths (indexLimit 32, convChunkElements 64)',
  () => createGpuJsBackend({ mode: 'webasm', indexLimit: 32, convChunkElements: 64 }),
  { describe, it, expect, afterAll },
  { memoryIterations: 0 },
);
