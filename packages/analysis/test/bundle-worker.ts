// Bundles test/fixtures/sweep-worker.ts into one ES module under node_modules/.cache, so that the sweep tests can
// start it as a worker process (tools/devtools/src/bundle.mjs: the workspace packages from their sources).
import { join } from 'node:path';
import { bundleFromSource, cachePath } from '@skipinit/devtools/bundle';

export function bundleSweepWorker(): Promise<string> {
  return bundleFromSource({
    entry: join(import.meta.dirname, 'fixtures/sweep-worker.ts'),
    outfile: cachePath('skipinit-analysis-test', `sweep-worker-${process.pid}.mjs`),
  });
}
