import { describe, expect, it } from 'vitest';
import { arrayExamples } from './input-examples';
import { parseNpy } from './npy';

/** A .npy file as numpy 1.x writes it (version 1.0, header padded to a multiple of 64 bytes). */
function npy(descr: string, shape: number[], body: Uint8Array, fortran = false): Uint8Array {
  let header = `{'descr': '${descr}', 'fortran_order': ${fortran ? 'True' : 'False'}, 'shape': (${shape.join(', ')}${shape.length === 1 ? ',' : ''}), }`;
  const total = Math.ceil((10 + header.length + 1) / 64) * 64;
  header = header.padEnd(total - 10 - 1, ' ') + '\n';
  const out = new Uint8Array(10 + header.length + body.length);
  out.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0]);
  new DataView(out.buffer).setUint16(8, header.length, true);
  out.set(new TextEncoder().encode(header), 10);
  out.set(body, 10 + header.length);
  return out;
}

describe('parseNpy', () => {
  it('reads float32 little-endian and uint8 arrays with their shapes', () => {
    const f = parseNpy(npy('<f4', [2, 3], new Uint8Array(Float32Array.from([1, 2, 3, 4, 5, 6.5]).buffer)), 'a.npy');
    expect(f.shape).toEqual([2, 3]);
    expect(Array.from(f.data)).toEqual([1, 2, 3, 4, 5, 6.5]);
    expect(f.integer).toBe(false);
    const u = parseNpy(npy('|u1', [4], Uint8Array.from([0, 1, 128, 255])), 'b.npy');
    expect([Array.from(u.data), u.integer, u.shape]).toEqual([[0, 1, 128, 255], true, [4]]);
  });

  it('reads big-endian float64', () => {
    const body = new Uint8Array(16);
    new DataView(body.buffer).setFloat64(0, -2.5, false);
    new DataView(body.buffer).setFloat64(8, 1e-3, false);
    expect(Array.from(parseNpy(npy('>f8', [2], body)).data)).toEqual([-2.5, 1e-3]);
  });

  it('refuses Fortran order, a truncated body and a non-number dtype, naming the file', () => {
    expect(() => parseNpy(npy('<f4', [1], new Uint8Array(4), true), 'f.npy')).toThrow("f.npy: not a readable .npy file: the array is in Fortran order; save it with np.save(f, np.ascontiguousarray(a))");
    expect(() => parseNpy(npy('<f4', [3], new Uint8Array(8)), 't.npy')).toThrow('t.npy: <f4 [3] needs 12 data bytes, the file has 8');
    expect(() => parseNpy(npy('<U5', [1], new Uint8Array(20)), 's.npy')).toThrow(/dtype '<U5' is not a number type/);
    expect(() => parseNpy(new Uint8Array(12), 'z.npy')).toThrow('z.npy: not a readable .npy file: it does not start with \\x93NUMPY');
  });
});

describe('arrayExamples', () => {
  it('takes [N, ...shape], one [...shape], and [N, H, W] for one-channel images; scales integers by 1/255', () => {
    const a = { dims: [2, 2, 2], data: [0, 255, 51, 102, 1, 2, 3, 4], integer: true };
    expect(arrayExamples(a, [1, 2, 2], 'a.npy', true)).toEqual({ count: 2, x: Float32Array.from([0, 1, 0.2, 0.4, 1 / 255, 2 / 255, 3 / 255, 4 / 255]) });
    expect(arrayExamples({ dims: [3], data: [1, 2, 3], integer: false }, [3], 'b.npy', true)).toEqual({ count: 1, x: Float32Array.from([1, 2, 3]) });
    expect(() => arrayExamples({ dims: [5, 3, 3], data: new Array(45).fill(0), integer: false }, [1, 2, 2], 'c.npy', true)).toThrow(
      'c.npy: holds an array of shape [5, 3, 3]; the model takes examples of 1x2x2: give [N, 1, 2, 2], [1, 2, 2], [N, 2, 2] or [2, 2]',
    );
  });
});
