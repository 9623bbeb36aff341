import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { decodeSafetensors, encodeSafetensorsBytes, MAX_HEADER_BYTES } from './safetensors';
import type { NamedTensor } from './safetensors';

/**
 * An independent minimal safetensors reader, written from the format's specification and sharing no
 * code with the writer: u64 little-endian header length, JSON header, raw little-endian data.
 */
function minimalRead(bytes: Uint8Array): { header: Record<string, any>; headerLength: number; values: (name: string) => number[] } {
  let n = 0;
  for (let i = 7; i >= 0; i--) n = n * 256 + bytes[i];
  const header = JSON.parse(Buffer.from(bytes.subarray(8, 8 + n)).toString('utf8'));
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const values = (name: string): number[] => {
    const { dtype, data_offsets: [a, b] } = header[name];
    const out: number[] = [];
    const size = { F32: 4, F64: 8, I32: 4, U8: 1 }[dtype as 'F32']!;
    for (let at = 8 + n + a; at < 8 + n + b; at += size) {
      out.push(dtype === 'F32' ? buf.readFloatLE(at) : dtype === 'F64' ? buf.readDoubleLE(at) : dtype === 'I32' ? buf.readInt32LE(at) : buf.readUInt8(at));
    }
    return out;
  };
  return { header, headerLength: n, values };
}

const sample = (): Map<string, NamedTensor> =>
  new Map<string, NamedTensor>([
    ['b.bias', { dtype: 'F32', shape: [3], data: new Float32Array([0.5, -1.25, 3]) }],
    ['a.weight', { dtype: 'F32', shape: [2, 2], data: new Float32Array([1, 2, 3, 4]) }],
    ['steps', { dtype: 'I32', shape: [], data: new Int32Array([7]) }],
    ['precise', { dtype: 'F64', shape: [2], data: new Float64Array([0.1, 1 / 3]) }],
    ['mask', { dtype: 'U8', shape: [3], data: new Uint8Array([1, 0, 255]) }],
    ['empty', { dtype: 'F32', shape: [0, 4], data: new Float32Array(0) }],
  ]);

describe('safetensors writer, checked by an independent reader', () => {
  const bytes = encodeSafetensorsBytes(sample(), { step: '12', note: 'héllo' });
  const r = minimalRead(bytes);

  it('has an 8-byte little-endian length, a JSON header padded with spaces to a multiple of 8', () => {
    expect((8 + r.headerLength) % 8).toBe(0);
    const text = Buffer.from(bytes.subarray(8, 8 + r.headerLength)).toString('utf8');
    expect(text.startsWith('{')).toBe(true);
    expect(text.trimEnd().endsWith('}')).toBe(true);
    expect(/^ *$/.test(text.slice(text.trimEnd().length))).toBe(true);
    expect(r.header.__metadata__).toEqual({ step: '12', note: 'héllo' });
  });

  it('stores every tensor with dtype, shape and offsets that tile the data exactly', () => {
    const names = Object.keys(r.header).filter((k) => k !== '__metadata__');
    expect(names.sort()).toEqual(['a.weight', 'b.bias', 'empty', 'mask', 'precise', 'steps']);
    const ranges = names.map((k) => r.header[k].data_offsets as [number, number]).sort((x, y) => x[0] - y[0] || x[1] - y[1]);
    let at = 0;
    for (const [a, b] of ranges) {
      expect(a).toBe(at);
      at = b;
    }
    expect(8 + r.headerLength + at).toBe(bytes.length);
    // aligned like the reference implementation: larger dtypes first, so each tensor starts at a multiple of its size
    expect(r.header.precise.data_offsets[0] % 8).toBe(0);
    expect(r.header['a.weight'].data_offsets[0] % 4).toBe(0);
  });

  it('round-trips the values', () => {
    expect(r.header['a.weight']).toMatchObject({ dtype: 'F32', shape: [2, 2] });
    expect(r.values('a.weight')).toEqual([1, 2, 3, 4]);
    expect(r.values('b.bias')).toEqual([0.5, -1.25, 3]);
    expect(r.values('precise')).toEqual([0.1, 1 / 3]);
    expect(r.values('steps')).toEqual([7]);
    expect(r.header.steps.shape).toEqual([]);
    expect(r.values('mask')).toEqual([1, 0, 255]);
    const d = decodeSafetensors(bytes);
    expect(d.metadata).toEqual({ step: '12', note: 'héllo' });
    for (const [name, t] of sample()) {
      expect(d.tensors.get(name)!.dtype).toBe(t.dtype);
      expect(d.tensors.get(name)!.shape).toEqual(t.shape);
      expect(Array.from(d.tensors.get(name)!.data as Float32Array)).toEqual(Array.from(t.data as Float32Array));
    }
  });

  it('refuses tensors whose values do not fill their shape, and the reserved name', () => {
    expect(() => encodeSafetensorsBytes(new Map([['x', { dtype: 'F32', shape: [3], data: new Float32Array(2) }]]))).toThrow(/2 values for shape \[3\]/);
    expect(() => encodeSafetensorsBytes(new Map([['x', { dtype: 'F64', shape: [2], data: new Float32Array(2) }]]))).toThrow(/declared F64/);
    expect(() => encodeSafetensorsBytes(new Map([['__metadata__', { dtype: 'F32', shape: [0], data: new Float32Array(0) }]]))).toThrow(/reserved/);
  });
});

describe('safetensors reader refuses damaged files, naming the file and the fault', () => {
  const good = encodeSafetensorsBytes(sample(), { step: '1' });
  const headerLength = Number(new DataView(good.buffer).getBigUint64(0, true));
  const withHeader = (json: string): Uint8Array => {
    const h = Buffer.from(json, 'utf8');
    const out = new Uint8Array(8 + h.length + 8);
    new DataView(out.buffer).setBigUint64(0, BigInt(h.length), true);
    out.set(h, 8);
    return out;
  };
  const cases: [string, Uint8Array, RegExp][] = [
    ['an empty file', new Uint8Array(0), /fewer than the 8-byte header length/],
    ['a file cut inside the header', good.subarray(0, 8 + 10), /header length says \d+ bytes but only 10 follow/],
    ['a file cut inside the data', good.subarray(0, good.length - 3), /ends at byte \d+ of the data but the data has \d+ bytes \(truncated file\?\)/],
    ['trailing bytes', new Uint8Array([...good, 0, 0, 0, 0]), /trailing bytes/],
    ['a huge header length', (() => { const b = good.slice(); new DataView(b.buffer).setBigUint64(0, BigInt(MAX_HEADER_BYTES) + 1n, true); return b; })(), /more than the 100000000 allowed/],
    ['a header that is not JSON', (() => { const b = good.slice(); b[8] = 0x5b; b[9] = 0x7b; return b; })(), /not valid UTF-8 JSON/],
    ['an unknown dtype', withHeader('{"x":{"dtype":"Q7","shape":[2],"data_offsets":[0,8]}}'), /unsupported dtype "Q7"/],
    ['a shape that does not match its bytes', withHeader('{"x":{"dtype":"F32","shape":[3],"data_offsets":[0,8]}}'), /needs 12 bytes but data_offsets span 8/],
    ['overlapping tensors', withHeader('{"x":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"y":{"dtype":"F32","shape":[1],"data_offsets":[4,8]}}'), /overlaps/],
    ['a gap', withHeader('{"x":{"dtype":"F32","shape":[1],"data_offsets":[4,8]}}'), /a gap of 4 bytes before tensor 'x'/],
    ['non-string metadata', withHeader('{"__metadata__":{"a":1},"x":{"dtype":"F64","shape":[1],"data_offsets":[0,8]}}'), /__metadata__\['a'\] is not a string/],
    ['a negative offset', withHeader('{"x":{"dtype":"F64","shape":[1],"data_offsets":[-8,0]}}'), /data_offsets \[-8,0\]/],
  ];
  for (const [what, bytes, message] of cases) {
    it(`refuses ${what}`, () => {
      expect(() => decodeSafetensors(bytes, 'ckpt/last.safetensors')).toThrow(message);
      expect(() => decodeSafetensors(bytes, 'ckpt/last.safetensors')).toThrow(/^ckpt\/last\.safetensors: not a valid safetensors file: /);
    });
  }
  it('accepts the intact file (the cases above are damaged copies of it)', () => {
    expect(headerLength).toBeGreaterThan(0);
    expect(decodeSafetensors(good).tensors.size).toBe(6);
  });
});

describe('agreement with the reference implementation', () => {
  // Written by Python safetensors 0.8.0 (see test/fixtures/README.md for the script).
  const reference = new Uint8Array(readFileSync(new URL('../test/fixtures/reference-0.8.0.safetensors', import.meta.url)));
  const tensors = new Map<string, NamedTensor>([
    ['a.weight', { dtype: 'F32', shape: [2, 2], data: new Float32Array([1, 2, 3, 4]) }],
    ['b.bias', { dtype: 'F32', shape: [3], data: new Float32Array([0.5, -1.25, 3]) }],
    ['precise', { dtype: 'F64', shape: [2], data: new Float64Array([0.1, 1 / 3]) }],
    ['steps', { dtype: 'I32', shape: [], data: new Int32Array([7]) }],
  ]);

  it('our writer produces the same bytes as the reference writer', () => {
    expect(Buffer.from(encodeSafetensorsBytes(tensors, { step: '12', note: 'héllo' })).equals(Buffer.from(reference))).toBe(true);
  });

  it("our reader reads the reference writer's file", () => {
    const d = decodeSafetensors(reference, 'reference-0.8.0.safetensors');
    expect(d.metadata).toEqual({ step: '12', note: 'héllo' });
    expect(Array.from(d.tensors.get('precise')!.data as Float64Array)).toEqual([0.1, 1 / 3]);
    expect(d.tensors.get('steps')).toEqual({ dtype: 'I32', shape: [], data: new Int32Array([7]) });
  });
});
