// Writes the Winograd kernel sources for the R2 shape to a JSON file (for micro-benchmarks).
import { writeFileSync } from 'node:fs';
import * as wk from '../src/kernels/winograd';
const g = wk.winogradTiles(32, 32, 32);
const specs = { input: wk.winogradInputKernel(g, 16), gemm: wk.winogradGemmKernel(g, 16, 16), output: wk.winogradOutputKernel(g, 16), fgemm: wk.winogradFilterGemmKernel(g, 16, 16), dy: wk.winogradDyKernel(g, 16, 32, 32) };
writeFileSync(process.argv[2] ?? '/tmp/wino.json', JSON.stringify(specs, null, 1));
