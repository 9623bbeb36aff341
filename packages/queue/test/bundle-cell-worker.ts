// Bundles test/fixtures/cell-worker.ts into one ES module under node_modules/.cache (inside the workspace,
// so its external imports resolve from node_modules), as analysis's sweep tests do.
import { build } from 'esbuild';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, '../../..');

export async function bundleCellWorker(): Promise<string> {
  const outfile = join(root, 'node_modules/.cache/skipinit-queue-test', `cell-worker-${process.pid}.mjs`);
  await build({
    entryPoints: [join(here, 'fixtures/cell-worker.ts')],
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
  return outfile;
}
