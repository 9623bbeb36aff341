// Running `skipinit` (from the sources: tools/dev/skipinit.mjs) as a child process, the way a person would,
// with its stderr shown live and its stdout kept (and logged next to the step's results).
import { spawn } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

export const ROOT = join(dirname(new URL(import.meta.url).pathname), '../../..');
const CLI = join(ROOT, 'tools/dev/skipinit.mjs');

export interface CliResult {
  readonly code: number;
  readonly stdout: string;
  readonly seconds: number;
}

/** The command as a person types it (for the doc). */
export function shownCommand(args: readonly string[]): string {
  return `skipinit ${args.map((a) => (/^[\w./=,:-]+$/.test(a) ? a : `'${a}'`)).join(' ')}`;
}

/** Runs `skipinit ARGS` in the repository root; stdout is returned and written to `log` when given. */
export function skipinit(args: readonly string[], log?: string): Promise<CliResult> {
  process.stderr.write(`\n$ ${shownCommand(args)}\n`);
  const t0 = performance.now();
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] });
    let stdout = '';
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (c: string) => (stdout += c));
    child.on('error', reject);
    child.on('close', (code) => {
      if (log) {
        mkdirSync(dirname(log), { recursive: true });
        writeFileSync(log, stdout);
      }
      resolve({ code: code ?? 1, stdout, seconds: (performance.now() - t0) / 1000 });
    });
  });
}
