// Helpers that write gpu.js kernel source text.
//
// Every kernel is generated per (op, shapes) with sizes baked in as literals: gpu.js's WebAssembly
// backend bakes array offsets and dims into its bytecode anyway, and literal loop bounds are what
// its compiler recognises as bounded ("safe") loops. gpu.js types thread ids, integer literals and
// bitwise results (`(c | 0)`) as Integer and keeps their sums and products in i32, but every
// declared local is float32: a value held in a local is exact only below 2^24 (FLOAT_EXACT). So
// kernels keep locals small (a coordinate, a pixel offset in one plane) and build every index that
// can grow with the tensor inline from thread ids and `(local | 0)` terms (flat-layout.ts).

/** What a generated kernel needs: its source and gpu.js output dims. */
export interface KernelSpec {
  /** Label for cache statistics and errors, e.g. 'binary.add' or 'matmul'. */
  readonly op: string;
  /** A gpu.js kernel function as text. */
  readonly source: string;
  /** gpu.js output dims, fastest first: [x], [x, y] or [x, y, z]. */
  readonly output: readonly number[];
  /** Values returned per thread (Array(n) returns: 2-4 in every host mode, up to 16 on webasm); 1 when omitted. */
  readonly components?: number;
  /**
   * Floating-point work of one run, for heavy kernels whose outermost output axis may be split
   * across threads (each part reads the same inputs and writes a contiguous slice).
   */
  readonly splitWork?: number;
}

/** float32 holds every integer below 2^24 exactly: kernel locals (always float32) used in index math stay below it. */
export const FLOAT_EXACT = 2 ** 24;

/**
 * Elements per tensor in GPU modes (float indices into textures and buffers: 2^24 - 1) and in host
 * modes (webasm, cpu: i32 indices; 2^28 - 1, 1 GiB of float32, so a kernel's arguments and result
 * fit the 4 GiB a WebAssembly memory can address).
 */
export const MAX_INDEXABLE = FLOAT_EXACT - 1;
export const MAX_HOST_ELEMENTS = 2 ** 28 - 1;

export function checkIndexable(op: string, what: string, size: number, max: number = MAX_INDEXABLE): void {
  const why = max === MAX_INDEXABLE ? "gpu.js's GPU modes index in float32, so they hold at most" : 'this backend holds at most';
  if (size > max) throw new RangeError(`${op}: ${what} has ${size} elements; ${why} ${max} elements per tensor`);
}

/** The smallest normal float32; below it values are denormal. */
const MIN_NORMAL = '1.1754944e-38';

/**
 * `v` with denormal values flushed to 0 (as an expression; `v` must be a local name). WebAssembly has
 * no flush-to-zero mode, and x86 SIMD arithmetic on denormal operands is slow: a 64x128x128 matmul
 * takes 1.42 ms with denormal operands against 0.53 ms with normal ones. Unnormalised deep nets can
 * drive activations and gradients that small, so heavy kernels flush what they write (at no
 * measurable cost: 0.50 ms best with the flush, 0.50 ms without).
 */
export function flushDenormal(v: string): string {
  return `(Math.abs(${v}) < ${MIN_NORMAL} ? 0.0 : ${v})`;
}

/** `n` accumulators s0.., declared, then returned as Array(n) with denormals flushed (Array(4): ZERO4, RETURN_FLUSHED). */
export const zeros = (n: number): string[] => Array.from({ length: n }, (_, i) => `let s${i} = 0.0;`);
export const returnFlushed = (n: number): string => `return [${Array.from({ length: n }, (_, i) => flushDenormal(`s${i}`)).join(', ')}];`;
export const ZERO4 = zeros(4);
export const RETURN_FLUSHED = returnFlushed(4);

/** A float literal the gpu.js type system reads as a float ('2.0', not '2'). */
export function fl(x: number): string {
  if (!Number.isFinite(x)) throw new RangeError(`kernel literal must be finite, got ${x}`);
  return Number.isInteger(x) ? `${x}.0` : String(x);
}

/** An integer literal. */
export function int(x: number): string {
  if (!Number.isInteger(x)) throw new RangeError(`kernel index literal must be an integer, got ${x}`);
  return String(x);
}

export function kernelFunction(params: readonly string[], body: readonly string[]): string {
  return `function(${params.join(', ')}) {\n  ${body.join('\n  ')}\n}`;
}

/** Sum of `coef * term` as kernel source, dropping zero coefficients; '0' when empty. */
export function linear(terms: readonly (readonly [string, number])[], constant = 0): string {
  const parts = terms.filter(([, coef]) => coef !== 0).map(([term, coef]) => (coef === 1 ? term : `${term} * ${int(coef)}`));
  if (constant !== 0 || parts.length === 0) parts.push(int(constant));
  return parts.join(' + ');
}

/**
 * Statements that split flat index `flat` into coordinates over `dims` (outermost first), named
 * `${prefix}0`, `${prefix}1`, ... (float locals). Division is float32 and exact for flat < 2^24:
 * flatLayout (flat-layout.ts) keeps every decomposed flat index below that.
 */
export function decompose(flat: string, dims: readonly number[], prefix: string): string[] {
  const r = dims.length;
  if (r <= 1) return r === 0 ? [] : [`const ${prefix}0 = ${flat};`];
  const lines: string[] = [];
  let rest = flat;
  let inner = dims.reduce((p, d) => p * d, 1);
  for (let k = 0; k < r - 1; k++) {
    inner /= dims[k]!;
    lines.push(`const ${prefix}${k} = Math.floor(${rest} / ${fl(inner)});`, `const ${prefix}r${k} = ${rest} - ${prefix}${k} * ${int(inner)};`);
    rest = `${prefix}r${k}`;
  }
  lines.push(`const ${prefix}${r - 1} = ${rest};`);
  return lines;
}

export function product(shape: readonly number[]): number {
  let p = 1;
  for (const d of shape) p *= d;
  return p;
}

export function contiguousStrides(shape: readonly number[]): number[] {
  const strides = new Array<number>(shape.length);
  let s = 1;
  for (let k = shape.length - 1; k >= 0; k--) {
    strides[k] = s;
    s *= shape[k]!;
  }
  return strides;
}

/**
 * Merges adjacent dims that every operand walks contiguously (or broadcasts along both), and
 * drops size-1 dims. Returns the merged dims and each operand's merged strides.
 */
export function mergeDims(dims: readonly number[], strides: readonly (readonly number[])[]): { dims: number[]; strides: number[][] } {
  const outDims: number[] = [];
  const outStrides: number[][] = strides.map(() => []);
  for (let k = 0; k < dims.length; k++) {
    const d = dims[k]!;
    if (d === 1) continue;
    const last = outDims.length - 1;
    if (last >= 0 && strides.every((st, j) => outStrides[j]![last] === st[k]! * d)) {
      outDims[last] = outDims[last]! * d;
      strides.forEach((st, j) => (outStrides[j]![last] = st[k]!));
    } else {
      outDims.push(d);
      strides.forEach((st, j) => outStrides[j]!.push(st[k]!));
    }
  }
  return { dims: outDims, strides: outStrides };
}

/** Strides of `shape` read as broadcast to `outShape` (numpy rules; missing leading dims broadcast). */
export function broadcastStrides(shape: readonly number[], outShape: readonly number[]): number[] {
  const own = contiguousStrides(shape);
  const offset = outShape.length - shape.length;
  return outShape.map((d, k) => (k < offset || (shape[k - offset] === 1 && d !== 1) ? 0 : own[k - offset]!));
}
