#!/usr/bin/env node
// `skipinit` from the sources, no build step: bundles packages/cli/src (and every workspace package it
// imports, through the '@skipinit/source' condition) with esbuild into node_modules/.cache/skipinit-cli/,
// then runs it. The bundle is rebuilt only when a source file is newer than it, and written atomically, so
// the worker processes of `skipinit sweep` (which start this script again) reuse it.
//
//   node tools/dev/skipinit.mjs analyze examples/deep-mlp.arch --ascii
//
// The installed binary (packages/cli/bin/skipinit.js) runs the built packages (dist) instead.
import { build } from 'esbuild';
import { mkdirSync, readdirSync, renameSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const outfile = join(root, 'node_modules/.cache/skipinit-cli/cli.mjs');

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
  mkdirSync(dirname(outfile), { recursive: true });
  const tmp = `${outfile}.${process.pid}.tmp.mjs`;
  await build({
    entryPoints: [join(root, 'packages/cli/src/index.ts')],
    outfile: tmp,
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
  renameSync(tmp, outfile);
}

const { main } = await import(pathToFileURL(outfile).href);
const code = await main(process.argv.slice(2));
// As the installed binary does: set the exit code and let the event loop end (a handle left open shows here too).
process.exitCode = code;
