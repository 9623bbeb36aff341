import { readFileSync, statSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { DataError } from './errors';

/**
 * The IDX file format of MNIST and Fashion-MNIST (LeCun et al.): a 4-byte magic number
 * `00 00 TT NN` (TT the element type, NN the number of dimensions), then NN big-endian uint32 sizes,
 * then the elements, big-endian, row-major. Nothing may follow the last element.
 */
export type IdxType = 'uint8' | 'int8' | 'int16' | 'int32' | 'float32' | 'float64';

const TYPES: Record<number, { type: IdxType; bytes: number }> = {
  0x08: { type: 'uint8', bytes: 1 },
  0x09: { type: 'int8', bytes: 1 },
  0x0b: { type: 'int16', bytes: 2 },
  0x0c: { type: 'int32', bytes: 4 },
  0x0d: { type: 'float32', bytes: 4 },
  0x0e: { type: 'float64', bytes: 8 },
};

const TYPE_CODES: Record<IdxType, number> = {
  uint8: 0x08,
  int8: 0x09,
  int16: 0x0b,
  int32: 0x0c,
  float32: 0x0d,
  float64: 0x0e,
};

export interface IdxArray {
  readonly type: IdxType;
  readonly dims: readonly number[];
  /** The elements in file order. uint8 data is a view of the input bytes (no copy). */
  readonly data: Uint8Array | Int8Array | Int16Array | Int32Array | Float32Array | Float64Array;
}

function hex(n: number): string {
  return '0x' + n.toString(16).padStart(8, '0');
}

/** The magic number of an IDX file with elements of `type` and `ndims` dimensions (e.g. 0x00000803). */
export function idxMagic(type: IdxType, ndims: number): number {
  return (TYPE_CODES[type] << 8) | ndims;
}

/**
 * Parses IDX bytes. Refuses, naming `file`: a file shorter than its header, a magic number whose first
 * two bytes are not zero or whose type byte is unknown, a size that does not match the header (truncated
 * or with trailing bytes). Sizes are reported in bytes with the expectation beside what was found.
 */
export function parseIdx(bytes: Uint8Array, file = '<idx bytes>'): IdxArray {
  if (bytes.length < 4) {
    throw new DataError('data/truncated', `IDX file of ${bytes.length} bytes is shorter than its 4-byte magic number`, file);
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const magic = view.getUint32(0, false);
  const spec = TYPES[bytes[2]];
  if (bytes[0] !== 0 || bytes[1] !== 0 || spec === undefined) {
    throw new DataError(
      'data/bad-format',
      `not an IDX file: magic number ${hex(magic)} should be 0x0000TTNN with type TT in ` +
        `{08, 09, 0b, 0c, 0d, 0e}` +
        (bytes[0] === 0x1f && bytes[1] === 0x8b ? ' (this looks gzip-compressed: decompress it, or name it *.gz)' : ''),
      file,
    );
  }
  const ndims = bytes[3];
  if (ndims === 0) throw new DataError('data/bad-format', `IDX magic number ${hex(magic)} declares 0 dimensions`, file);
  const header = 4 + 4 * ndims;
  if (bytes.length < header) {
    throw new DataError(
      'data/truncated',
      `IDX header of ${ndims} dimensions needs ${header} bytes, the file has ${bytes.length}`,
      file,
    );
  }
  const dims: number[] = [];
  let count = 1;
  for (let i = 0; i < ndims; i++) {
    const d = view.getUint32(4 + 4 * i, false);
    dims.push(d);
    count *= d;
  }
  const expected = header + count * spec.bytes;
  if (bytes.length !== expected) {
    const what = bytes.length < expected ? 'is truncated' : 'has trailing bytes';
    throw new DataError(
      bytes.length < expected ? 'data/truncated' : 'data/bad-format',
      `IDX ${spec.type} [${dims.join(', ')}] should be ${expected} bytes (${header} header + ` +
        `${count} x ${spec.bytes}), found ${bytes.length}: the file ${what}`,
      file,
    );
  }
  return { type: spec.type, dims, data: decode(bytes, header, count, spec.type, view) };
}

function decode(bytes: Uint8Array, offset: number, count: number, type: IdxType, view: DataView): IdxArray['data'] {
  switch (type) {
    case 'uint8':
      return bytes.subarray(offset, offset + count);
    case 'int8':
      return new Int8Array(bytes.buffer, bytes.byteOffset + offset, count);
    default: {
      const out =
        type === 'int16'
          ? new Int16Array(count)
          : type === 'int32'
            ? new Int32Array(count)
            : type === 'float32'
              ? new Float32Array(count)
              : new Float64Array(count);
      const get =
        type === 'int16'
          ? (o: number) => view.getInt16(o, false)
          : type === 'int32'
            ? (o: number) => view.getInt32(o, false)
            : type === 'float32'
              ? (o: number) => view.getFloat32(o, false)
              : (o: number) => view.getFloat64(o, false);
      const step = out.BYTES_PER_ELEMENT;
      for (let i = 0; i < count; i++) out[i] = get(offset + i * step);
      return out;
    }
  }
}

/** Encodes an IDX file (the inverse of parseIdx): for writing small test files and exports. */
export function encodeIdx(type: IdxType, dims: readonly number[], data: ArrayLike<number>): Uint8Array {
  const bytesPer = TYPES[TYPE_CODES[type]].bytes;
  const count = dims.reduce((a, b) => a * b, 1);
  if (data.length !== count) {
    throw new DataError('data/bad-option', `encodeIdx: ${data.length} values for dims [${dims.join(', ')}] (${count})`);
  }
  const header = 4 + 4 * dims.length;
  const out = new Uint8Array(header + count * bytesPer);
  const view = new DataView(out.buffer);
  view.setUint32(0, idxMagic(type, dims.length), false);
  dims.forEach((d, i) => view.setUint32(4 + 4 * i, d, false));
  for (let i = 0; i < count; i++) {
    const o = header + i * bytesPer;
    const v = data[i];
    if (type === 'uint8') view.setUint8(o, v);
    else if (type === 'int8') view.setInt8(o, v);
    else if (type === 'int16') view.setInt16(o, v, false);
    else if (type === 'int32') view.setInt32(o, v, false);
    else if (type === 'float32') view.setFloat32(o, v, false);
    else view.setFloat64(o, v, false);
  }
  return out;
}

/** Reads and parses an IDX file; a gzip-compressed file (as Fashion-MNIST is distributed) is decompressed. */
export function readIdxFile(path: string): IdxArray {
  let bytes: Uint8Array;
  try {
    if (!statSync(path).isFile()) throw new DataError('data/missing-file', 'is not a file', path);
    bytes = readFileSync(path);
  } catch (e) {
    if (e instanceof DataError) throw e;
    throw new DataError('data/missing-file', `cannot read IDX file (${(e as NodeJS.ErrnoException).code ?? e})`, path);
  }
  if (bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b) {
    try {
      bytes = gunzipSync(bytes);
    } catch (e) {
      throw new DataError('data/truncated', `gzip data is corrupt or truncated (${(e as Error).message})`, path);
    }
  }
  return parseIdx(bytes, path);
}
