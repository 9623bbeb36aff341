// The conformance suite of @skipinit/tensor (every op, forward and gradients) on webgpu, against the
// float64 reference, where an adapter answers (here: Mesa's llvmpipe through Dawn's OpenGL ES backend,
// a software renderer). Tolerances are the suite's own, stated per case (TOL in @skipinit/tensor/testing).
import { afterAll, describe, expect, it } from 'vitest';
import { describeConformance } from '@skipinit/tensor/testing';
import { createGpuJsBackendAsync, probeWebGpu } from './index';

const probe = await probeWebGpu();
if (probe.ok) {
  describeConformance('webgpu', () => createGpuJsBackendAsync({ mode: 'webgpu' }), { describe, it, expect, afterAll }, { memoryIterations: 0 });
} else {
  // Never skipped: .ci/run installs what Dawn's OpenGL ES route needs (Mesa's EGL and llvmpipe); without an adapter
  // the webgpu mode is untested, and that is a failure that says what to install.
  describe('conformance: webgpu', () =>
    it('a WebGPU adapter answers', () => expect.fail(`no WebGPU adapter: ${probe.reason} (install libegl1 libegl-mesa0 libgl1-mesa-dri, as .ci/run does)`)));
}
