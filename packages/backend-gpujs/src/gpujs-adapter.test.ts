// The gpu.js internals the engine relies on (gpujs-adapter.ts), pinned against the installed gpu.js: a
// gpu.js upgrade that changes one fails here, naming it, instead of the engine silently taking its slow
// path (or computing through an internal that means something else now).

import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { WasmCall, buildWithoutCalling, flatOutputs, missingInternals, ranAs, returnsWideArrays, type GpuJsInstance, type GpuJsKernel } from './gpujs-adapter';
import { nodePlatform } from './node';

const version = (JSON.parse(readFileSync(createRequire(import.meta.url).resolve('gpu.js/package.json'), 'utf8')) as { version: string }).version;
const SOURCE = 'function(x, s) { return x[this.thread.x] * s; }';

function kernel(cells: number, asyncMode: boolean): { fn: GpuJsKernel; args: [Float32Array, number] } {
  const gpu = new (nodePlatform.gpuJs().GPU)({ mode: 'webasm' });
  const fn = gpu.createKernel(SOURCE, { output: [cells], precision: 'single', ...(asyncMode ? { asyncMode } : {}) });
  return { fn, args: [Float32Array.from({ length: cells }, (_, i) => i), 3] };
}

describe(`gpu.js ${version} internals`, () => {
  it('a webasm kernel has every internal the direct call uses, and the direct call computes what gpu.js does', () => {
    const { fn, args } = kernel(8, false);
    flatOutputs(fn);
    const through = fn(...args) as Float32Array;
    expect(through).toBeInstanceOf(Float32Array); // flat, not row arrays
    expect(missingInternals(fn, args)).toEqual([]);
    expect(ranAs(fn)).toEqual({ mode: 'webasm', precision: 'single' });
    expect(Array.from(WasmCall.of(fn, args)!.run(args))).toEqual(Array.from(through));
    fn.destroy();
  });

  it('a kernel built for threads (without calling it) is over shared memory', () => {
    const { fn, args } = kernel(4096, true);
    buildWithoutCalling(fn, args);
    expect(missingInternals(fn, args)).toEqual([]);
    const call = WasmCall.of(fn, args)!;
    expect(call.shared).toMatchObject({ cells: 4096, sizeX: 4096 });
    call.write(args);
    call.runCells(0, 4096);
    expect(call.output()[4095]).toBe(4095 * 3);
    fn.destroy();
  });

  it('names an internal that is gone', () => {
    const { fn, args } = kernel(8, false);
    fn(...args);
    Object.defineProperty(fn.kernel, '_shapeOutput', { value: undefined });
    (fn.kernel as { _active: unknown })._active = null;
    expect(missingInternals(fn, args)).toEqual(expect.arrayContaining(['kernel._shapeOutput', 'kernel._active', 'WasmCall.of (the layout as 2.24.x builds it)']));
    fn.destroy();
  });
});

describe('returnsWideArrays (the patched code generator, or stock gpu.js)', () => {
  it("is true for this repository's patched gpu.js in webasm, false for a generator that refuses Array(8) (stock gpu.js 2.24.1)", () => {
    const { GPU } = createRequire(import.meta.url)('gpu.js') as { GPU: new (s: { mode: string }) => GpuJsInstance };
    const webasm = new GPU({ mode: 'webasm' });
    expect(returnsWideArrays(webasm)).toBe(true);
    void webasm.destroy();
    const stock: GpuJsInstance = {
      createKernel: () => {
        throw new Error('WebAssembly backend does not yet support returning Array(8)');
      },
      destroy: () => undefined,
    };
    expect(returnsWideArrays(stock)).toBe(false);
  });
});
