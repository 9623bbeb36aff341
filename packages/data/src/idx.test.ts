import fc from 'fast-check';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { DataError } from './errors';
import { encodeIdx, parseIdx, readIdxFile, type IdxType } from './idx';

/** A 2x3 uint8 IDX file written byte by byte, independently of encodeIdx. */
const SMALL = Uint8Array.from([0, 0, 0x08, 2, 0, 0, 0, 2, 0, 0, 0, 3, 1, 2, 3, 4, 5, 255]);

function errorOf(f: () => unknown): DataError {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(DataError);
    return e as DataError;
  }
  throw new Error('expected a DataError, nothing was thrown');
}

describe('parseIdx', () => {
  it('reads the header and the data of a hand-written file', () => {
    const a = parseIdx(SMALL, 'small');
    expect(a.type).toBe('uint8');
    expect(a.dims).toEqual([2, 3]);
    expect(Array.from(a.data)).toEqual([1, 2, 3, 4, 5, 255]);
  });

  it('reads big-endian multi-byte types', () => {
    // int16 [2]: 0x0102 = 258, 0xfffe = -2; float32 [1]: 0x3fc00000 = 1.5
    expect(Array.from(parseIdx(Uint8Array.from([0, 0, 0x0b, 1, 0, 0, 0, 2, 1, 2, 0xff, 0xfe])).data)).toEqual([258, -2]);
    expect(Array.from(parseIdx(Uint8Array.from([0, 0, 0x0d, 1, 0, 0, 0, 1, 0x3f, 0xc0, 0, 0])).data)).toEqual([1.5]);
  });

  it('round-trips every element type through encodeIdx (property)', () => {
    const types: IdxType[] = ['uint8', 'int8', 'int16', 'int32', 'float32', 'float64'];
    const ranges: Record<IdxType, fc.Arbitrary<number>> = {
      uint8: fc.integer({ min: 0, max: 255 }),
      int8: fc.integer({ min: -128, max: 127 }),
      int16: fc.integer({ min: -32768, max: 32767 }),
      int32: fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 }),
      float32: fc.float({ noNaN: true }).map(Math.fround),
      float64: fc.double({ noNaN: true }),
    };
    for (const type of types) {
      const cases = fc
        .array(fc.integer({ min: 1, max: 4 }), { minLength: 1, maxLength: 3 })
        .chain((dims) => {
          const count = dims.reduce((x, y) => x * y, 1);
          return fc.tuple(fc.constant(dims), fc.array(ranges[type], { minLength: count, maxLength: count }));
        });
      fc.assert(
        fc.property(cases, ([dims, values]) => {
          const back = parseIdx(encodeIdx(type, dims, values));
          expect(back.type).toBe(type);
          expect(back.dims).toEqual(dims);
          expect(Array.from(back.data)).toEqual(values);
        }),
        { numRuns: 30, seed: 5 },
      );
    }
  });

  it('refuses a wrong magic number, naming the file and what it found', () => {
    const bad = SMALL.slice();
    bad[0] = 1;
    const e = errorOf(() => parseIdx(bad, 'x-idx'));
    expect(e.code).toBe('data/bad-format');
    expect(e.message).toBe(
      'x-idx: not an IDX file: magic number 0x01000802 should be 0x0000TTNN with type TT in {08, 09, 0b, 0c, 0d, 0e}',
    );
    const unknownType = SMALL.slice();
    unknownType[2] = 0x07;
    expect(errorOf(() => parseIdx(unknownType, 'x')).message).toMatch(/magic number 0x00000702/);
    expect(errorOf(() => parseIdx(gzipSync(SMALL), 'x')).message).toMatch(/looks gzip-compressed/);
  });

  it('refuses truncated files: in the magic, in the header, in the data', () => {
    expect(errorOf(() => parseIdx(SMALL.subarray(0, 3), 'f')).message).toBe(
      "f: IDX file of 3 bytes is shorter than its 4-byte magic number",
    );
    const e = errorOf(() => parseIdx(SMALL.subarray(0, 9), 'f'));
    expect(e.code).toBe('data/truncated');
    expect(e.message).toBe('f: IDX header of 2 dimensions needs 12 bytes, the file has 9');
    const d = errorOf(() => parseIdx(SMALL.subarray(0, 17), 'f'));
    expect(d.code).toBe('data/truncated');
    expect(d.message).toBe('f: IDX uint8 [2, 3] should be 18 bytes (12 header + 6 x 1), found 17: the file is truncated');
  });

  it('refuses trailing bytes', () => {
    const e = errorOf(() => parseIdx(Uint8Array.from([...SMALL, 0]), 'f'));
    expect(e.code).toBe('data/bad-format');
    expect(e.message).toBe('f: IDX uint8 [2, 3] should be 18 bytes (12 header + 6 x 1), found 19: the file has trailing bytes');
  });
});

describe('readIdxFile', () => {
  const dir = mkdtempSync(join(tmpdir(), 'skipinit-idx-'));

  it('reads plain and gzip-compressed files alike', () => {
    writeFileSync(join(dir, 'a'), SMALL);
    writeFileSync(join(dir, 'a.gz'), gzipSync(SMALL));
    expect(Array.from(readIdxFile(join(dir, 'a')).data)).toEqual([1, 2, 3, 4, 5, 255]);
    expect(Array.from(readIdxFile(join(dir, 'a.gz')).data)).toEqual([1, 2, 3, 4, 5, 255]);
  });

  it('refuses a missing file, a directory and corrupt gzip, naming the path', () => {
    const missing = errorOf(() => readIdxFile(join(dir, 'nope')));
    expect(missing.code).toBe('data/missing-file');
    expect(missing.message).toBe(`${join(dir, 'nope')}: cannot read IDX file (ENOENT)`);
    expect(errorOf(() => readIdxFile(dir)).message).toBe(`${dir}: is not a file`);
    const gz = gzipSync(SMALL);
    writeFileSync(join(dir, 'cut.gz'), gz.subarray(0, gz.length - 6));
    const cut = errorOf(() => readIdxFile(join(dir, 'cut.gz')));
    expect(cut.code).toBe('data/truncated');
    expect(cut.message).toMatch(/cut\.gz: gzip data is corrupt or truncated/);
  });
});
