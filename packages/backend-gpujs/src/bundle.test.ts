// The engine below the Node entry (create.ts and everything it imports) bundles for a browser page as it
// is: no Node module (worker_threads, os, module, v8) is imported by anything a page would load. Node's
// own modules live in node.ts and worker-pool.ts, which only the Node entry (index.ts) imports.

import { join } from 'node:path';
import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';

describe('bundling for a page', () => {
  it('create.ts and below import no Node module', async () => {
    const result = await build({
      entryPoints: [join(import.meta.dirname, 'create.ts')],
      bundle: true,
      platform: 'browser',
      format: 'esm',
      write: false,
      metafile: true,
      logLevel: 'silent',
      conditions: ['@skipinit/source'],
    });
    const inputs = Object.keys(result.metafile.inputs);
    expect(inputs.some((i) => i.endsWith('src/gpujs-backend.ts'))).toBe(true);
    expect(inputs.filter((i) => i.startsWith('node:') || /\/(node|worker-pool)\.ts$/.test(i))).toEqual([]);
  });
});
