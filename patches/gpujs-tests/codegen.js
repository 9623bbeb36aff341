// Tests of the code generator changes in patches/gpu.js+2.24.1.patch, written as gpu.js tests
// (qunit, test/features/webasm/codegen.js in a gpu.js checkout) so they can go upstream with the
// diff. patches/test-gpujs.sh copies this file into the checkout for the patched run.
/* global require */
/* eslint-disable @typescript-eslint/no-require-imports -- gpu.js tests are CommonJS */
const { assert, test, module: describe } = require('qunit');
const { GPU } = require('../../../src');

describe('features: webasm code generation');

// the function bodies of a module: [locals, code] per defined function, in definition order
function functionBodies(bytes) {
  let at = 8;
  const leb = () => {
    let result = 0;
    let shift = 0;
    let byte;
    do {
      byte = bytes[at++];
      result |= (byte & 0x7f) << shift;
      shift += 7;
    } while (byte & 0x80);
    return result >>> 0;
  };
  while (at < bytes.length) {
    const id = bytes[at++];
    const size = leb();
    const end = at + size;
    if (id === 10) {
      const bodies = [];
      for (let count = leb(); count > 0; count--) {
        const bodySize = leb();
        const bodyEnd = at + bodySize;
        const locals = [];
        for (let groups = leb(); groups > 0; groups--) {
          const n = leb();
          const type = { 0x7f: 'i32', 0x7d: 'f32', 0x7b: 'v128' }[bytes[at++]];
          for (let i = 0; i < n; i++) locals.push(type);
        }
        bodies.push({ locals, code: bytes.slice(at, bodyEnd) });
        at = bodyEnd;
      }
      return bodies;
    }
    at = end;
  }
  return [];
}

function bothPaths(kernel) {
  const entry = kernel.kernel._active;
  const base = entry.layout.outputOffset / 4;
  const span = entry.cells * kernel.kernel.componentCount;
  const capture = runner => {
    entry.f32.fill(-999, base, base + span);
    runner(0, entry.cells, 0);
    return Array.from(new Int32Array(entry.f32.slice(base, base + span).buffer));
  };
  return { scalar: capture(entry.instance.exports.run), simd: capture(entry.instance.exports.run_simd) };
}

const data = n => Float32Array.from({ length: n }, (_, i) => Math.sin(i * 12.9898) * 3);

test('integer locals are i32 locals webasm', () => {
  const gpu = new GPU({ mode: 'webasm' });
  const kernel = gpu.createKernel(function(a) {
    let s = 0.0;
    for (let k = 0; k < 16; k++) {
      const i = k * 16 + this.thread.x;
      s = s + a[i];
    }
    return s;
  }, { output: [16] });
  const a = data(256);
  const out = kernel(a);
  // scalar kernel: the copy of thread.x, then s (f32), k and i (i32; before the patch: f32)
  const [scalarKernel] = functionBodies(kernel.kernel._active.bytes);
  assert.deepEqual(scalarKernel.locals, ['i32', 'f32', 'i32', 'i32']);
  for (let x = 0; x < 16; x++) {
    let s = 0;
    for (let k = 0; k < 16; k++) s = Math.fround(s + a[k * 16 + x]);
    assert.equal(out[x], s);
  }
  gpu.destroy();
});

test('a local assigned a fraction stays a float like JavaScript webasm', () => {
  const gpu = new GPU({ mode: 'webasm' });
  const kernel = gpu.createKernel(function() {
    let v = this.thread.x;
    v = v / 4;
    let w = 3;
    w += 0.25;
    return v + w;
  }, { output: [8] });
  assert.deepEqual(Array.from(kernel()), [0, 1, 2, 3, 4, 5, 6, 7].map(x => x / 4 + 3.25));
  gpu.destroy();
});

test('a local switched on keeps JavaScript case matching webasm', () => {
  const gpu = new GPU({ mode: 'webasm' });
  const kernel = gpu.createKernel(function() {
    let v = this.thread.x;
    switch (v) {
      case 2.5:
        return 1;
      case 2:
        return 2;
      default:
        return 0;
    }
  }, { output: [4] });
  assert.deepEqual(Array.from(kernel()), [0, 0, 2, 0]);
  gpu.destroy();
});

test('base + this.thread.x reads are one v128.load, run and run_simd bit-identical webasm', () => {
  const gpu = new GPU({ mode: 'webasm' });
  const kernel = gpu.createKernel(function(b) {
    let s = 0.0;
    for (let k = 0; k < 32; k++) {
      s = s + b[k * 64 + this.thread.x] * b[k * 64 + 7];
    }
    return s;
  }, { output: [64] });
  const b = data(32 * 64);
  const out = kernel(b);
  const bodies = functionBodies(kernel.kernel._active.bytes);
  const simd = Array.from(bodies[bodies.length - 2].code);
  const has = seq => simd.some((_, i) => seq.every((v, j) => simd[i + j] === v));
  // v128.load align=2^2 offset=0 and v128.load32_splat align=2^2 offset=0
  assert.ok(has([0xfd, 0x00, 0x02, 0x00]), 'v128.load');
  assert.ok(has([0xfd, 0x09, 0x02, 0x00]), 'v128.load32_splat');
  const paths = bothPaths(kernel);
  assert.deepEqual(paths.simd, paths.scalar);
  for (let x = 0; x < 64; x++) {
    let s = 0;
    for (let k = 0; k < 32; k++) s = Math.fround(s + Math.fround(b[k * 64 + x] * b[k * 64 + 7]));
    assert.equal(out[x], s);
  }
  gpu.destroy();
});

test('a masked lane past the end of the array takes the gather webasm', () => {
  const gpu = new GPU({ mode: 'webasm' });
  const kernel = gpu.createKernel(function(a) {
    if (this.thread.x < 6) {
      return a[this.thread.x + 2];
    }
    return -1;
  }, { output: [8] });
  const a = data(8);
  assert.deepEqual(Array.from(kernel(a)), Array.from(a.subarray(2, 8)).concat([-1, -1]));
  gpu.destroy();
});

test('thread ids are read once per call webasm', () => {
  const gpu = new GPU({ mode: 'webasm' });
  const kernel = gpu.createKernel(function(a) {
    let s = 0.0;
    for (let k = 0; k < 8; k++) {
      s = s + a[this.thread.y * 8 + k] * this.thread.x;
    }
    return s;
  }, { output: [4, 8] });
  const a = data(64);
  const out = kernel(a);
  const bodies = functionBodies(kernel.kernel._active.bytes);
  for (const body of [bodies[0], bodies[bodies.length - 2]]) {
    // global.get (0x23) of thread x (global 0) and thread y (global 1): once each, at entry
    const code = Array.from(body.code);
    const reads = index => code.filter((v, i) => v === 0x23 && code[i + 1] === index).length;
    assert.equal(reads(0), 1);
    assert.equal(reads(1), 1);
  }
  for (let y = 0; y < 8; y++) {
    for (let x = 0; x < 4; x++) {
      let s = 0;
      for (let k = 0; k < 8; k++) s = Math.fround(s + Math.fround(a[y * 8 + k] * x));
      assert.equal(out[y][x], s);
    }
  }
  gpu.destroy();
});

test('Array(8) returns webasm', () => {
  const gpu = new GPU({ mode: 'webasm' });
  const kernel = gpu.createKernel(function() {
    return [1, 2, 3, 4, 5, 6, 7, this.thread.x + this.thread.y * 10];
  }, { output: [4, 2] });
  const out = kernel();
  assert.equal(kernel.kernel.componentCount, 8);
  assert.deepEqual(out.map(row => row.map(v => Array.from(v))),
    [0, 1].map(y => [0, 1, 2, 3].map(x => [1, 2, 3, 4, 5, 6, 7, x + y * 10])));
  const paths = bothPaths(kernel);
  assert.deepEqual(paths.simd, paths.scalar);
  gpu.destroy();
});
