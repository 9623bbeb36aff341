// The acceptance timings: `resblock x 1000` compiles well under a second, `x 100000` under 5 s. Repetition is
// one node with a count, so both are dominated by parsing; the bounds are generous for a loaded CI machine.
import { describe, expect, it } from 'vitest';
import { compile } from './compile';

const spec = (n: number): string =>
  `let depth = ${n}\nmodel deep {\n  input 1x28x28\n  flatten\n  dense 128\n  resblock x depth, kind=mlp, width=128, norm=none, init=skipinit\n  relu\n  head 10\n}\n`;

function median(f: () => void, runs = 5): number {
  const ts: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    f();
    ts.push(performance.now() - t0);
  }
  return ts.sort((a, b) => a - b)[runs >> 1];
}

describe('compile time', () => {
  it('resblock x 1000 in well under a second, x 100000 in under 5 s', () => {
    compile(spec(10)); // parser construction, once per process
    for (const [n, limit] of [
      [1000, 250],
      [100_000, 5000],
    ] as const) {
      let blocks = 0;
      const ms = median(() => {
        const r = compile(spec(n));
        expect(r.errors).toEqual([]);
        blocks = r.inference!.blocks;
      });
      expect(blocks).toBe(n);
      expect(ms, `x ${n}: median ${ms.toFixed(1)} ms`).toBeLessThan(limit);
    }
  });

  it('a 1000-block network written one block per line (no x N) compiles in under 2 s', () => {
    const lines = Array.from({ length: 1000 }, () => '  resblock kind=mlp, width=128, norm=none, init=skipinit').join('\n');
    const src = `model deep {\n  input 784\n${lines}\n  head 10\n}\n`;
    compile(src);
    compile(src); // the JIT warms up on the first big file
    const ms = median(() => expect(compile(src).inference!.blocks).toBe(1000), 3);
    expect(ms, `median ${ms.toFixed(0)} ms`).toBeLessThan(2000);
  });
});
