import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { cellOverrides, compile } from '@skipinit/dsl';
import { expandSweep } from '@skipinit/graph';
import type { Engine } from '@skipinit/tensor';
import { Rng, noGrad, tensor } from '@skipinit/tensor';
import { build } from '@skipinit/layers';
import { afterAll, describe, expect, it } from 'vitest';
import { MODES, gpuEngine } from './engines';

// Every example spec (examples/*.arch) compiles with @skipinit/dsl, builds into a model with
// @skipinit/layers, and runs a forward pass (batch 2, evaluation and training mode) on the gpu.js
// engine in 'webasm' and in 'cpu' mode, as written (the deep MLP has 1000 blocks). Every cell of each
// example's sweep (norm x init) builds and runs too, at a small depth where the example has a `depth`.

const dir = join(import.meta.dirname, '..', '..', '..', 'examples');
const examples = readdirSync(dir).filter((f) => f.endsWith('.arch')).sort();

function compileOrThrow(file: string, overrides: Record<string, string> = {}) {
  const r = compile(readFileSync(join(dir, file), 'utf8'), { file, overrides });
  if (r.errors.length > 0 || r.graph === null) throw new Error(`${file}: ${r.errors.map((e) => e.message).join('; ')}`);
  return r;
}

function forwardRuns(engine: Engine, file: string, overrides: Record<string, string> = {}): void {
  const r = compileOrThrow(file, overrides);
  const model = build(r.graph!, { engine, seed: 0 });
  expect(model.numParameters()).toBe(r.inference!.params);
  const x = tensor(new Rng(1).fillNormal(new Float32Array(2 * model.inputShape.reduce((a, b) => a * b, 1))), [2, ...model.inputShape], { engine });
  for (const training of [false, true]) {
    const logits = noGrad(() => model.forward(x, { training }));
    expect(logits.shape).toEqual([2, ...r.inference!.output!]);
    const values = logits.dataSync();
    expect(values.every(Number.isFinite), `${file} ${JSON.stringify(overrides)} training=${training}: logits ${values.slice(0, 4)}`).toBe(true);
    logits.dispose();
  }
  x.dispose();
  model.dispose();
}

it('there are example specs to check', () => {
  expect(examples.length).toBeGreaterThanOrEqual(3);
});

for (const mode of MODES) {
  describe(`examples on gpu.js '${mode}'`, () => {
    const engine = gpuEngine(mode);
    afterAll(() => engine.destroy());

    for (const file of examples) {
      it(`${file} as written: builds, and one forward pass runs (batch 2)`, () => {
        forwardRuns(engine, file);
        expect(engine.memory().numTensors).toBe(0);
      });
    }
  });
}

describe("every sweep cell of every example builds and runs (gpu.js 'webasm', small depth)", () => {
  const engine = gpuEngine('webasm');
  afterAll(() => engine.destroy());
  for (const file of examples) {
    const r = compileOrThrow(file);
    if (r.sweep === null) continue;
    for (const cell of expandSweep(r.sweep, r.train)) {
      it(`${file} ${cell.key}`, () => {
        const small: Record<string, string> = 'depth' in r.lets ? { depth: file.startsWith('wrn') ? '16' : '6' } : {};
        forwardRuns(engine, file, { ...cellOverrides(cell), ...small });
      });
    }
  }
});
