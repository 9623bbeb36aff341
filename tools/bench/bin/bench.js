#!/usr/bin/env node
// Launcher for `npm run bench`: bundles the TypeScript sources of tools/bench (and the workspace
// packages it benchmarks, resolved to their sources through the '@skipinit/source' condition) with
// esbuild — installed with tsup — into node_modules/.cache, then runs it. No build step, never stale.
//
// TensorFlow.js is bundled too (with its own dependencies), from its ES modules: tfjs-core's Node entry (a CommonJS bundle) does
// not register gradients, and registering them (tfjs-core/dist/register_all_gradients, an ES module)
// must reach the same copy of tfjs-core the backends use. The banner gives the bundled emscripten
// glue of the wasm backend the `require`, `__filename` and `__dirname` it expects in Node (its .wasm
// files are located explicitly, see tools/bench/src/systems/tfjs-setup.ts). Everything else loads
// from node_modules.

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
  mainFields: ['module', 'main'],
  banner: {
    js: [
      "import { createRequire as __benchRequire } from 'node:module';",
      "import { fileURLToPath as __benchPath } from 'node:url';",
      "import { dirname as __benchDir } from 'node:path';",
      'const require = __benchRequire(import.meta.url);',
      'const __filename = __benchPath(import.meta.url);',
      'const __dirname = __benchDir(__filename);',
    ].join(' '),
  },
  logLevel: 'warning',
  plugins: [
    {
      name: 'external-dependencies',
      setup(b) {
        // workspace packages, TensorFlow.js and what it imports (seedrandom, long: CommonJS that esbuild
        // must adapt for its ES modules) are bundled; everything else loads from node_modules
        const bundled = (args) =>
          args.path.startsWith('@skipinit/') || args.path.startsWith('@tensorflow/') || args.importer.includes('/node_modules/@tensorflow/');
        b.onResolve({ filter: /^[^./]/ }, (args) => (bundled(args) ? undefined : { path: args.path, external: true }));
      },
    },
  ],
});

const { main } = await import(pathToFileURL(outfile).href);
process.exitCode = await main(process.argv.slice(2));
