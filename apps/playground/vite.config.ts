// The playground's build. Vite 8.3.8 exactly (8.4.0's lockfile breaks npm ci here).
// - Our packages from source (the '@skipinit/source' condition), in the page and in its workers.
// - gpu.js from its patched source (patch-package patches src/, not the prebuilt browser bundle).
// - node:crypto is src/platform/node-crypto.ts (sha256 in JavaScript, for the trainer's configHash).
// - Any other Node builtin that a package's Node-only code imports (the trainer's run files, data's file reader)
//   becomes a module whose functions throw "not available in a page": the page never calls them, and if
//   it did, the error would say what. gpu.js's optional native packages ('gl', 'webgpu') likewise.
// - No minification: gpu.js parses its kernels' function source.
// - Served cross-origin isolated (COOP/COEP), as threads need.
import { builtinModules, createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath, URL } from 'node:url';
import { defineConfig } from 'vite';
import type { Plugin } from 'vite';

const require = createRequire(import.meta.url);
const GPUJS_SOURCE = join(dirname(require.resolve('gpu.js/package.json')), 'src/browser.js');
/** The one builtin the page gives for real: sha256, which the trainer's configHash needs. */
const PAGE_CRYPTO = fileURLToPath(new URL('src/platform/node-crypto.ts', import.meta.url));
const BUILTINS = new Set(builtinModules.flatMap((m) => [m, `node:${m}`]));
const NATIVE = new Set(['gl', 'webgpu']);
const PREFIX = '\0page-unavailable:';
const IDENTIFIER = /^[A-Za-z_$][\w$]*$/;

export const ISOLATION_HEADERS = { 'Cross-Origin-Opener-Policy': 'same-origin', 'Cross-Origin-Embedder-Policy': 'require-corp' };

function pageModules(): Plugin {
  return {
    name: 'skipinit-page-modules',
    enforce: 'pre',
    resolveId(id) {
      if (id === 'gpu.js') return GPUJS_SOURCE;
      if (id === 'node:crypto' || id === 'crypto') return PAGE_CRYPTO;
      if (BUILTINS.has(id) || NATIVE.has(id)) return PREFIX + id;
      return null;
    },
    async load(id) {
      if (!id.startsWith(PREFIX)) return null;
      const name = id.slice(PREFIX.length);
      const names = NATIVE.has(name) ? [] : Object.keys(await import(name)).filter((k) => IDENTIFIER.test(k) && k !== 'default');
      const fail = `function unavailable() { throw new Error(${JSON.stringify(`${name} is not available in a web page`)}); }`;
      return [fail, 'export default new Proxy({}, { get: () => unavailable });', ...names.map((k) => `export const ${k} = unavailable;`)].join('\n');
    },
  };
}

export default defineConfig({
  base: './',
  resolve: { conditions: ['@skipinit/source', 'module', 'browser', 'development|production'] },
  plugins: [pageModules()],
  worker: { format: 'es', plugins: () => [pageModules()] },
  build: { target: 'es2022', minify: false, chunkSizeWarningLimit: 4096, reportCompressedSize: false },
  server: { headers: ISOLATION_HEADERS },
  preview: { headers: ISOLATION_HEADERS, port: 4173 },
});
