// The conformance suite of @skipinit/tensor (every op, forward and gradients) on webgpu, against the
// float64 reference, where an adapter answers (here: Mesa's llvmpipe through Dawn's OpenGL ES backend,
// a software renderer). Tolerances are the suite's own, stated per case (TOL in @skipinit/tensor/testing).
import { afterAll, describe, expect, it } from 'vitest';
import { describeConformance } from '@skipinit/tensor/testing';
import { createGpuJsBackendAsync, probeWebGpu } from './index';

const probe = await probeWebGpu();
if (probe.ok) {
  describeConformance('webgpu', () => createGpuJsBackendAsync({ mode: 'webgpu' }), { describe, it, expect, afterAll }, { memoryIterations: 0 });
} else if (process.env.SKIPINIT_REQUIRE_WEBGPU) {
  // .ci/run installs what Dawn's OpenGL ES route needs (Mesa's EGL and llvmpipe) and sets this
  describe('conformance: webgpu', () => it('a WebGPU adapter answers (SKIPINIT_REQUIRE_WEBGPU is set)', () => expect.fail(probe.reason)));
} else {
  describe('conformance: webgpu', () => it.skip(`no WebGPU adapter here: ${probe.reason}`, () => undefined));
}
