// The gpu.js engines the tests run on: one Engine per mode, made once per test file.
import type { GpuJsMode } from '@skipinit/backend-gpujs';
import { createGpuJsBackend } from '@skipinit/backend-gpujs';
import { Engine } from '@skipinit/tensor';

/** The modes every machine runs (headlessgl and webgpu need extra installs; see the backend-gpujs README's mode table). */
export const MODES: readonly GpuJsMode[] = ['webasm', 'cpu'];

export function gpuEngine(mode: GpuJsMode): Engine {
  const backend = createGpuJsBackend({ mode });
  if (backend.mode !== mode) throw new Error(`asked for gpu.js mode ${mode}, got ${backend.mode}`);
  return new Engine(backend);
}
