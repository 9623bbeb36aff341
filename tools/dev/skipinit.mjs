#!/usr/bin/env node
// `skipinit` from the sources, no build step: bundles packages/cli/src (and every workspace package it
// imports, through the '@skipinit/source' condition) with esbuild into node_modules/.cache/skipinit-cli/,
// then runs it. The bundle is rebuilt only when a source file is newer than it, and written atomically, so
// the worker processes of `skipinit sweep` (which start this script again) reuse it.
//
//   node tools/dev/skipinit.mjs analyze examples/deep-mlp.arch --ascii
//
// The installed binary (packages/cli/bin/skipinit.js) runs the built packages (dist) instead.
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { WORKSPACE_ROOT as root, bundleFromSource, cachePath } from '@skipinit/devtools/bundle';

const outfile = cachePath('skipinit-cli/cli.mjs');

function newestSource(dir, newest = 0) {
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    if (e.name === 'node_modules' || e.name === 'dist' || e.name.startsWith('.')) continue;
    const p = join(dir, e.name);
    if (e.isDirectory()) newest = newestSource(p, newest);
    else if (/\.(ts|json)$/.test(e.name)) newest = Math.max(newest, statSync(p).mtimeMs);
  }
  return newest;
}

function bundleTime() {
  try {
    return statSync(outfile).mtimeMs;
  } catch {
    return -1;
  }
}

if (bundleTime() < newestSource(join(root, 'packages'))) {
  await bundleFromSource({ entry: join(root, 'packages/cli/src/index.ts'), outfile });
}

const { main } = await import(pathToFileURL(outfile).href);
const code = await main(process.argv.slice(2));
// As the installed binary does: set the exit code and let the event loop end (a handle left open shows here too).
process.exitCode = code;
