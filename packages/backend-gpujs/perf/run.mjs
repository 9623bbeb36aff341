#!/usr/bin/env node
// Bundles perf/main.ts, or the perf/ file PERF_ENTRY names (workspace packages from source), into
// node_modules/.cache with tools/devtools/src/bundle.mjs and runs it.
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { bundleFromSource, cachePath } from '@skipinit/devtools/bundle';

const entry = process.env.PERF_ENTRY ?? 'main.ts';
const outfile = await bundleFromSource({
  entry: join(dirname(fileURLToPath(import.meta.url)), entry),
  outfile: cachePath('skipinit-backend-perf', entry.replace('.ts', '.mjs')),
});
await import(pathToFileURL(outfile).href);
