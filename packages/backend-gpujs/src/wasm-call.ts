// A direct call into a built gpu.js webasm kernel, without gpu.js's per-call machinery.
//
// gpu.js's webasm kernel keeps one WebAssembly instance per size signature, its memory laid out
// [ args | constants | output ] with every offset baked into the bytecode. A call through gpu.js
// re-checks argument types, recomputes the size signature (string joins), copies the arguments in,
// runs, and slices the output into a fresh array (a fresh allocation: page faults, on every call).
// The engine calls each kernel with the same argument sizes every time (its cache key holds the
// shapes), so after gpu.js has built the kernel on the first call, this writes the arguments into the
// instance's memory itself, runs the same exported `run`/`run_simd` spans gpu.js would
// (WebAssemblyKernel.dispatchSpans), and hands the caller a view of the output region to copy out.
//
// This reads gpu.js internals (kernel._active, its layout): `wasmCallOf` checks their shape and
// returns null when anything differs from what 2.24.x builds, and the engine then keeps calling
// through gpu.js.

import type { GpuJsKernel } from './gpujs-api';

interface ArraySlot {
  readonly index: number;
  /** Float offset in the instance memory. */
  readonly at: number;
  readonly length: number;
}

interface ScalarSlot {
  readonly index: number;
  readonly at: number;
  readonly integer: boolean;
}

type Span = (start: number, end: number, seed: number) => void;

interface ActiveEntry {
  id: number;
  /** A compiled WebAssembly.Module (opaque here). */
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

interface WasmKernelInternals {
  _active?: ActiveEntry | null;
  usesRandom?: boolean;
  componentCount?: number;
  constructor: { mode: string; dispatchSpans?: (run: Span, runSimd: Span | null, cells: number, sizeX: number, seed: number) => string };
}

export class WasmCall {
  private constructor(
    private readonly inner: object,
    private readonly entry: ActiveEntry,
    private readonly arrays: readonly ArraySlot[],
    private readonly scalars: readonly ScalarSlot[],
    private readonly dispatch: (run: Span, runSimd: Span | null, cells: number, sizeX: number, seed: number) => string,
    /** Float offset and length of the output region. */
    readonly outAt: number,
    readonly outLength: number,
  ) {}

  /**
   * The direct call for `fn` as gpu.js last ran it with `args`, or null when its internals are not
   * the expected ones (or the kernel draws random numbers, which need gpu.js's per-call seeding).
   */
  static of(fn: GpuJsKernel, args: readonly unknown[]): WasmCall | null {
    const inner = fn.kernel as unknown as WasmKernelInternals;
    const entry = inner._active;
    const dispatch = inner.constructor.dispatchSpans;
    if (inner.constructor.mode !== 'webasm' || typeof dispatch !== 'function' || inner.usesRandom) return null;
    if (!entry || typeof entry.run !== 'function' || !(entry.f32 instanceof Float32Array) || !entry.layout) return null;
    if (entry.shared && !(entry.module !== null && typeof entry.module === 'object' && entry.memory?.buffer instanceof SharedArrayBuffer)) return null;
    const arrays: ArraySlot[] = [];
    const scalars: ScalarSlot[] = [];
    let count = 0;
    for (const r of Object.values(entry.layout.arrays ?? {})) {
      const a = args[r.index];
      if (!(a instanceof Float32Array) || a.length !== r.flatLength || r.offset % 4 !== 0) return null;
      arrays.push({ index: r.index, at: r.offset / 4, length: r.flatLength });
      count++;
    }
    for (const r of Object.values(entry.layout.scalars ?? {})) {
      if (typeof args[r.index] !== 'number' || r.offset % 4 !== 0) return null;
      if (r.type !== 'Number' && r.type !== 'Float' && r.type !== 'Integer') return null;
      scalars.push({ index: r.index, at: r.offset / 4, integer: r.type === 'Integer' });
      count++;
    }
    if (count !== args.length || Object.keys(entry.layout.constantArrays ?? {}).length > 0) return null;
    const outLength = entry.cells * (inner.componentCount ?? 1);
    return new WasmCall(fn.kernel, entry, arrays, scalars, dispatch, entry.layout.outputOffset / 4, outLength);
  }

  /** Still the instance gpu.js runs for this kernel (gpu.js may swap it on an argument type change). */
  validFor(fn: GpuJsKernel): boolean {
    const inner = fn.kernel as unknown as WasmKernelInternals;
    return fn.kernel === this.inner && inner._active === this.entry && this.entry.f32 !== null;
  }

  /**
   * Runs the kernel on `args` (same sizes and kinds as when it was made) and returns a view of its
   * output in the instance memory: valid until the kernel's next run, so copy it out first.
   */
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

  /** Runs cells [start, end) on this thread: start and end on quad boundaries of a row (see spanUnit). */
  runCells(start: number, end: number): void {
    const e = this.entry;
    runCells(e.run, e.runSimd, e.sizeX, start, end);
  }

  /** The output region (a view: copy it before the kernel's next run). */
  output(): Float32Array {
    return this.entry.f32.subarray(this.outAt, this.outAt + this.outLength);
  }

  /** Writes the arguments into the instance memory. */
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

/** What a helper thread needs to run cell ranges of a kernel over its shared memory. */
export interface SharedKernel {
  /** gpu.js's id of the module (unique in the process). */
  readonly id: number;
  /** The kernel's compiled WebAssembly.Module. */
  readonly module: object;
  /** Its shared WebAssembly.Memory. */
  readonly memory: object;
  readonly mathImports: readonly string[];
  readonly cells: number;
  /** Cells per row (thread.x extent): SIMD quads never cross a row. */
  readonly sizeX: number;
  readonly simd: boolean;
}

/**
 * Cells a range of a split kernel starts and ends on: 4 (a SIMD quad) when rows hold a multiple of 4
 * cells (or there is no SIMD path), else whole rows.
 */
export function spanUnit(sizeX: number, simd: boolean): number {
  return !simd || (sizeX & 3) === 0 ? 4 : sizeX;
}

/**
 * Runs cells [start, end) of a kernel the way gpu.js's dispatchSpans runs all of them: the SIMD span
 * where rows are quad-aligned, else per row a SIMD span and a scalar tail. `start` and `end` are
 * multiples of spanUnit (or `end` the cell count).
 */
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
