// Runs TypeScript of the workspace without a build step: bundles an entry file, and every workspace package it
// imports (resolved to their sources through the '@skipinit/source' export condition), with esbuild into one ES
// module under node_modules/.cache; any other import stays an import from node_modules. The launchers
// (tools/dev, tools/bench, tools/reproduce, backend-gpujs perf/) and the tests that start worker processes
// use it.
import { build } from 'esbuild';
import { existsSync, mkdirSync, renameSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The workspace root (this file is tools/devtools/src/bundle.mjs). */
export const WORKSPACE_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');

/** A path under node_modules/.cache: inside the workspace, so a bundle's external imports resolve from node_modules. */
export function cachePath(...parts) {
  return join(WORKSPACE_ROOT, 'node_modules/.cache', ...parts);
}

/**
 * Bundles `entry` into `outfile` and returns `outfile`. The file is written under a temporary name and renamed,
 * so a process that starts it meanwhile sees the old bundle or the new one, never half of one.
 * `bundled(path, importer)` names bare imports beyond `@skipinit/*` to bundle too (tools/bench bundles
 * TensorFlow.js); `options` go to esbuild as they are (a banner, mainFields).
 */
export async function bundleFromSource({ entry, outfile, bundled = () => false, ...options }) {
  mkdirSync(dirname(outfile), { recursive: true });
  const tmp = `${outfile}.${process.pid}.tmp.mjs`;
  await build({
    entryPoints: [entry],
    outfile: tmp,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    conditions: ['@skipinit/source'],
    logLevel: 'warning',
    ...options,
    plugins: [
      {
        name: 'workspace-from-source',
        setup(b) {
          const inline = (args) => args.path.startsWith('@skipinit/') || bundled(args.path, args.importer);
          // Any other import loads from node_modules: by its absolute path where npm installed it under the
          // importing package (not hoisted to the root, e.g. tar 7 under packages/data), else by its name.
          b.onResolve({ filter: /^[^./]/ }, async (args) => {
            if (args.pluginData?.nested || inline(args)) return undefined;
            const pkg = /[\\/]packages[\\/]([^\\/]+)[\\/]/.exec(args.importer)?.[1];
            const top = args.path.startsWith('@') ? args.path.split('/').slice(0, 2).join('/') : args.path.split('/')[0];
            if (pkg && existsSync(join(WORKSPACE_ROOT, 'packages', pkg, 'node_modules', top))) {
              const r = await b.resolve(args.path, { resolveDir: args.resolveDir, kind: args.kind, pluginData: { nested: true } });
              if (r.errors.length === 0) return { path: r.path, external: true };
            }
            return { path: args.path, external: true };
          });
        },
      },
    ],
  });
  renameSync(tmp, outfile);
  return outfile;
}
