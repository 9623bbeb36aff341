#!/usr/bin/env node
// Launcher for `npm run bench`: bundles the TypeScript sources of tools/bench (and the workspace
// packages it benchmarks, resolved to their sources through the '@skipinit/source' condition) with
// esbuild (tools/devtools/src/bundle.mjs) into node_modules/.cache, then runs it. No build step, never stale.
//
// TensorFlow.js is bundled too (with its own dependencies), from its ES modules: tfjs-core's Node entry (a CommonJS bundle) does
// not register gradients, and registering them (tfjs-core/dist/register_all_gradients, an ES module)
// must reach the same copy of tfjs-core the backends use. The banner gives the bundled emscripten
// glue of the wasm backend the `require`, `__filename` and `__dirname` it expects in Node (its .wasm
// files are located explicitly, see tools/bench/src/systems/tfjs-setup.ts). Everything else loads
// from node_modules.

import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { bundleFromSource, cachePath } from '@skipinit/devtools/bundle';

const here = dirname(fileURLToPath(import.meta.url));
const outfile = await bundleFromSource({
  entry: join(here, '../src/cli.ts'),
  outfile: cachePath('skipinit-bench/bench.mjs'),
  // TensorFlow.js and what it imports (seedrandom, long: CommonJS that esbuild must adapt for its ES modules)
  bundled: (path, importer) => path.startsWith('@tensorflow/') || importer.includes('/node_modules/@tensorflow/'),
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
});

const { main } = await import(pathToFileURL(outfile).href);
process.exitCode = await main(process.argv.slice(2));
