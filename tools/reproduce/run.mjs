#!/usr/bin/env node
// Reproduces the paper's claims at laptop scale and writes docs/reproduction.md (see src/main.ts):
//
//   node tools/reproduce/run.mjs            # the full run (about half an hour on 2 cores), then the doc
//   node tools/reproduce/run.mjs --quick    # small sizes, a few minutes, into runs/reproduce-quick
//
// Bundles src/ (and the workspace packages it imports, from their sources) with esbuild, as tools/bench
// does, then runs it. The experiments themselves run through `skipinit` (tools/dev/skipinit.mjs).
import { build } from 'esbuild';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const outfile = join(here, '../../node_modules/.cache/skipinit-reproduce/reproduce.mjs');
await build({
  entryPoints: [join(here, 'src/main.ts')],
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
        b.onResolve({ filter: /^[^./]/ }, (args) => (args.path.startsWith('@skipinit/') ? undefined : { path: args.path, external: true }));
      },
    },
  ],
});
const { main } = await import(pathToFileURL(outfile).href);
process.exit(await main(process.argv.slice(2)));
