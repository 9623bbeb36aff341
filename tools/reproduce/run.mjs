#!/usr/bin/env node
// Reproduces the paper's claims at laptop scale and writes docs/reproduction.md (see src/main.ts):
//
//   node tools/reproduce/run.mjs            # the full run (about 9 minutes on 2 quiet cores), then the doc
//   node tools/reproduce/run.mjs --quick    # small sizes, a few minutes, into runs/reproduce-quick
//
// Bundles src/ (and the workspace packages it imports, from their sources) with esbuild (tools/devtools/src/bundle.mjs),
// then runs it. The experiments themselves run through `skipinit` (tools/dev/skipinit.mjs).
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { bundleFromSource, cachePath } from '@skipinit/devtools/bundle';

const here = dirname(fileURLToPath(import.meta.url));
const outfile = await bundleFromSource({ entry: join(here, 'src/main.ts'), outfile: cachePath('skipinit-reproduce/reproduce.mjs') });
const { main } = await import(pathToFileURL(outfile).href);
process.exit(await main(process.argv.slice(2)));
