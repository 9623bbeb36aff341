// The real binary (bin/skipinit.js over the built packages) as a child process the test can watch: its
// stderr and stdout as they come, waiting for a line, and its exit.
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from './memory-io';

const deps = Object.keys(JSON.parse(readFileSync(join(ROOT, 'packages', 'cli', 'package.json'), 'utf8')).dependencies ?? {});
/** Every @skipinit package the binary loads is built (npm ci builds them; so does `npx nx run-many -t build`). */
export const BUILT = ['cli', ...deps.filter((d) => d.startsWith('@skipinit/')).map((d) => d.slice('@skipinit/'.length))].every((p) =>
  existsSync(join(ROOT, 'packages', p, 'dist', 'index.js')),
);
export const BIN = join(ROOT, 'packages', 'cli', 'bin', 'skipinit.js');

export interface Spawned {
  readonly child: ChildProcess;
  readonly pid: number;
  /** Everything written so far. */
  readonly out: { stdout: string; stderr: string };
  /** Resolves with the first stderr line matching `pattern` (already written or still to come). */
  line(pattern: RegExp, timeoutMs?: number): Promise<RegExpMatchArray>;
  /** Resolves with the exit code (null: killed by a signal). */
  readonly exit: Promise<number | null>;
}

export function skipinit(args: readonly string[], cwd: string): Spawned {
  const child = spawn(process.execPath, [BIN, ...args], { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
  const out = { stdout: '', stderr: '' };
  const waiters: { pattern: RegExp; resolve: (m: RegExpMatchArray) => void }[] = [];
  const check = (): void => {
    for (const w of [...waiters]) {
      const m = out.stderr.match(w.pattern);
      if (m) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve(m);
      }
    }
  };
  child.stdout!.on('data', (c: Buffer) => (out.stdout += c.toString()));
  child.stderr!.on('data', (c: Buffer) => {
    out.stderr += c.toString();
    check();
  });
  const exit = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
  return {
    child,
    pid: child.pid!,
    out,
    exit,
    line(pattern, timeoutMs = 90_000) {
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no line matching ${pattern} within ${timeoutMs} ms; stderr so far:\n${out.stderr}`)), timeoutMs);
        waiters.push({
          pattern,
          resolve: (m) => {
            clearTimeout(timer);
            resolve(m);
          },
        });
        check();
      });
    },
  };
}

/** The first of several processes to write a stderr line matching `pattern`: its index and the match. */
export async function firstLine(all: readonly Spawned[], pattern: RegExp, timeoutMs = 90_000): Promise<{ index: number; match: RegExpMatchArray }> {
  for (const t0 = Date.now(); Date.now() - t0 < timeoutMs; await new Promise((r) => setTimeout(r, 50))) {
    for (const [index, s] of all.entries()) {
      const match = s.out.stderr.match(pattern);
      if (match) return { index, match };
    }
  }
  throw new Error(`no process wrote a line matching ${pattern} within ${timeoutMs} ms`);
}

/** Runs the binary to its end. */
export async function run(args: readonly string[], cwd: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const s = skipinit(args, cwd);
  const code = await s.exit;
  return { code, ...s.out };
}

/** Whether process `pid` is still there. */
export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
