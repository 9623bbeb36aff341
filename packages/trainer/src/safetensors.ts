// The safetensors format (https://huggingface.co/docs/safetensors), written and read without a
// dependency:
//
//   8 bytes    N, the header length, unsigned little-endian 64-bit
//   N bytes    a JSON object: "__metadata__" -> { string: string }, and for each tensor
//              name -> { "dtype": "F32", "shape": [2, 3], "data_offsets": [begin, end] }
//              (offsets relative to the start of the data, end exclusive), padded with spaces so the
//              data starts at a multiple of 8, as the reference implementation writes it
//   rest       the tensors' bytes, little-endian, row-major, back to back with no gap or overlap
//
// The writer orders tensors as the reference implementation does (by dtype size, largest first, then
// by name), so the data of every tensor is aligned to its element size. The reader checks everything
// the reference implementation checks and says what is wrong: a header that overruns the file, invalid
// JSON, an unknown dtype, offsets that do not tile the data exactly, a shape that does not match its
// byte range, a file shorter or longer than the header says.

export type Dtype = 'F64' | 'F32' | 'I64' | 'I32' | 'I16' | 'I8' | 'U8' | 'BOOL';

export const DTYPE_BYTES: Readonly<Record<Dtype, number>> = { F64: 8, F32: 4, I64: 8, I32: 4, I16: 2, I8: 1, U8: 1, BOOL: 1 };

export type TensorData = Float64Array | Float32Array | BigInt64Array | Int32Array | Int16Array | Int8Array | Uint8Array;

export interface NamedTensor {
  readonly dtype: Dtype;
  readonly shape: readonly number[];
  readonly data: TensorData;
}

/** Refusal to read a file: `file` names it, `message` says what is wrong. */
export class SafetensorsError extends Error {
  override readonly name = 'SafetensorsError';
  constructor(
    readonly file: string,
    readonly detail: string,
  ) {
    super(`${file}: not a valid safetensors file: ${detail}`);
  }
}

/** The largest header the reference implementation accepts (100 MB). */
export const MAX_HEADER_BYTES = 100_000_000;

const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

function dtypeOf(data: TensorData): Dtype {
  if (data instanceof Float64Array) return 'F64';
  if (data instanceof Float32Array) return 'F32';
  if (data instanceof BigInt64Array) return 'I64';
  if (data instanceof Int32Array) return 'I32';
  if (data instanceof Int16Array) return 'I16';
  if (data instanceof Int8Array) return 'I8';
  return 'U8';
}

function numel(shape: readonly number[]): number {
  let n = 1;
  for (const d of shape) n *= d;
  return n;
}

/** The little-endian bytes of a typed array (a view on it on little-endian hosts, a swapped copy otherwise). */
function littleEndianBytes(data: TensorData): Uint8Array {
  const bytes = new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  if (LITTLE_ENDIAN || data.BYTES_PER_ELEMENT === 1) return bytes;
  const out = new Uint8Array(bytes.length);
  const k = data.BYTES_PER_ELEMENT;
  for (let i = 0; i < bytes.length; i += k) for (let j = 0; j < k; j++) out[i + j] = bytes[i + k - 1 - j];
  return out;
}

/**
 * The file as a list of byte chunks (header, then each tensor's data; tensor chunks are views on the
 * given arrays, so nothing parameter-sized is copied on little-endian hosts). Concatenated, they are the file.
 */
export function encodeSafetensors(tensors: ReadonlyMap<string, NamedTensor>, metadata: Readonly<Record<string, string>> = {}): Uint8Array[] {
  const entries = [...tensors.entries()];
  for (const [name, t] of entries) {
    if (name === '__metadata__') throw new RangeError("encodeSafetensors: '__metadata__' is reserved and cannot name a tensor");
    if (!t.shape.every((d) => Number.isInteger(d) && d >= 0)) {
      throw new RangeError(`encodeSafetensors: tensor '${name}' has an invalid shape [${t.shape.join(', ')}]`);
    }
    if (numel(t.shape) !== t.data.length) {
      throw new RangeError(`encodeSafetensors: tensor '${name}' has ${t.data.length} values for shape [${t.shape.join(', ')}]`);
    }
    const natural = dtypeOf(t.data);
    if (natural !== t.dtype && !(t.dtype === 'BOOL' && natural === 'U8')) {
      throw new RangeError(`encodeSafetensors: tensor '${name}' is declared ${t.dtype} but holds ${t.data.constructor.name}`);
    }
  }
  for (const [k, v] of Object.entries(metadata)) {
    if (typeof v !== 'string') throw new TypeError(`encodeSafetensors: metadata '${k}' must be a string, got ${typeof v}`);
  }
  entries.sort(([an, a], [bn, b]) => DTYPE_BYTES[b.dtype] - DTYPE_BYTES[a.dtype] || (an < bn ? -1 : an > bn ? 1 : 0));
  const header: Record<string, unknown> = {};
  if (Object.keys(metadata).length > 0) header.__metadata__ = { ...metadata };
  let offset = 0;
  const chunks: Uint8Array[] = [];
  for (const [name, t] of entries) {
    const bytes = littleEndianBytes(t.data);
    header[name] = { dtype: t.dtype, shape: [...t.shape], data_offsets: [offset, offset + bytes.length] };
    offset += bytes.length;
    chunks.push(bytes);
  }
  let json = new TextEncoder().encode(JSON.stringify(header));
  const padded = Math.ceil((8 + json.length) / 8) * 8 - 8;
  if (padded !== json.length) {
    const withSpaces = new Uint8Array(padded).fill(0x20);
    withSpaces.set(json);
    json = withSpaces;
  }
  const prefix = new Uint8Array(8);
  new DataView(prefix.buffer).setBigUint64(0, BigInt(json.length), true);
  return [prefix, json, ...chunks];
}

/** The whole file in one buffer (convenient for small files and tests). */
export function encodeSafetensorsBytes(tensors: ReadonlyMap<string, NamedTensor>, metadata: Readonly<Record<string, string>> = {}): Uint8Array {
  const chunks = encodeSafetensors(tensors, metadata);
  const out = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0));
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.length;
  }
  return out;
}

export interface DecodedSafetensors {
  readonly tensors: Map<string, NamedTensor>;
  readonly metadata: Record<string, string>;
}

function typedArray(dtype: Dtype, bytes: Uint8Array): TensorData {
  // Copy into a fresh, aligned buffer (the slice of the file may be unaligned), swapping on big-endian hosts.
  // (Not bytes.slice(): on a Node Buffer that is a view, not a copy.)
  const copy = new Uint8Array(bytes.length);
  copy.set(bytes);
  const k = DTYPE_BYTES[dtype];
  if (!LITTLE_ENDIAN && k > 1) {
    for (let i = 0; i < copy.length; i += k) copy.subarray(i, i + k).reverse();
  }
  const b = copy.buffer;
  switch (dtype) {
    case 'F64': return new Float64Array(b);
    case 'F32': return new Float32Array(b);
    case 'I64': return new BigInt64Array(b);
    case 'I32': return new Int32Array(b);
    case 'I16': return new Int16Array(b);
    case 'I8': return new Int8Array(b);
    case 'U8':
    case 'BOOL': return new Uint8Array(b);
  }
}

/** Parses and checks a safetensors file's bytes; `file` names it in errors. */
export function decodeSafetensors(bytes: Uint8Array, file = '<buffer>'): DecodedSafetensors {
  const fail = (detail: string): never => {
    throw new SafetensorsError(file, detail);
  };
  if (bytes.length < 8) fail(`the file has ${bytes.length} bytes, fewer than the 8-byte header length`);
  const n = new DataView(bytes.buffer, bytes.byteOffset, 8).getBigUint64(0, true);
  if (n > BigInt(MAX_HEADER_BYTES)) fail(`the header length says ${n} bytes, more than the ${MAX_HEADER_BYTES} allowed (corrupt length?)`);
  const headerLength = Number(n);
  if (8 + headerLength > bytes.length) {
    fail(`the header length says ${headerLength} bytes but only ${bytes.length - 8} follow (truncated file?)`);
  }
  let header: unknown;
  try {
    header = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(8, 8 + headerLength)));
  } catch (error) {
    return fail(`the header is not valid UTF-8 JSON (${(error as Error).message})`);
  }
  if (header === null || typeof header !== 'object' || Array.isArray(header)) fail('the header is not a JSON object');
  const data = bytes.subarray(8 + headerLength);
  const metadata: Record<string, string> = {};
  const ranges: { name: string; begin: number; end: number }[] = [];
  const tensors = new Map<string, NamedTensor>();
  for (const [name, value] of Object.entries(header as Record<string, unknown>)) {
    if (name === '__metadata__') {
      if (value === null || typeof value !== 'object' || Array.isArray(value)) fail('__metadata__ is not an object');
      for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
        if (typeof v !== 'string') fail(`__metadata__['${k}'] is not a string`);
        metadata[k] = v as string;
      }
      continue;
    }
    const info = value as { dtype?: unknown; shape?: unknown; data_offsets?: unknown };
    if (info === null || typeof info !== 'object') fail(`tensor '${name}': its header entry is not an object`);
    const dtype = info.dtype;
    if (typeof dtype !== 'string' || !(dtype in DTYPE_BYTES)) {
      fail(`tensor '${name}': unsupported dtype ${JSON.stringify(dtype)} (supported: ${Object.keys(DTYPE_BYTES).join(', ')})`);
    }
    const shape = info.shape;
    if (!Array.isArray(shape) || !shape.every((d) => Number.isSafeInteger(d) && d >= 0)) {
      fail(`tensor '${name}': shape ${JSON.stringify(shape)} is not a list of non-negative integers`);
    }
    const offsets = info.data_offsets;
    if (!Array.isArray(offsets) || offsets.length !== 2 || !offsets.every((o) => Number.isSafeInteger(o) && o >= 0) || offsets[1] < offsets[0]) {
      fail(`tensor '${name}': data_offsets ${JSON.stringify(offsets)} is not [begin, end] with 0 <= begin <= end`);
    }
    const [begin, end] = offsets as [number, number];
    const expected = numel(shape as number[]) * DTYPE_BYTES[dtype as Dtype];
    if (end - begin !== expected) {
      fail(`tensor '${name}': ${dtype} [${(shape as number[]).join(', ')}] needs ${expected} bytes but data_offsets span ${end - begin}`);
    }
    if (end > data.length) fail(`tensor '${name}' ends at byte ${end} of the data but the data has ${data.length} bytes (truncated file?)`);
    ranges.push({ name, begin, end });
    tensors.set(name, { dtype: dtype as Dtype, shape: [...(shape as number[])], data: typedArray(dtype as Dtype, data.subarray(begin, end)) });
  }
  ranges.sort((a, b) => a.begin - b.begin || a.end - b.end);
  let at = 0;
  for (const r of ranges) {
    if (r.begin !== at) {
      fail(r.begin < at ? `tensor '${r.name}' overlaps the tensor before it` : `a gap of ${r.begin - at} bytes before tensor '${r.name}'`);
    }
    at = r.end;
  }
  if (at !== data.length) fail(`the tensors cover ${at} bytes of data but the file holds ${data.length} (trailing bytes?)`);
  return { tensors, metadata };
}
