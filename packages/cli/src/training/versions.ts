// Versions of what a run ran on, beyond what the trainer records itself (config.json `versions`).
import { createRequire } from 'node:module';

export function cliVersions(): Record<string, string> {
  const require = createRequire(import.meta.url);
  const out: Record<string, string> = {};
  for (const name of ['@skipinit/cli', '@skipinit/dsl', '@skipinit/backend-gpujs', '@skipinit/init', 'gpu.js']) {
    try {
      out[name] = (require(`${name}/package.json`) as { version: string }).version;
    } catch {
      out[name] = 'unknown';
    }
  }
  return out;
}
