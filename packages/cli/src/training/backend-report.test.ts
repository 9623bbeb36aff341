import { describe, expect, it } from 'vitest';
import { selectionHead, shortReason, skippedLines } from './backend-report';

// Reasons as the gpu.js engine gives them on machines like this one.
const LINKER =
  "the 'webgpu' package does not load: /work/node_modules/webgpu/dist/linux-x64/dawn.node: /lib/x86_64-linux-gnu/libstdc++.so.6: version `GLIBCXX_3.4.32' not found (required by /work/node_modules/webgpu/dist/linux-x64/dawn.node)";
const selection = {
  mode: 'webasm' as const,
  forced: false,
  notes: ['WebAssembly SIMD (f32x4)', 'synchronous calls', '2 threads'],
  skipped: [
    { mode: 'webgpu' as const, reason: LINKER },
    { mode: 'headlessgl' as const, reason: "the 'gl' package is not installed (an optional dependency of gpu.js, built from source)" },
  ],
};

describe('the backend lines of a run header', () => {
  it('shorten each reason to its first clause, at most 60 characters cut at a word', () => {
    expect(shortReason(LINKER)).toBe("the 'webgpu' package does not load");
    expect(shortReason('finding a WebGPU adapter is asynchronous: use createGpuJsBackendAsync() for webgpu')).toBe('finding a WebGPU adapter is asynchronous');
    expect(shortReason('WebAssembly is not available in this runtime')).toBe('WebAssembly is not available in this runtime');
    const long = shortReason('the WebGL context cannot read float textures, and lossy 8-bit packing is refused');
    expect(long).toBe('the WebGL context cannot read float textures, and lossy…');
    expect(long.length).toBeLessThanOrEqual(60);
  });

  it('give the mode and its notes on one line, then one line per skipped mode; --verbose keeps every reason whole', () => {
    expect(selectionHead(selection)).toBe("gpu.js mode 'webasm': WebAssembly SIMD (f32x4), synchronous calls, 2 threads");
    expect(skippedLines(selection, false)).toEqual(["skipped webgpu: the 'webgpu' package does not load", "skipped headlessgl: the 'gl' package is not installed"]);
    expect(skippedLines(selection, true)).toEqual([`skipped webgpu: ${LINKER}`, `skipped headlessgl: ${selection.skipped[1].reason}`]);
    expect(skippedLines({ ...selection, skipped: [] }, false)).toEqual([]);
  });
});
