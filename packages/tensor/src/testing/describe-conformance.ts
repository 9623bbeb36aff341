// The vitest-facing helper: one line in a backend's test file registers every conformance case and the
// memory test. vitest's functions are passed in, so this module never imports vitest (it builds and
// loads outside a test runner).

import type { Backend } from '../backend';
import { Engine } from '../engine';
import { ReferenceBackend } from '../reference/reference-backend';
import type { OpCase } from './case';
import { conformanceCases } from './cases';
import { runMemoryCheck } from './memory-check';
import { formatResult, runCase } from './run-conformance';

/** The parts of vitest's API the helper uses (pass `{ describe, it, expect, afterAll }` from 'vitest'). */
export interface TestApi {
  describe(name: string, fn: () => void): unknown;
  it(name: string, fn: () => Promise<void> | void, timeout?: number): unknown;
  expect(value: unknown, message?: string): { toBe(expected: unknown): void };
  afterAll?(fn: () => void | Promise<void>): unknown;
}

export interface DescribeConformanceOptions {
  readonly filter?: (c: OpCase) => boolean;
  /** Iterations of the memory test (default 1000; 0 skips it). */
  readonly memoryIterations?: number;
  /** Per-test timeout in ms for the memory test (default 10 minutes). */
  readonly memoryTimeout?: number;
}

/**
 * Registers `conformance: <name>`: one test per case (the candidate against the reference backend, with
 * the case's tolerances) and the memory test. The backend is created once, on first use, and destroyed
 * after the suite when `afterAll` is given.
 *
 *   import { describe, it, expect, afterAll } from 'vitest';
 *   describeConformance('webasm', () => createGpuJsBackend({ mode: 'webasm' }), { describe, it, expect, afterAll });
 */
export function describeConformance(
  name: string,
  createBackend: () => Backend | Promise<Backend>,
  t: TestApi,
  options: DescribeConformanceOptions = {},
): void {
  const cases = conformanceCases.filter(options.filter ?? (() => true));
  let engines: Promise<{ candidate: Engine; reference: Engine }> | null = null;
  const get = () =>
    (engines ??= Promise.resolve(createBackend()).then((b) => ({ candidate: new Engine(b), reference: new Engine(new ReferenceBackend()) })));
  t.describe(`conformance: ${name}`, () => {
    for (const c of cases) {
      t.it(c.name, async () => {
        const { candidate, reference } = await get();
        const r = await runCase(c, candidate, reference);
        t.expect(r.passed, formatResult(r)).toBe(true);
      });
    }
    const iterations = options.memoryIterations ?? 1000;
    if (iterations > 0) {
      t.it(
        `memory: ${iterations} training steps of a 2-layer MLP keep live tensors and bytes flat`,
        async () => {
          const backend = await createBackend();
          try {
            const r = await runMemoryCheck(backend, { iterations });
            const [first, last] = [r.samples[0], r.samples[r.samples.length - 1]];
            t.expect(r.flat, `memory not flat: first ${JSON.stringify(first)}, last ${JSON.stringify(last)}`).toBe(true);
            t.expect(r.lastLoss < r.firstLoss, `loss did not fall: ${r.firstLoss} -> ${r.lastLoss}`).toBe(true);
          } finally {
            backend.destroy();
          }
        },
        options.memoryTimeout ?? 600_000,
      );
    }
    t.afterAll?.(async () => {
      if (engines) (await engines).candidate.destroy();
    });
  });
}
