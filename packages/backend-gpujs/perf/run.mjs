#!/usr/bin/env node
// Bundles perf/main.ts (workspace packages from source) with esbuild into node_modules/.cache and runs it.
import { build } from 'esbuild';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, '../../..');
const outfile = join(root, 'node_modules/.cache/skipinit-backend-perf/' + (process.env.PERF_ENTRY ?? 'main.ts').replace('.ts', '.mjs'));
await build({
  entryPoints: [join(here, process.env.PERF_ENTRY ?? 'main.ts')],
  outfile,
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  conditions: ['@skipinit/source'],
  logLevel: 'warning',
  plugins: [{ name: 'externals', setup(b) { b.onResolve({ filter: /^[^./]/ }, (a) => (a.path.startsWith('@skipinit/') ? undefined : { path: a.path, external: true })); } }],
});
await import(pathToFileURL(outfile).href);
