#!/usr/bin/env node
// Launcher for `npm run bench`: bundles the TypeScript sources of tools/bench (and the workspace
// packages it benchmarks, resolved to their sources through the '@skipinit/source' condition) with
// esbuild — installed with tsup — into node_modules/.cache, then runs it. No build step, never stale.

import { build } from 'esbuild';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, '../../..');
const outfile = join(root, 'node_modules/.cache/skipinit-bench/bench.mjs');

await build({
  entryPoints: [join(here, '../src/cli.ts')],
  outfile,
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  conditions: ['@skipinit/source'],
  logLevel: 'warning',
  plugins: [
    {
      name: 'external-dependencies',
      setup(b) {
        // workspace packages are bundled from source; everything else loads from node_modules
        b.onResolve({ filter: /^[^./]/ }, (args) => (args.path.startsWith('@skipinit/') ? undefined : { path: args.path, external: true }));
      },
    },
  ],
});

const { main } = await import(pathToFileURL(outfile).href);
process.exitCode = await main(process.argv.slice(2));
