// NumPy's .npy format (version 1.0, 2.0 and 3.0): the magic "\x93NUMPY", a version, a header length, a
// Python dict literal {'descr': '<f4', 'fortran_order': False, 'shape': (N, 28, 28), } padded with spaces,
// then the elements in C order. Read: float32/64, (u)int8/16/32/64 and bool, either byte order.

import { DataError } from './errors';

export interface NpyArray {
  /** The dtype as numpy writes it, e.g. '<f4', '|u1'. */
  readonly descr: string;
  readonly shape: readonly number[];
  /** The elements, converted to float64 (int64 values beyond 2^53 lose precision). */
  readonly data: Float64Array;
  /** True for integer and bool dtypes (uint8 images are scaled by the caller). */
  readonly integer: boolean;
}

const KINDS: Record<string, { bytes: number; read: (v: DataView, o: number, le: boolean) => number; integer: boolean }> = {
  f4: { bytes: 4, read: (v, o, le) => v.getFloat32(o, le), integer: false },
  f8: { bytes: 8, read: (v, o, le) => v.getFloat64(o, le), integer: false },
  u1: { bytes: 1, read: (v, o) => v.getUint8(o), integer: true },
  i1: { bytes: 1, read: (v, o) => v.getInt8(o), integer: true },
  b1: { bytes: 1, read: (v, o) => v.getUint8(o), integer: true },
  u2: { bytes: 2, read: (v, o, le) => v.getUint16(o, le), integer: true },
  i2: { bytes: 2, read: (v, o, le) => v.getInt16(o, le), integer: true },
  u4: { bytes: 4, read: (v, o, le) => v.getUint32(o, le), integer: true },
  i4: { bytes: 4, read: (v, o, le) => v.getInt32(o, le), integer: true },
  u8: { bytes: 8, read: (v, o, le) => Number(v.getBigUint64(o, le)), integer: true },
  i8: { bytes: 8, read: (v, o, le) => Number(v.getBigInt64(o, le)), integer: true },
};

function field(header: string, key: string): string | null {
  const m = new RegExp(`['"]${key}['"]\\s*:\\s*('[^']*'|"[^"]*"|True|False|\\([^)]*\\))`).exec(header);
  return m ? m[1] : null;
}

/** Parses .npy bytes; a malformed file is a DataError naming `file`. */
export function parseNpy(bytes: Uint8Array, file = '<npy bytes>'): NpyArray {
  const bad = (what: string): never => {
    throw new DataError('data/bad-format', `not a readable .npy file: ${what}`, file);
  };
  const magic = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59];
  if (bytes.length < 10 || !magic.every((b, i) => bytes[i] === b)) bad('it does not start with \\x93NUMPY');
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const major = bytes[6];
  if (major < 1 || major > 3) bad(`format version ${major}.${bytes[7]} is not 1, 2 or 3`);
  const headerLen = major === 1 ? view.getUint16(8, true) : view.getUint32(8, true);
  const start = major === 1 ? 10 : 12;
  if (start + headerLen > bytes.length) throw new DataError('data/truncated', `the .npy header says ${headerLen} bytes, the file has ${bytes.length - start} after the preamble`, file);
  const header = new TextDecoder(major === 3 ? 'utf-8' : 'latin1').decode(bytes.subarray(start, start + headerLen));
  const descr = field(header, 'descr')?.slice(1, -1) ?? bad("the header has no 'descr'");
  if (field(header, 'fortran_order') === 'True') bad('the array is in Fortran order; save it with np.save(f, np.ascontiguousarray(a))');
  const shapeText = field(header, 'shape') ?? bad("the header has no 'shape'");
  const shape = shapeText.slice(1, -1).split(',').map((t) => t.trim()).filter((t) => t !== '').map(Number);
  if (!shape.every((d) => Number.isSafeInteger(d) && d >= 0)) bad(`shape ${shapeText} is not a tuple of sizes`);
  const kind = KINDS[descr.slice(1)];
  if (kind === undefined || !['<', '>', '|', '='].includes(descr[0])) bad(`dtype '${descr}' is not a number type (float32/64, (u)int8..64, bool)`);
  const count = shape.reduce((a, b) => a * b, 1);
  const offset = start + headerLen;
  const expected = offset + count * kind.bytes;
  if (bytes.length !== expected) {
    throw new DataError(bytes.length < expected ? 'data/truncated' : 'data/bad-format', `${descr} [${shape.join(', ')}] needs ${count * kind.bytes} data bytes, the file has ${bytes.length - offset}`, file);
  }
  const le = descr[0] !== '>';
  const data = new Float64Array(count);
  for (let i = 0; i < count; i++) data[i] = kind.read(view, offset + i * kind.bytes, le);
  return { descr, shape, data, integer: kind.integer };
}
