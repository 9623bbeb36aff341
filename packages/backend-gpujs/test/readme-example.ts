import { createGpuJsBackend } from '../src';

const backend = createGpuJsBackend(); // mode 'auto': the best gpu.js mode that runs here
console.log(backend.mode); // webasm
console.log(backend.selection.skipped.map((s) => s.mode).join(', ')); // webgpu, headlessgl

const a = backend.upload([1, 2, 3, 4, 5, 6]); // [2, 3]
const b = backend.upload([1, 0, 0, 1, 1, 1]); // [3, 2]
const c = backend.matmul(a, b, { batch: 1, batchA: 1, batchB: 1, m: 2, k: 3, n: 2, transA: false, transB: false });
console.log(Array.from(backend.read(c)).join(' ')); // 4 5 10 11
console.log(backend.memory().numDataIds); // 3

[a, b, c].forEach((id) => backend.dispose(id));
backend.destroy();
