// The packages a web page may load, bundled for the browser as a page's bundler would (esbuild, platform
// 'browser'): none may pull in a Node builtin (node:fs, os, path, worker_threads, ...) or a native addon
// from anything its browser entry reaches, and each bundle must evaluate with only a browser's globals (no
// process, require or Buffer). Node-only parts live behind separate entries (@skipinit/analysis/node). backend-gpujs is
// not in the list yet: its engine is being rebuilt with a host executor that loads Node modules lazily.
import { builtinModules } from 'node:module';
import { dirname, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runInNewContext } from 'node:vm';
import { build } from 'esbuild';
import type { Plugin } from 'esbuild';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
const PAGE_PACKAGES = ['tensor', 'graph', 'dsl', 'init', 'layers', 'analysis'] as const;
const BUILTINS = new Set(builtinModules.flatMap((m) => [m, `node:${m}`]));

/** Records every import of a Node builtin (with the file that imports it) and leaves it out of the bundle. */
function builtinSpy(found: string[]): Plugin {
  return {
    name: 'node-builtins',
    setup(b) {
      b.onResolve({ filter: /.*/ }, (args) => {
        if (!BUILTINS.has(args.path) && !BUILTINS.has(args.path.split('/')[0])) return undefined;
        found.push(`${args.path} (imported by ${relative(ROOT, args.importer)})`);
        return { path: args.path, external: true };
      });
      b.onLoad({ filter: /\.node$/ }, (args) => {
        found.push(`native addon ${relative(ROOT, args.path)}`);
        return { contents: '', loader: 'js' };
      });
    },
  };
}

async function bundle(entry: string): Promise<{ builtins: string[]; code: string; bytes: number }> {
  const builtins: string[] = [];
  const result = await build({
    stdin: { contents: `export * from '${entry}';`, resolveDir: ROOT, loader: 'ts' },
    bundle: true,
    write: false,
    platform: 'browser',
    format: 'iife',
    globalName: 'page',
    conditions: ['@skipinit/source'],
    logLevel: 'silent',
    plugins: [builtinSpy(builtins)],
  });
  const code = result.outputFiles[0].text;
  return { builtins, code, bytes: code.length };
}

describe('browser bundles (esbuild, platform browser)', () => {
  for (const name of PAGE_PACKAGES) {
    it(`@skipinit/${name} imports no Node builtin and evaluates with a browser's globals only`, async () => {
      const { builtins, code } = await bundle(`@skipinit/${name}`);
      expect(builtins, `@skipinit/${name} pulls in Node builtins`).toEqual([]);
      const { WebAssembly: wasm } = globalThis as unknown as Record<string, unknown>;
      const context = { console, setTimeout, clearTimeout, queueMicrotask, performance, TextEncoder, TextDecoder, URL, WebAssembly: wasm, structuredClone };
      const exported = runInNewContext(`${code}\n;page`, context) as Record<string, unknown>;
      expect(Object.keys(exported).length).toBeGreaterThan(3);
    });
  }

  it('the check fails where it should: the Node-only entry of analysis pulls in node:fs', async () => {
    const { builtins } = await bundle('@skipinit/analysis/node');
    expect(builtins.some((b) => /^(node:)?fs /.test(b))).toBe(true);
  });
});
