import { describe, expect, it } from 'vitest';
import { adapterKind, chooseAdapter, SOFTWARE_LABEL } from './adapter-choice';
import type { AdapterCandidate } from './adapter-choice';

// Adapters as Dawn describes them (llvmpipe: this machine, measured; the others as their drivers name them).
const llvmpipe: AdapterCandidate = {
  backend: 'OpenGL ES',
  featureLevel: 'compatibility',
  info: { vendor: '', architecture: '', device: 'llvmpipe-llvm-15-0-6-256-bits-', description: 'OpenGL version OpenGL ES 3.2 Mesa 22.3.6', isFallbackAdapter: false },
};
const lavapipe: AdapterCandidate = { backend: 'Vulkan', featureLevel: 'core', info: { vendor: 'mesa', architecture: '', device: 'llvmpipe (LLVM 19.1.7, 256 bits)', description: 'Mesa 25.0.7 (LLVM 19.1.7)' } };
const swiftshader: AdapterCandidate = { backend: 'Vulkan', featureLevel: 'core', info: { vendor: 'google', architecture: 'swiftshader', device: 'SwiftShader Device (Subzero)', description: 'SwiftShader driver', isFallbackAdapter: true } };
const nvidia: AdapterCandidate = { backend: 'Vulkan', featureLevel: 'core', info: { vendor: 'nvidia', architecture: 'hopper', device: 'NVIDIA H200', description: 'NVIDIA: 570.133.20' } };
const intelGl: AdapterCandidate = { backend: 'OpenGL ES', featureLevel: 'compatibility', info: { vendor: 'intel', architecture: '', device: 'Mesa Intel(R) UHD Graphics 620 (KBL GT2)', description: 'OpenGL ES 3.2 Mesa 22.3.6' } };

describe('choosing a WebGPU adapter', () => {
  it('tells software renderers from hardware by Dawn’s fallback flag or by name', () => {
    expect(adapterKind(llvmpipe.info)).toEqual({ kind: 'software', why: "'llvmpipe' is a CPU implementation" });
    expect(adapterKind(lavapipe.info).kind).toBe('software');
    expect(adapterKind(swiftshader.info)).toEqual({ kind: 'software', why: 'Dawn marks it a fallback adapter' });
    expect(adapterKind(nvidia.info).kind).toBe('hardware');
    expect(adapterKind(intelGl.info).kind).toBe('hardware');
  });

  it('takes hardware first (whatever the order asked), then the core feature level, then the order asked', () => {
    expect(chooseAdapter([llvmpipe, nvidia])!.chosen).toBe(nvidia);
    expect(chooseAdapter([llvmpipe, intelGl])!.chosen).toBe(intelGl);
    expect(chooseAdapter([llvmpipe, lavapipe])!.chosen).toBe(lavapipe);
    expect(chooseAdapter([swiftshader, lavapipe])!.chosen).toBe(swiftshader);
    expect(chooseAdapter([])).toBeNull();
  });

  it('says which adapter runs and why; a software one is labelled, and auto may not train on it', () => {
    const soft = chooseAdapter([llvmpipe], ['Vulkan: no adapter'])!;
    expect(soft.kind).toBe('software');
    expect(soft.autoMayUse).toBe(false);
    expect(soft.description).toBe(
      "WebGPU adapter 'llvmpipe-llvm-15-0-6-256-bits' (OpenGL version OpenGL ES 3.2 Mesa 22.3.6) via Dawn's OpenGL ES backend, compatibility feature level: " +
        `${SOFTWARE_LABEL} ('llvmpipe' is a CPU implementation); chosen because no hardware adapter answered; Vulkan: no adapter`,
    );
    const hard = chooseAdapter([llvmpipe, nvidia])!;
    expect(hard.autoMayUse).toBe(true);
    expect(hard.description).toBe("WebGPU adapter 'NVIDIA H200' (NVIDIA: 570.133.20) via Dawn's Vulkan backend, core feature level: a hardware adapter");
    expect(hard.description).not.toContain(SOFTWARE_LABEL);
  });
});
