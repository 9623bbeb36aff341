// Everything the engine knows about gpu.js: the slice of its API it calls, typed narrowly, and every
// internal it reaches past that API (listed in missingInternals, at the end), in this one file.
// gpujs-adapter.test.ts pins each internal by name against the installed gpu.js (2.24.1), so an upgrade
// that changes one fails there, loudly. When the internals differ from what 2.24.x builds, WasmCall.of
// returns null and the engine keeps calling through gpu.js (correct, slower).

export interface GpuJsKernelSettings {
  output: number[];
  loopMaxIterations?: number;
  precision?: 'single' | 'unsigned';
  tactic?: 'speed' | 'balanced' | 'precision';
  pipeline?: boolean; immutable?: boolean; dynamicArguments?: boolean; dynamicOutput?: boolean; asyncMode?: boolean;
}

/** What `gpu.createKernel` returns: a callable with its (internal) kernel instance attached. */
export interface GpuJsKernel {
  (...args: unknown[]): unknown;
  kernel: object;
  fallbackReason: string | null;
  destroy(removeCanvasReferences?: boolean): void;
}

/** A pipeline texture (GL) or buffer handle (WebGPU). */
export type GpuJsResidentValue = { toArray(): unknown; delete(): void };
export type GpuJsInstance = { createKernel(source: string, settings: GpuJsKernelSettings): GpuJsKernel; destroy(): void | Promise<void> };

export interface GpuJsModule {
  GPU: {
    new (settings: { mode: 'webasm' | 'cpu' | 'headlessgl' | 'webgpu' }): GpuJsInstance;
    readonly isHeadlessGLSupported: boolean;
    readonly isWebAssemblySupported: boolean;
    readonly isSinglePrecisionSupported: boolean;
    isWebGPUAvailable(): Promise<boolean>;
  };
  WebAssemblyKernel: { readonly isSIMDSupported: boolean; readonly isThreadsSupported: boolean };
}

type Span = (start: number, end: number, seed: number) => void;
type Dispatch = (run: Span, runSimd: Span | null, cells: number, sizeX: number, seed: number) => string;

/** kernel._active: one built instance (module, memory, argument layout, run spans). */
interface ActiveEntry {
  id: number;
  module: object | null;
  memory: { buffer: ArrayBufferLike } | null;
  mathImports: string[];
  layout: {
    arrays: Record<string, { index: number; offset: number; flatLength: number }>;
    scalars: Record<string, { index: number; offset: number; type: string }>;
    constantArrays?: Record<string, unknown>;
    outputOffset: number;
  };
  cells: number;
  sizeX: number;
  run: Span;
  runSimd: Span | null;
  f32: Float32Array;
  i32: Int32Array;
  shared: boolean;
}

interface Internals {
  constructor: { mode: string; dispatchSpans?: Dispatch };
  precision?: string;
  _shapeOutput?: (data: Float32Array, output: number[], components: number) => unknown;
  _active?: ActiveEntry | null;
  usesRandom?: boolean;
  componentCount?: number;
  build?: (...args: unknown[]) => void;
  checkArgumentTypes?: (args: unknown[]) => void;
  switchingKernels?: unknown;
  fallbackRequested?: boolean;
  [FLAT]?: true;
}

const FLAT = Symbol('skipinit.flatOutputs');
const inner = (fn: GpuJsKernel) => fn.kernel as Internals;

/** The mode the kernel's current instance runs in, and the precision it chose. */
export const ranAs = (fn: GpuJsKernel): { mode: string; precision: string | undefined } => ({ mode: inner(fn).constructor.mode, precision: inner(fn).precision });

/**
 * webasm: have the kernel hand back its flat output instead of nested row arrays (gpu.js copies it
 * out of wasm memory, then "erects" it). When gpu.js swaps the instance (argument-type switch), the
 * next call re-installs this; toFlat covers the call between.
 */
export function flatOutputs(fn: GpuJsKernel): void {
  const k = inner(fn);
  if (k[FLAT] || typeof k._shapeOutput !== 'function') return;
  k._shapeOutput = (data: Float32Array) => data;
  k[FLAT] = true;
}

/** Builds the kernel for `args` as its first call would, without calling it (a kernel built for threads runs async). */
export function buildWithoutCalling(fn: GpuJsKernel, args: readonly unknown[]): void {
  const k = inner(fn);
  if (typeof k.build !== 'function' || typeof k.checkArgumentTypes !== 'function') throw new Error('gpu.js internals changed: kernel.build / kernel.checkArgumentTypes are missing');
  k.build(...args);
  k.checkArgumentTypes([...args]);
  if (k.fallbackRequested || (Array.isArray(k.switchingKernels) && k.switchingKernels.length > 0)) {
    throw new Error(`gpu.js would not build this kernel for webasm (${fn.fallbackReason ?? 'argument types'})`);
  }
}

/** A kernel result (flat typed array or nested arrays of rows/cells) as one flat Float32Array. */
export function toFlat(result: unknown, size: number, op: string, copy: boolean): Float32Array {
  if (result instanceof Float32Array && result.length === size) return copy ? result.slice() : result;
  const out = new Float32Array(size);
  let i = 0;
  const walk = (v: unknown): void => {
    if (typeof v === 'number') out[i++] = v;
    else if (ArrayBuffer.isView(v)) {
      out.set(v as Float32Array, i);
      i += (v as Float32Array).length;
    } else if (Array.isArray(v)) for (const e of v) walk(e);
    else throw new Error(`${op}: unexpected kernel result of type ${typeof v}`);
  };
  walk(result);
  if (i !== size) throw new Error(`${op}: kernel returned ${i} values, expected ${size}`);
  return out;
}

/**
 * What a helper thread needs to run cell ranges of a kernel over its shared memory: gpu.js's id of the
 * module (unique in the process), the module, its shared WebAssembly.Memory, and the cells per row
 * (thread.x extent: SIMD quads never cross a row).
 */
export type SharedKernel = { readonly id: number; readonly module: object; readonly memory: object; readonly mathImports: readonly string[]; readonly cells: number; readonly sizeX: number; readonly simd: boolean };

/** An argument's place in the instance memory (`at`: a float offset). */
type Slot = { readonly index: number; readonly at: number; readonly length: number; readonly integer: boolean };

/**
 * A direct call into a built webasm kernel. gpu.js keeps one instance per size signature, its memory
 * laid out [ args | constants | output ] with offsets baked into the bytecode; a call through gpu.js
 * re-checks types, recomputes the signature, copies arguments in and slices the output into a fresh
 * array. The engine calls each kernel with the same sizes every time (its key holds the shapes), so it
 * writes the arguments itself, runs the spans gpu.js would, and copies the output region out.
 */
export class WasmCall {
  private constructor(
    private readonly owner: object,
    private readonly entry: ActiveEntry,
    private readonly arrays: readonly Slot[],
    private readonly scalars: readonly Slot[],
    private readonly dispatch: Dispatch,
    private readonly outAt: number,
    private readonly outLength: number,
  ) {}

  /** The call for `fn` as gpu.js last ran (or built) it with `args`; null when the internals differ or it draws random numbers. */
  static of(fn: GpuJsKernel, args: readonly unknown[]): WasmCall | null {
    const k = inner(fn);
    const e = k._active;
    const dispatch = k.constructor.dispatchSpans;
    if (k.constructor.mode !== 'webasm' || typeof dispatch !== 'function' || k.usesRandom) return null;
    if (!e || typeof e.run !== 'function' || !(e.f32 instanceof Float32Array) || !e.layout) return null;
    if (e.shared && !(e.module !== null && typeof e.module === 'object' && e.memory?.buffer instanceof SharedArrayBuffer)) return null;
    const arrays: Slot[] = [];
    const scalars: Slot[] = [];
    for (const r of Object.values(e.layout.arrays ?? {})) {
      const a = args[r.index];
      if (!(a instanceof Float32Array) || a.length !== r.flatLength || r.offset % 4 !== 0) return null;
      arrays.push({ index: r.index, at: r.offset / 4, length: r.flatLength, integer: false });
    }
    for (const r of Object.values(e.layout.scalars ?? {})) {
      if (typeof args[r.index] !== 'number' || r.offset % 4 !== 0 || !['Number', 'Float', 'Integer'].includes(r.type)) return null;
      scalars.push({ index: r.index, at: r.offset / 4, length: 1, integer: r.type === 'Integer' });
    }
    if (arrays.length + scalars.length !== args.length || Object.keys(e.layout.constantArrays ?? {}).length > 0) return null;
    return new WasmCall(fn.kernel, e, arrays, scalars, dispatch, e.layout.outputOffset / 4, e.cells * (k.componentCount ?? 1));
  }

  /** Still the instance gpu.js runs for this kernel (gpu.js may swap it on an argument type change). */
  validFor(fn: GpuJsKernel): boolean {
    return fn.kernel === this.owner && inner(fn)._active === this.entry && this.entry.f32 !== null;
  }

  /** Runs on `args` (the sizes it was made for) and returns a view of the output: copy it before the next run. */
  run(args: readonly unknown[]): Float32Array {
    this.write(args);
    const e = this.entry;
    this.dispatch(e.run, e.runSimd, e.cells, e.sizeX, 0);
    return this.output();
  }

  /** The module and shared memory other threads instantiate to run cell ranges of this kernel, or null. */
  get shared(): SharedKernel | null {
    const e = this.entry;
    if (!e.shared || e.module === null || e.memory === null) return null;
    return { id: e.id, module: e.module, memory: e.memory, mathImports: e.mathImports, cells: e.cells, sizeX: e.sizeX, simd: e.runSimd !== null };
  }

  /** Runs cells [start, end) on this thread (boundaries from spanUnit). */
  runCells(start: number, end: number): void {
    runCells(this.entry.run, this.entry.runSimd, this.entry.sizeX, start, end);
  }

  output(): Float32Array {
    return this.entry.f32.subarray(this.outAt, this.outAt + this.outLength);
  }

  write(args: readonly unknown[]): void {
    const { f32, i32 } = this.entry;
    for (const s of this.arrays) {
      const a = args[s.index] as Float32Array;
      if (a.length !== s.length) throw new RangeError(`internal: kernel argument ${s.index} holds ${a.length} values, built for ${s.length}`);
      f32.set(a, s.at);
    }
    for (const s of this.scalars) {
      const v = args[s.index] as number;
      if (s.integer) i32[s.at] = v | 0;
      else f32[s.at] = v;
    }
  }
}

/** Cells a range of a split kernel starts and ends on: a SIMD quad where rows hold a multiple of 4 cells (or no SIMD), else whole rows. */
export function spanUnit(sizeX: number, simd: boolean): number {
  return !simd || (sizeX & 3) === 0 ? 4 : sizeX;
}

/** Runs cells [start, end) as WebAssemblyKernel.dispatchSpans runs all of them (worker-pool.ts repeats this in its helpers). */
export function runCells(run: Span, runSimd: Span | null, sizeX: number, start: number, end: number): void {
  if (runSimd === null) {
    run(start, end, 0);
    return;
  }
  if ((sizeX & 3) === 0) {
    const quads = end & ~3;
    if (quads > start) runSimd(start, quads, 0);
    if (end > Math.max(start, quads)) run(Math.max(start, quads), end, 0);
    return;
  }
  const quadSpan = sizeX & ~3;
  for (let base = start; base < end; base += sizeX) {
    if (quadSpan > 0) runSimd(base, base + quadSpan, 0);
    run(base + quadSpan, base + sizeX, 0);
  }
}

/** The internals above that `fn` (a webasm kernel run once with `args`) lacks, by name: empty when all are there. */
export function missingInternals(fn: GpuJsKernel, args: readonly unknown[]): string[] {
  const k = inner(fn);
  const e = k._active;
  const fnOf = (v: unknown) => typeof v === 'function';
  const checks: Record<string, boolean> = {
    'kernel.constructor.mode': typeof k.constructor?.mode === 'string',
    'WebAssemblyKernel.dispatchSpans': fnOf(k.constructor?.dispatchSpans),
    'kernel.precision': typeof k.precision === 'string',
    'kernel._shapeOutput': fnOf(k._shapeOutput),
    'kernel.build': fnOf(k.build),
    'kernel.checkArgumentTypes': fnOf(k.checkArgumentTypes),
    'kernel.fallbackRequested': 'fallbackRequested' in k,
    'kernel.usesRandom': typeof k.usesRandom === 'boolean',
    'kernel.componentCount': typeof k.componentCount === 'number',
    'kernel._active': typeof e === 'object' && e !== null,
    'kernel._active.run': fnOf(e?.run),
    'kernel._active.f32 / .i32': e?.f32 instanceof Float32Array && e.i32 instanceof Int32Array,
    'kernel._active.cells / .sizeX': typeof e?.cells === 'number' && typeof e.sizeX === 'number',
    'kernel._active.layout (arrays, scalars, outputOffset)': typeof e?.layout?.arrays === 'object' && typeof e.layout.scalars === 'object' && typeof e.layout.outputOffset === 'number',
    'kernel._active.shared': typeof e?.shared === 'boolean',
    'kernel._active (shared: id, module, memory, mathImports)': !e?.shared || (typeof e.id === 'number' && typeof e.module === 'object' && e.memory?.buffer instanceof SharedArrayBuffer && Array.isArray(e.mathImports)),
    'WasmCall.of (the layout as 2.24.x builds it)': WasmCall.of(fn, args) !== null,
  };
  return Object.keys(checks).filter((name) => !checks[name]);
}

/**
 * Whether gpu.js's WebAssembly generator returns Array(8) from a kernel: patches/gpu.js+2.24.1.patch (applied by
 * this repository's postinstall) allows up to Array(16); stock gpu.js 2.24.1, as an installed package gets it,
 * stops at Array(4). Probed once per executor with a one-cell kernel, so the engine runs either way.
 */
export function returnsWideArrays(gpu: GpuJsInstance): boolean {
  let fn: GpuJsKernel | null = null;
  try {
    const source = 'function(a) { return [a[0], a[0], a[0], a[0], a[0], a[0], a[0], a[0]]; }';
    fn = gpu.createKernel(source, { output: [1], precision: 'single', dynamicArguments: false, dynamicOutput: false, loopMaxIterations: 1 });
    buildWithoutCalling(fn, [new Float32Array(1)]);
    return true;
  } catch {
    return false;
  } finally {
    fn?.destroy();
  }
}
