// The resident executor (headlessgl, webgpu): data stays on the device between kernels. headlessgl's
// results are float32 textures (pipeline, immutable; precision 'single', never gpu.js's lossy packing)
// that feed the next kernel directly. WebGPU's kernel calls are asynchronous: a result is a Promise of a
// GPU buffer; kernels enqueue in order, a free waits for every kernel enqueued before it, and reads are
// Promises (`syncRead` false: Backend.read throws, readAsync works). Nothing above this file waits.

import { toFlat, type GpuJsInstance, type GpuJsResidentValue } from './gpujs-adapter';
import { GpuJsExecutor, type Compiled, type Executor, type KernelArg, type Payload, type RunOptions } from './executor';
import type { CacheLimits } from './kernel-cache';
import type { KernelSpec } from './kernel-source';
import { COPY, FILL } from './kernels/sgd';
import type { NavigatorScope } from './webgpu/navigator-scope';

export class ResidentExecutor extends GpuJsExecutor<Compiled> implements Executor {
  readonly host = false;
  readonly threads = 1;
  readonly syncRead: boolean;
  /** webgpu: settles after every kernel enqueued so far, so frees never overtake a pending reader. */
  private tail: Promise<unknown> = Promise.resolve();

  /** webgpu in Node: gpu.js sees navigator.gpu only inside this (webgpu/navigator-scope.ts). */
  private readonly scope: NavigatorScope;

  constructor(mode: 'headlessgl' | 'webgpu', gpu: GpuJsInstance, limits: CacheLimits, scope?: NavigatorScope) {
    super(mode, gpu, limits);
    this.scope = scope ?? ((fn) => fn());
    this.syncRead = mode !== 'webgpu';
  }

  protected create(spec: KernelSpec): Compiled {
    const components = spec.components ?? 1;
    if (components !== 1) throw new Error(`${spec.op}: internal: Array(${components}) kernels are only used in webasm/cpu, not '${this.mode}'`);
    const fn = this.scope(() => this.createKernel(spec, this.mode === 'headlessgl' ? { pipeline: true, immutable: true, tactic: 'precision' } : { pipeline: true, immutable: true }));
    return { fn, spec, outputSize: spec.output.reduce((p, d) => p * d, 1) };
  }

  run(c: Compiled, args: readonly KernelArg[], options?: RunOptions): Payload {
    if (options?.post !== undefined) throw new Error(`${c.spec.op}: internal: host post-processing asked of '${this.mode}'`);
    const result = this.mode === 'webgpu' ? this.runAsync(c, args) : (this.call(c, args) as GpuJsResidentValue);
    if (result instanceof Promise) this.tail = Promise.allSettled([this.tail, result]);
    else this.checkRan(c, true);
    if (options?.into !== undefined) this.free(options.into);
    return result;
  }

  private async runAsync(c: Compiled, args: readonly KernelArg[]): Promise<Float32Array | GpuJsResidentValue> {
    const resolved = await Promise.all(args);
    const result = await (this.scope(() => c.fn(...resolved)) as Promise<unknown>);
    this.checkRan(c, true);
    return result as GpuJsResidentValue;
  }

  read(p: Payload, size: number): Float32Array | Promise<Float32Array> {
    if (!this.syncRead || p instanceof Promise) return this.readAsync(p, size);
    if (p instanceof Float32Array) return p.slice(0, size);
    return toFlat(p.toArray(), size, 'read', true);
  }

  private async readAsync(p: Payload, size: number): Promise<Float32Array> {
    const v = await p;
    if (v instanceof Float32Array) return v.slice(0, size);
    return toFlat(await (v.toArray() as unknown), size, 'readAsync', true);
  }

  free(p: Payload): void {
    if (p instanceof Float32Array) return;
    if (p instanceof Promise) {
      this.tail.then(() => p).then(
        (v) => {
          if (!(v instanceof Float32Array)) v.delete();
        },
        () => undefined,
      );
      return;
    }
    p.delete();
  }

  upload = (values: ArrayLike<number>): Payload => this.copy(Float32Array.from(values), values.length);
  fill = (size: number, value: number): Payload => (size === 0 ? new Float32Array(0) : this.run(this.compile(FILL, { size }), [value]));
  copy = (p: Payload, size: number): Payload => (size === 0 ? new Float32Array(0) : this.run(this.compile(COPY, { size }), [p]));

  alloc(): Float32Array {
    throw new Error(`internal: a plan laid out image chunks in mode '${this.mode}' (host modes only)`);
  }
}
