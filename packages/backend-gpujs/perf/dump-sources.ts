// Writes the Winograd kernel sources for the R2 shape to a JSON file (for micro-benchmarks).
import { writeFileSync } from 'node:fs';
import * as wk from '../src/kernels/winograd';
const g = wk.winogradTiles(32, 32, 32);
const specs = {
  input: wk.WINOGRAD_INPUT.source({ g, c: 16 }),
  gemm: wk.WINOGRAD_GEMM.source({ g, c: 16, o: 16 }),
  output: wk.WINOGRAD_OUTPUT.source({ g, o: 16 }),
  fgemm: wk.WINOGRAD_FILTER_GEMM.source({ g, c: 16, o: 16, group: 1 }),
  dy: wk.WINOGRAD_DY.source({ g, o: 16, oh: 32, ow: 32 }),
};
writeFileSync(process.argv[2] ?? '/tmp/wino.json', JSON.stringify(specs, null, 1));
